using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Approvals;

/// <summary>
/// Reads approvals in force for other features (the DNS filter, and features such as devices that need
/// "does this person hold an approval of kind X now?"). "In force" is always compared with now, so an
/// approval whose time has run out stops working even before the sweep records its end.
/// </summary>
public static class ApprovalEffects
{
    /// <summary>Approvals of <paramref name="personId"/> in force now, of any kind (or of <paramref name="kind"/>).</summary>
    public static async Task<List<ApprovalRequest>> ActiveAsync(BrightlineDbContext db, string schoolId, Guid personId, DateTimeOffset now, CancellationToken cancellationToken, string? kind = null)
    {
        var rows = await db.Set<ApprovalRequest>().AsNoTracking()
            .Where(a => a.SchoolId == schoolId && a.SubjectPersonId == personId && a.Status == ApprovalState.Active && (kind == null || a.Kind == kind))
            .ToListAsync(cancellationToken);
        return rows.Where(a => ApprovalService.IsInForce(a, now)).ToList();
    }

    /// <summary>True when the person holds an exemption from <paramref name="ruleId"/> now (O3).</summary>
    public static async Task<bool> IsExemptAsync(BrightlineDbContext db, string schoolId, Guid personId, string ruleId, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await ActiveAsync(db, schoolId, personId, now, cancellationToken, ApprovalKinds.Exemption)).Any(a => string.Equals(a.RuleId, ruleId, StringComparison.Ordinal));

    /// <summary>What the DNS filter needs for one person.</summary>
    public static async Task<PersonApprovalEffects> ForPersonAsync(BrightlineDbContext db, SchoolPolicy policy, string schoolId, Guid personId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var active = await ActiveAsync(db, schoolId, personId, now, cancellationToken);
        if (active.Count == 0)
        {
            return PersonApprovalEffects.None;
        }

        var unrestricted = active.Where(a => a.Kind == ApprovalKinds.Unrestricted).Select(a => a.EndsAt).Max();
        var groups = OfficialCapacityGroups(policy, active);
        var relevant = active.Where(a => a.Kind is ApprovalKinds.Unrestricted or ApprovalKinds.OfficialCapacity).Select(a => a.EndsAt).Min();
        return new PersonApprovalEffects(unrestricted, groups, relevant);
    }

    /// <summary>
    /// O14 for the whole school at once (the dashboard's compliance): each person with an official-capacity
    /// approval in force now, and the groups whose rules and agreements apply to them because of it.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, IReadOnlyList<string>>> OfficialCapacityGroupsAsync(
        BrightlineDbContext db, SchoolPolicy policy, string schoolId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await db.Set<ApprovalRequest>().AsNoTracking()
            .Where(a => a.SchoolId == schoolId && a.Kind == ApprovalKinds.OfficialCapacity && a.Status == ApprovalState.Active)
            .ToListAsync(cancellationToken);
        return rows.Where(a => a.SubjectPersonId is not null && ApprovalService.IsInForce(a, now)).GroupBy(a => a.SubjectPersonId!.Value)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)OfficialCapacityGroups(policy, g));
    }

    /// <summary>True when <paramref name="personId"/> holds an official-capacity approval in force now (O14: staff rules, and the staff portal role, apply).</summary>
    public static async Task<bool> IsInOfficialCapacityAsync(BrightlineDbContext db, string schoolId, Guid personId, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await ActiveAsync(db, schoolId, personId, now, cancellationToken, ApprovalKinds.OfficialCapacity)).Count > 0;

    /// <summary>The groups the official-capacity approvals among <paramref name="approvals"/> grant (the type's group, else the policy's staff group).</summary>
    private static List<string> OfficialCapacityGroups(SchoolPolicy policy, IEnumerable<ApprovalRequest> approvals)
    {
        var settings = ApprovalSettings.Validate(policy).Count == 0 ? ApprovalSettings.From(policy) : null;
        return approvals.Where(a => a.Kind == ApprovalKinds.OfficialCapacity)
            .Select(a => settings?.Find(a.TypeId)?.Group ?? policy.Groups.FirstOrDefault(g => g.Kind == PersonKind.Staff)?.Id ?? "")
            .Where(g => policy.FindGroup(g) is not null)
            .Distinct(StringComparer.Ordinal).ToList();
    }
}
