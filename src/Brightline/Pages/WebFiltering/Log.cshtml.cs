using System.Globalization;
using System.Text;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.WebFiltering;

/// <summary>The DNS decision log of the current school: search, filters, 50 a page, newest first.</summary>
[Authorize(Roles = PortalRoles.FilteringViewerNames)]
public sealed class LogModel(PortalScope scope, BrightlineDbContext db) : PageModel
{
    private static readonly CultureInfo s_uk = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>Name contains.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>Person's name contains (only people the viewer may see).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Person { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Client { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Decision { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public Paged<DnsDecisionEntry> Results { get; private set; } = new([], 1, 0);

    public IReadOnlyList<string> Decisions { get; private set; } = [];

    public IReadOnlyList<string> CategoryNames { get; private set; } = [];

    /// <summary>Names of the people on this page the viewer may see (others are shown without a name).</summary>
    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();

    public List<string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        Decisions = await db.DnsDecisions.AsNoTracking().Where(d => d.SchoolId == school).Select(d => d.Decision).Distinct().OrderBy(d => d).ToListAsync(cancellationToken);
        CategoryNames = Brightline.Filtering.Categories.All.Select(c => c.Name).ToList();
        var query = await FilteredAsync(cancellationToken);
        var page = PortalHtml.ClampPage(PageNumber);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(d => d.At).ThenByDescending(d => d.Id)
            .Skip((page - 1) * PortalHtml.PageSize).Take(PortalHtml.PageSize).ToListAsync(cancellationToken);
        Results = new Paged<DnsDecisionEntry>(items, page, total);

        var onPage = items.Where(d => d.PersonId != null).Select(d => d.PersonId!.Value).Distinct().ToList();
        if (onPage.Count > 0)
        {
            Names = await NamesAsync(onPage, cancellationToken);
        }
    }

    /// <summary>
    /// Issue 17 (export): the filtered log as CSV, newest first, the page's columns; at most <see cref="CsvMaxRows"/>
    /// decisions (the log holds every lookup of every device: narrow it by date to take more than that).
    /// </summary>
    [AuditedExport("filter decision log")]
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var query = await FilteredAsync(cancellationToken);
        if (Errors.Count > 0)
        {
            // A date that is not a date would silently widen the export: show the page and its message instead.
            return RedirectToPage(new { q = Q, person = Person, client = Client, decision = Decision, category = Category, from = From, to = To });
        }

        var items = await query.OrderByDescending(d => d.At).ThenByDescending(d => d.Id).Take(CsvMaxRows).ToListAsync(cancellationToken);
        var names = await NamesAsync(items.Where(d => d.PersonId != null).Select(d => d.PersonId!.Value).Distinct().ToList(), cancellationToken);
        var csv = new StringBuilder(SafeCsv.Line("When", "Name", "Type", "Decision", "Category", "Profile", "Device", "Person", "Reason"));
        foreach (var d in items)
        {
            var person = d.PersonId is { } id ? names.TryGetValue(id, out var name) ? name : "Someone you cannot see" : "";
            csv.Append(SafeCsv.Line(UkFormat.ShortDateTime(d.At), d.Name, d.QueryType, d.Decision, d.Category, d.Profile, d.ClientAddress, person, d.Reason));
        }

        Response.Headers.CacheControl = "no-store";
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", "filter-decisions.csv");
    }

    public const int CsvMaxRows = 50_000;

    public string CsvLink => PortalHtml.Link("/filtering/log",
        ("handler", "csv"), ("q", Q), ("person", Person), ("client", Client), ("decision", Decision), ("category", Category), ("from", From), ("to", To));

    /// <summary>Names of those people the viewer may see; the rest stay unnamed.</summary>
    private async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(List<Guid> ids, CancellationToken cancellationToken)
    {
        var visible = await scope.PeopleAsync(cancellationToken);
        return await visible.AsNoTracking().Where(p => ids.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.GivenName + " " + p.FamilyName, cancellationToken);
    }

    /// <summary>The school's decisions narrowed by the page's search and filters (the person filter only finds people the viewer may see).</summary>
    private async Task<IQueryable<DnsDecisionEntry>> FilteredAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var query = db.DnsDecisions.AsNoTracking().Where(d => d.SchoolId == school);
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim().ToLowerInvariant();
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
            query = query.Where(d => d.Name.ToLower().Contains(q));
#pragma warning restore CA1862, CA1311
        }

        if (!string.IsNullOrWhiteSpace(Person))
        {
            var q = Person.Trim().ToLowerInvariant();
            var people = await scope.PeopleAsync(cancellationToken);
#pragma warning disable CA1862, CA1311
            var ids = await people.Where(p => (p.GivenName + " " + p.FamilyName).ToLower().Contains(q)).Select(p => p.Id).ToListAsync(cancellationToken);
#pragma warning restore CA1862, CA1311
            query = query.Where(d => d.PersonId != null && ids.Contains(d.PersonId.Value));
        }

        if (!string.IsNullOrWhiteSpace(Client))
        {
            var c = Client.Trim();
            query = query.Where(d => d.ClientAddress.StartsWith(c));
        }

        if (!string.IsNullOrEmpty(Decision))
        {
            query = query.Where(d => d.Decision == Decision);
        }

        if (!string.IsNullOrEmpty(Category))
        {
            query = query.Where(d => d.Category == Category);
        }

        if (ParseDate(From, "From") is { } from)
        {
            var start = Brightline.Kernel.SchoolClock.StartOf(from);
            query = query.Where(d => d.At >= start);
        }

        if (ParseDate(To, "To") is { } to)
        {
            var end = Brightline.Kernel.SchoolClock.StartOf(to.AddDays(1));
            query = query.Where(d => d.At < end);
        }

        return query;
    }

    private DateOnly? ParseDate(string? text, string label)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd"], s_uk, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Errors.Add($"{label} date '{text}' is not a date like 25/11/2026; it was ignored.");
        return null;
    }

    public string PageLink(int page) => PortalHtml.Link("/filtering/log",
        ("q", Q), ("person", Person), ("client", Client), ("decision", Decision), ("category", Category),
        ("from", From), ("to", To), ("p", page.ToString(CultureInfo.InvariantCulture)));
}
