using Brightline.Policy.Model;

namespace Brightline.DeviceRequests;

/// <summary>The school's active policy as the requests read it (its groups and <c>devices.requests</c>); a seam tests replace to try each seed school's rules.</summary>
public interface IDeviceRequestPolicy
{
    Task<SchoolPolicy> ForSchoolAsync(string schoolId, CancellationToken cancellationToken);
}
