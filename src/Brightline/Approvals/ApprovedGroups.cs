using Brightline.Agreements;
using Brightline.Data;
using Brightline.Policy.Model;

namespace Brightline.Approvals;

/// <summary>Official-capacity approvals in force now, as the extra groups the agreements feature asks for (O14).</summary>
public sealed class ApprovedGroups(BrightlineDbContext db, TimeProvider time) : IApprovedGroups
{
    public async Task<IReadOnlyList<string>> ForPersonAsync(SchoolPolicy policy, string schoolId, Guid personId, CancellationToken cancellationToken) =>
        (await ApprovalEffects.ForPersonAsync(db, policy, schoolId, personId, time.GetUtcNow(), cancellationToken)).ExtraGroups;

    public Task<IReadOnlyDictionary<Guid, IReadOnlyList<string>>> ForSchoolAsync(SchoolPolicy policy, string schoolId, CancellationToken cancellationToken) =>
        ApprovalEffects.OfficialCapacityGroupsAsync(db, policy, schoolId, time.GetUtcNow(), cancellationToken);
}
