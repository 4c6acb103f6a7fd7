using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Access;

/// <summary>How active sanctions change the gate's answer. Expiry needs no job: "active" is compared with now.</summary>
public static class SanctionRules
{
    public const string WithdrawnCode = "sanction-internet-withdrawn";
    public const string SuspendedCode = "sanction-suspended";
    public const string MeetingCode = "sanction-parent-meeting";

    public static bool IsActive(Sanction s, DateTimeOffset now) =>
        s.LiftedAt is null && s.StartsAt <= now && (s.EndsAt is not { } end || end > now);

    /// <summary>Active sanctions of a person. Times are compared in memory: SQLite cannot compare DateTimeOffset columns.</summary>
    public static async Task<List<Sanction>> ActiveAsync(BrightlineDbContext db, string schoolId, Guid personId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await db.Set<Sanction>().AsNoTracking()
            .Where(s => s.SchoolId == schoolId && s.PersonId == personId && s.LiftedAt == null)
            .ToListAsync(cancellationToken);
        return open.Where(s => IsActive(s, now)).OrderBy(s => s.StartsAt).ToList();
    }

    /// <summary><see cref="ActiveAsync(BrightlineDbContext, string, Guid, DateTimeOffset, CancellationToken)"/> for several people in one query.</summary>
    public static async Task<ILookup<Guid, Sanction>> ActiveAsync(BrightlineDbContext db, string schoolId, IReadOnlyList<Guid> personIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await db.Set<Sanction>().AsNoTracking()
            .Where(s => s.SchoolId == schoolId && personIds.Contains(s.PersonId) && s.LiftedAt == null)
            .ToListAsync(cancellationToken);
        return open.Where(s => IsActive(s, now)).OrderBy(s => s.StartsAt).ToLookup(s => s.PersonId);
    }

    public static bool IsSuspended(IEnumerable<Sanction> active) => active.Any(s => s.Kind == SanctionKind.SuspendAccount);

    public static async Task<bool> IsSuspendedAsync(BrightlineDbContext db, string schoolId, Guid personId, DateTimeOffset now, CancellationToken cancellationToken) =>
        IsSuspended(await ActiveAsync(db, schoolId, personId, now, cancellationToken));

    /// <summary>Adds the sanctions' refusals to a decision, and the restricted categories.</summary>
    public static AccessDecision Apply(AccessDecision decision, IReadOnlyList<Sanction> active)
    {
        if (active.Count == 0)
        {
            return decision;
        }

        var items = new List<AccessItem>();
        foreach (var item in decision.Items)
        {
            var reasons = item.Reasons.ToList();
            foreach (var s in active)
            {
                if (Refuses(s.Kind, item.Access))
                {
                    reasons.Add(new AccessReason(CodeOf(s.Kind), Explain(s), null, Brightline.Kernel.SchoolClock.DateOf(s.StartsAt)));
                }
            }

            items.Add(new AccessItem(item.Access, reasons.Count == 0, reasons));
        }

        var restricted = active.Where(s => s.Kind == SanctionKind.RestrictCategories)
            .SelectMany(s => s.Categories)
            .Distinct(StringComparer.Ordinal).ToList();
        return decision with { Items = items, RestrictedCategories = [.. decision.RestrictedCategories, .. restricted] };
    }

    private static bool Refuses(SanctionKind kind, AccessKind access) => kind switch
    {
        SanctionKind.WithdrawInternet or SanctionKind.ParentMeetingRequired => access == AccessKind.Internet,
        SanctionKind.SuspendAccount => true,
        SanctionKind.RestrictCategories => false,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown sanction kind."),
    };

    private static string CodeOf(SanctionKind kind) => kind switch
    {
        SanctionKind.WithdrawInternet => WithdrawnCode,
        SanctionKind.SuspendAccount => SuspendedCode,
        SanctionKind.ParentMeetingRequired => MeetingCode,
        SanctionKind.RestrictCategories => "sanction-restrict-categories",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown sanction kind."),
    };

    /// <summary>C13: "Internet withdrawn by &lt;who&gt; on &lt;date&gt; until &lt;date&gt;: &lt;reason&gt;".</summary>
    public static string Explain(Sanction s)
    {
        var until = s.EndsAt is { } end ? $"until {UkFormat.ShortDateTime(end)}" : "until further notice";
        var on = UkFormat.ShortDateTime(s.StartsAt);
        return s.Kind switch
        {
            SanctionKind.WithdrawInternet => $"Internet withdrawn by {s.ImposedBy} on {on} {until}: {s.Reason}",
            SanctionKind.SuspendAccount => $"Account suspended by {s.ImposedBy} on {on} {until}: {s.Reason}",
            SanctionKind.ParentMeetingRequired => $"Internet withdrawn by {s.ImposedBy} on {on} until a meeting with parents: {s.Reason}",
            SanctionKind.RestrictCategories => $"Categories {string.Join(',', s.Categories)} restricted by {s.ImposedBy} on {on} {until}: {s.Reason}",
            _ => throw new ArgumentOutOfRangeException(nameof(s), s.Kind, "Unknown sanction kind."),
        };
    }
}
