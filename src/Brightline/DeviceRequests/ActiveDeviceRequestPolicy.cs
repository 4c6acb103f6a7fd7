using Brightline.Policies;
using Brightline.Policy.Model;

namespace Brightline.DeviceRequests;

/// <summary>The active policy from the store.</summary>
public sealed class ActiveDeviceRequestPolicy(PolicyStore store) : IDeviceRequestPolicy
{
    public Task<SchoolPolicy> ForSchoolAsync(string schoolId, CancellationToken cancellationToken) => store.ActivePolicyAsync(schoolId, cancellationToken);
}
