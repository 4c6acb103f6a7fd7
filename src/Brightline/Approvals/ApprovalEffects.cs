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

    /// <summary>
    /// O3, W4: the person's exemptions in force now, as the filter applies them: each relaxes exactly its category or the
    /// deny rules citing its rule, and is cited as "type, approved by name, until dd/MM/yyyy". An exemption from a policy
    /// rule that no filter entry cites relaxes nothing in the filter (it is a record of the head's decision).
    /// </summary>
    public static async Task<IReadOnlyList<Filtering.FilterExemption>> FilterExemptionsAsync(
        BrightlineDbContext db, SchoolPolicy policy, string schoolId, Guid personId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var active = await ActiveAsync(db, schoolId, personId, now, cancellationToken, ApprovalKinds.Exemption);
        return active.Count == 0 ? [] : await FilterExemptionsAsync(db, policy, schoolId, active, cancellationToken);
    }

    internal static async Task<IReadOnlyList<Filtering.FilterExemption>> FilterExemptionsAsync(
        BrightlineDbContext db, SchoolPolicy policy, string schoolId, IEnumerable<ApprovalRequest> approvals, CancellationToken cancellationToken)
    {
        var exemptions = approvals.Where(a => a.Kind == ApprovalKinds.Exemption).OrderBy(a => a.EndsAt).ToList();
        if (exemptions.Count == 0)
        {
            return [];
        }

        // "Who approved" by name: the decider's account is their email address at the school.
        var deciders = exemptions.Select(a => a.DecidedBy).OfType<string>().SelectMany(d => new[] { d, d.ToLowerInvariant() }).Distinct(StringComparer.Ordinal).ToList();
        var names = (await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.Email != null && deciders.Contains(p.Email))
                .Select(p => new { p.Email, p.GivenName, p.FamilyName }).ToListAsync(cancellationToken))
            .GroupBy(p => p.Email!.ToLowerInvariant()).ToDictionary(g => g.Key, g => $"{g.First().GivenName} {g.First().FamilyName}", StringComparer.Ordinal);
        var settings = ApprovalSettings.From(policy);
        var result = new List<Filtering.FilterExemption>();
        foreach (var a in exemptions)
        {
            var categories = a.Category is { } c && Filtering.Categories.TryParse(c, out var parsed) && !Filtering.Categories.IsIllegal(parsed)
                ? Filtering.CategorySet.Empty.With(parsed) : Filtering.CategorySet.Empty;
            // With a category the rule is only the citation; without one the exemption relaxes the deny entries citing the rule.
            IReadOnlyList<string> rules = a.Category is null && a.RuleId is { } rule ? [rule] : [];
            var who = a.DecidedBy is { } d ? names.GetValueOrDefault(d.ToLowerInvariant(), d) : "—";
            var title = settings.Find(a.TypeId)?.Title ?? a.TypeId;
            var what = a.Category is { } cat ? $"category '{cat}'" : $"rule {a.RuleId}";
            var until = a.EndsAt is { } end ? Kernel.UkFormat.ShortDate(end) : "—";
            result.Add(new Filtering.FilterExemption(categories, rules, $"\"{title}\" ({what}), approved by {who}, until {until}"));
        }

        return result;
    }

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
        var relevant = active.Where(a => a.Kind is ApprovalKinds.Unrestricted or ApprovalKinds.OfficialCapacity or ApprovalKinds.Exemption).Select(a => a.EndsAt).Min();
        var exemptions = await FilterExemptionsAsync(db, policy, schoolId, active, cancellationToken);
        return new PersonApprovalEffects(unrestricted, groups, relevant) { Exemptions = exemptions };
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
        var settings = ApprovalSettings.From(policy);
        return approvals.Where(a => a.Kind == ApprovalKinds.OfficialCapacity)
            .Select(a => settings.Find(a.TypeId)?.Group ?? policy.Groups.FirstOrDefault(g => g.Kind == PersonKind.Staff)?.Id ?? "")
            .Where(g => policy.FindGroup(g) is not null)
            .Distinct(StringComparer.Ordinal).ToList();
    }
}
