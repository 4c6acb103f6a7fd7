using System.Text;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Access;

/// <summary>
/// O17: "access rights are defined and managed by the ICT Coordinator; access granted in error is reported". The register
/// lists every current person at the school with what they hold — portal roles, and login, network and internet as the
/// access gate decides them (signed agreements, sanctions in force) and the policy's networks for their groups — and
/// opens a security incident about a person when someone reports access granted in error, so the policy's security
/// route (Omnicom: the ICT Coordinator) hears of it. Every query is scoped to the school.
/// </summary>
public sealed class AccessRightsRegister(BrightlineDbContext db, PolicyStore policies, AccessGate gate, IncidentService incidents, TimeProvider time)
{
    /// <summary>Who reads the register: the ICT Coordinator, the head, the IT provider and IT support, and admins.</summary>
    public const string ReaderNames = $"{PortalRoles.ComputingLead},{PortalRoles.Head},{PortalRoles.ItProvider},{PortalRoles.ItSupport},{PortalRoles.Admin}";

    public static readonly IReadOnlyList<string> Readers = ReaderNames.Split(',');

    /// <summary>The title every report starts with, so the register can find the open ones among security incidents.</summary>
    public const string ReportTitle = "Access granted in error";

    private const int RecentChangeCount = 3;

    /// <summary>The people matching <paramref name="query"/> (name or email), by family name, one page.</summary>
    public async Task<Paged<AccessRightsRow>> PageAsync(string schoolId, string? query, int page, CancellationToken cancellationToken)
    {
        var people = Filtered(schoolId, query);
        var total = await people.CountAsync(cancellationToken);
        page = Math.Min(PortalHtml.ClampPage(page), Math.Max(1, (total + PortalHtml.PageSize - 1) / PortalHtml.PageSize));
        var rows = await people.Skip((page - 1) * PortalHtml.PageSize).Take(PortalHtml.PageSize).ToListAsync(cancellationToken);
        return new Paged<AccessRightsRow>(await RowsAsync(schoolId, rows, cancellationToken), page, total);
    }

    /// <summary>Every person matching <paramref name="query"/> as CSV (UK dates, names not IDs).</summary>
    public async Task<string> CsvAsync(string schoolId, string? query, CancellationToken cancellationToken)
    {
        var csv = new StringBuilder();
        csv.Append(SafeCsv.Line("Name", "Groups", "Portal roles", "Login", "Network", "Internet", "Open reports of access granted in error", "Recent role changes"));
        var people = await Filtered(schoolId, query).ToListAsync(cancellationToken);
        foreach (var chunk in people.Chunk(200))
        {
            foreach (var r in await RowsAsync(schoolId, chunk, cancellationToken))
            {
                csv.Append(SafeCsv.Line(r.Name, r.Groups, string.Join("; ", r.Roles), r.Login, r.Network, r.Internet,
                    string.Join("; ", r.OpenReports.Select(i => $"{UkFormat.ShortDate(i.CreatedAt)} {i.Title}")), string.Join("; ", r.RecentChanges)));
            }
        }

        return csv.ToString();
    }

    /// <summary>
    /// "Report access granted in error": a security incident about the person, citing the policy's rules for O17/O5,
    /// routed by the policy's incidents section (and to the ICT Coordinator, who manages access rights).
    /// </summary>
    public async Task<Incident> ReportAsync(string schoolId, Guid personId, string? whatWasWrong, IncidentActor actor, CancellationToken cancellationToken)
    {
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == schoolId && p.Id == personId, cancellationToken)
            ?? throw new NotFoundException("There is no such person at this school.");
        var text = whatWasWrong?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new InvalidException("Say what access was granted in error (for example: the computing lead role, or staff Wi-Fi for a visitor).");
        }

        if (text.Length > 2000)
        {
            throw new InvalidException("Keep the description to 2,000 characters.");
        }

        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var rules = policy.Rules.Where(r => r.Requirements.Contains("O17", StringComparer.Ordinal)).Select(r => r.Id).ToList();
        return await incidents.CreateAsync(new NewIncident(
            schoolId, IncidentKinds.Security, $"{ReportTitle}: {person.FullName}", [person.Id], rules,
            $"Reported from the access rights register (O17). What was wrong: {text}", actor.UserName,
            AlsoNotify: [RoleKeys.ComputingLead]), cancellationToken);
    }

    private IQueryable<Person> Filtered(string schoolId, string? query)
    {
        var today = SchoolClock.Today(time);
        var people = db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && (p.LeftOn == null || p.LeftOn > today));
        if (query?.Trim() is { Length: > 0 } q)
        {
            var lower = q.ToLowerInvariant();
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
            people = people.Where(p => (p.GivenName + " " + p.FamilyName).ToLower().Contains(lower) || (p.Email != null && p.Email.ToLower().Contains(lower)));
#pragma warning restore CA1862, CA1311
        }

        return people.OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).ThenBy(p => p.Id);
    }

    private async Task<IReadOnlyList<AccessRightsRow>> RowsAsync(string schoolId, IReadOnlyList<Person> people, CancellationToken cancellationToken)
    {
        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var ids = people.Select(p => p.Id).ToList();
        var memberships = await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == schoolId && m.PersonId != null && ids.Contains(m.PersonId!.Value))
            .ToListAsync(cancellationToken);
        var reports = await db.Set<IncidentPerson>().AsNoTracking().Where(ip => ids.Contains(ip.PersonId))
            .Join(db.Set<Incident>().AsNoTracking().Where(i => i.SchoolId == schoolId && i.Kind == IncidentKinds.Security && i.Status != IncidentStatus.Closed
                && i.Title.StartsWith(ReportTitle)), ip => ip.IncidentId, i => i.Id, (ip, i) => new { ip.PersonId, Incident = i })
            .ToListAsync(cancellationToken);
        var userIds = memberships.Select(m => m.UserId).Distinct().ToList();
        var changes = await db.AuditEntries.AsNoTracking()
            .Where(a => a.SchoolId == schoolId && a.Action == AuditActions.RoleChange && a.Subject != null && userIds.Contains(a.Subject))
            .OrderByDescending(a => a.Id).Take(500).ToListAsync(cancellationToken);
        var decisions = await gate.EvaluateManyAsync(schoolId, people, cancellationToken);
        var rows = new List<AccessRightsRow>();
        foreach (var person in people)
        {
            var groups = PersonGroups.For(policy, person);
            var decision = decisions[person.Id];
            var mine = memberships.Where(m => m.PersonId == person.Id).ToList();
            var accounts = mine.Select(m => m.UserId).ToHashSet(StringComparer.Ordinal);
            rows.Add(new AccessRightsRow(
                person.Id, person.FullName, string.Join(", ", groups.Select(g => g.Name)),
                mine.Select(m => m.Role).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(PortalRoles.Describe).ToList(),
                Describe(decision, AccessKind.Login, "Allowed"),
                Describe(decision, AccessKind.Network, Networks(policy, groups)),
                Describe(decision, AccessKind.Internet, "Allowed"),
                reports.Where(r => r.PersonId == person.Id).Select(r => r.Incident).OrderByDescending(i => i.CreatedAt).ToList(),
                changes.Where(c => accounts.Contains(c.Subject!)).Take(RecentChangeCount)
                    .Select(c => $"{UkFormat.ShortDate(c.At)}: {c.Detail} by {c.Actor}").ToList()));
        }

        return rows;
    }

    private static string Describe(AccessDecision decision, AccessKind kind, string allowed)
    {
        var item = decision.Items.First(i => i.Access == kind);
        return item.Allowed ? allowed : "Refused: " + string.Join(" ", item.Reasons.Select(r => r.Message));
    }

    /// <summary>The policy's sign-in networks (kind people) that give one of the person's groups a VLAN; none → "No school network for their groups".</summary>
    private static string Networks(SchoolPolicy policy, IReadOnlyList<Group> groups)
    {
        var ids = groups.Select(g => g.Id).ToHashSet(StringComparer.Ordinal);
        var names = policy.Network.Networks.Where(n => n.Kind == NetworkKind.People && n.Vlans.Keys.Any(ids.Contains))
            .Select(n => n.Ssids.Count > 0 ? $"{n.Name} ({string.Join(", ", n.Ssids)})" : n.Name).ToList();
        return names.Count > 0 ? "Allowed: " + string.Join(", ", names) : "Allowed; no sign-in network for their groups";
    }
}
