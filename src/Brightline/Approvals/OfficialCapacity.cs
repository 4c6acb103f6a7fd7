using Brightline.Data;
using Brightline.Portal;

namespace Brightline.Approvals;

/// <summary>O14 for the portal's claims: an official-capacity approval in force now.</summary>
public sealed class OfficialCapacity(BrightlineDbContext db, TimeProvider time) : IOfficialCapacity
{
    public Task<bool> IsInOfficialCapacityAsync(string schoolId, Guid personId, CancellationToken cancellationToken) =>
        ApprovalEffects.IsInOfficialCapacityAsync(db, schoolId, personId, time.GetUtcNow(), cancellationToken);
}
