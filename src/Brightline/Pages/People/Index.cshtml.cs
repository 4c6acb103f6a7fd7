using Brightline.Agreements;
using Brightline.Kernel;
using Brightline.Data.Entities;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.People;

[Authorize(Policy = PortalPolicies.People)]
public sealed class IndexModel(PortalScope scope, PolicyStore policies, AgreementStandings standings, Brightline.Data.BrightlineDbContext db, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Group { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Class { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Leavers { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Brightline.Policy.Model.Group> Groups { get; private set; } = [];

    public IReadOnlyList<string> ClassNames { get; private set; } = [];

    public Paged<PersonRow> Results { get; private set; } = new([], 1, 0);

    public bool CanImport => scope.CanManage;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var (policy, query) = await FilteredAsync(cancellationToken);
        var page = PortalHtml.ClampPage(PageNumber);
        // The agreements filter is part of the query (issue 18 part 1: stored standings), so every filter pages in the database.
        var total = await query.CountAsync(cancellationToken);
        var items = await query.Skip((page - 1) * PortalHtml.PageSize).Take(PortalHtml.PageSize).ToListAsync(cancellationToken);
        Results = new Paged<PersonRow>(await RowsForAsync(policy, items, cancellationToken), page, total);
    }

    /// <summary>"Export selected" (issue 17, bulk actions): only these people, still within the filter and what the caller may see.</summary>
    [BindProperty(SupportsGet = true, Name = "id")]
    public List<Guid> Selected { get; set; } = [];

    /// <summary>
    /// Issue 17 (export): everyone the search finds, not just this page, with the filter as on screen. People are named,
    /// with the school's own ID (admission number or staff code) as the page shows it; never Brightline's internal ID.
    /// </summary>
    [AuditedExport("people list")]
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var (policy, query) = await FilteredAsync(cancellationToken);
        if (Selected.Count > 0)
        {
            var chosen = Selected.Take(1000).ToList();
            query = query.Where(p => chosen.Contains(p.Id));
        }

        var csv = new System.Text.StringBuilder(SafeCsv.Line("Name", "ID", "Year", "Class", "Groups", "Agreements", "Left on"));
        foreach (var row in await RowsAsync(policy, query, cancellationToken))
        {
            var p = row.Person;
            csv.Append(SafeCsv.Line(p.FullName, p.ExternalId, p.YearGroup, p.ClassName, row.Groups, AgreementsText(row),
                p.LeftOn is { } left ? UkFormat.Short(left) : ""));
        }

        Response.Headers.CacheControl = "no-store";
        return File(System.Text.Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", "people.csv");
    }

    public string CsvLink => PortalHtml.Link("/people",
        ("handler", "csv"), ("q", Q), ("group", Group), ("class", Class), ("state", State), ("leavers", Leavers ? "true" : null));

    /// <summary>The agreements column in words, as the page's tag says it.</summary>
    public static string AgreementsText(PersonRow row) =>
        row.Overdue > 0 ? $"{row.Overdue} overdue"
        : row.Due > 0 ? $"{row.Due} due"
        : row.Required > 0 ? "All signed"
        : "None needed";

    /// <summary>The people this user may see, narrowed by the search, class, group and leavers filters, in name order.</summary>
    private async Task<(SchoolPolicy Policy, IQueryable<Person> Query)> FilteredAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var policy = await policies.ActiveAsync(school, cancellationToken);
        Groups = policy.Groups;
        var people = await scope.PeopleAsync(cancellationToken);
        ClassNames = await people.Where(p => p.ClassName != null).Select(p => p.ClassName!).Distinct().OrderBy(c => c).ToListAsync(cancellationToken);

        var query = people.AsNoTracking();
        if (!Leavers)
        {
            // On roll as the dashboard counts it (issue 17 defect 7): a leaving date still ahead is not yet a leaver.
            query = query.Where(Brightline.People.OnRoll.On(Brightline.Kernel.SchoolClock.Today(time)));
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            // Lower-cased on both sides so the search behaves the same on SQLite and PostgreSQL.
            var q = Q.Trim().ToLowerInvariant();
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
            query = query.Where(p =>
                (p.GivenName + " " + p.FamilyName).ToLower().Contains(q)
                || p.FamilyName.ToLower().Contains(q)
                || p.ExternalId.ToLower().Contains(q)
                || (p.Email != null && p.Email.ToLower().Contains(q)));
#pragma warning restore CA1862, CA1311
        }

        if (!string.IsNullOrEmpty(Class))
        {
            query = query.Where(p => p.ClassName == Class);
        }

        if (!string.IsNullOrEmpty(Group) && policy.FindGroup(Group) is { } group)
        {
            var bit = PersonGroups.Mask(group.Kind);
            var years = group.YearGroups.ToList();
            query = years.Count == 0
                ? query.Where(p => (p.KindMask & bit) != 0)
                : query.Where(p => (p.KindMask & bit) != 0 && p.YearGroup != null && years.Contains(p.YearGroup));
            if (group.Where.Count > 0)
            {
                // A group defined by imported attributes (issue 15 part 4): the JSON column is read in memory, where
                // PersonGroups decides membership as everywhere else, and the page is then taken by ID.
                var candidates = await query.AsNoTracking().ToListAsync(cancellationToken);
                var ids = candidates.Where(p => PersonGroups.For(policy, p).Any(g => string.Equals(g.Id, group.Id, StringComparison.Ordinal)))
                    .Select(p => p.Id).ToList();
                query = query.Where(p => ids.Contains(p.Id));
            }
        }

        await standings.EnsureFreshAsync(school, cancellationToken);
        if (!string.IsNullOrEmpty(State))
        {
            var today = SchoolClock.Today(time);
            // Rows of a leaver count for nothing (AgreementStatus asks nothing of someone who has left).
            // By person only (the person is the school's): given the school too, SQLite may read the school's index for each person.
            var rows = db.Set<AgreementStanding>();
            query = State switch
            {
                "signed" => query.Where(p => (p.LeftOn == null || p.LeftOn > today) && rows.Any(s => s.PersonId == p.Id) && !rows.Any(s => s.PersonId == p.Id && !s.Signed)),
                "outstanding" => query.Where(p => (p.LeftOn == null || p.LeftOn > today) && rows.Any(s => s.PersonId == p.Id && !s.Signed)),
                "overdue" => query.Where(p => (p.LeftOn == null || p.LeftOn > today) && rows.Any(s => s.PersonId == p.Id && !s.Signed && s.DueBy < today)),
                "none" => query.Where(p => (p.LeftOn != null && p.LeftOn <= today) || !rows.Any(s => s.PersonId == p.Id)),
                _ => query,
            };
        }

        return (policy, query.OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).ThenBy(p => p.Id));
    }

    /// <summary>Every matching person's row (the agreements filter is already in <paramref name="query"/>).</summary>
    private async Task<List<PersonRow>> RowsAsync(SchoolPolicy policy, IQueryable<Person> query, CancellationToken cancellationToken) =>
        await RowsForAsync(policy, await query.ToListAsync(cancellationToken), cancellationToken);

    public string PageLink(int page) => PortalHtml.Link("/people",
        ("q", Q), ("group", Group), ("class", Class), ("state", State), ("leavers", Leavers ? "true" : null),
        ("p", page.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The rows for these people, their agreement counts from the stored standings in one grouped query.</summary>
    private async Task<List<PersonRow>> RowsForAsync(SchoolPolicy policy, List<Person> people, CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var today = SchoolClock.Today(time);
        var ids = people.Where(p => Brightline.People.OnRoll.Is(p, today)).Select(p => p.Id).ToList();
        var counts = (await db.Set<AgreementStanding>().AsNoTracking()
                .Where(s => s.SchoolId == school && ids.Contains(s.PersonId))
                .GroupBy(s => s.PersonId)
                .Select(g => new { PersonId = g.Key, Required = g.Count(), Open = g.Count(s => !s.Signed), Overdue = g.Count(s => !s.Signed && s.DueBy < today) })
                .ToListAsync(cancellationToken))
            .ToDictionary(c => c.PersonId, c => (c.Required, Due: c.Open - c.Overdue, c.Overdue));
        return people.Select(p =>
        {
            // A leaver owes nothing, as AgreementStatus says; their rows are kept but not counted.
            var (required, due, overdue) = counts.GetValueOrDefault(p.Id);
            var groups = string.Join(", ", PersonGroups.For(policy, p).Select(g => g.Name));
            return new PersonRow(p, groups.Length == 0 ? "—" : groups, required, due, overdue);
        }).ToList();
    }
}
