using System.Globalization;
using System.Text;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.WebFiltering;

/// <summary>
/// The DNS decision log of the current school: search, filters, 50 a page, newest first. Issue 18 part 4: a trust's log
/// holds hundreds of millions of rows, so the page never counts them and never skips over them: it reads the next 50
/// after the last one shown (keyset, on the (SchoolId, At) index) and only within a time window (the From/To dates,
/// or the school's decision-log retention, which is all the log keeps), so PostgreSQL reads only those days' partitions.
/// "Name contains" asks the school's daily names summary first (<see cref="NewestAsync"/>).
/// </summary>
[Authorize(Roles = PortalRoles.FilteringViewerNames)]
public sealed class LogModel(PortalScope scope, BrightlineDbContext db, PolicyStore policies, TimeProvider time) : PageModel
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

    /// <summary>Where the page starts: the time (UTC ticks) and number of the last decision on the page before, "ticks.id".</summary>
    [BindProperty(SupportsGet = true)]
    public string? Before { get; set; }

    public IReadOnlyList<DnsDecisionEntry> Items { get; private set; } = [];

    /// <summary>Whether there are older decisions than this page's (the page reads one more than it shows to know).</summary>
    public bool HasMore { get; private set; }

    /// <summary>Whether this is the newest page (no <see cref="Before"/>).</summary>
    public bool IsNewest => Cursor(Before) is null;

    public IReadOnlyList<string> Decisions { get; } =
        Enum.GetValues<Brightline.Dns.Logging.DnsDecision>().Select(d => Brightline.Policy.PolicyNames.ToSnake(d.ToString())).Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<string> CategoryNames { get; private set; } = [];

    /// <summary>Names of the people on this page the viewer may see (others are shown without a name).</summary>
    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();

    public List<string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        CategoryNames = Brightline.Filtering.Categories.All.Select(c => c.Name).ToList();
        var query = await FilteredAsync(cancellationToken);
        var cursor = Cursor(Before);
        if (cursor is var (at, id))
        {
            // "At <= at" alone is what the index range needs; the rest settles ties on the same instant by number.
            query = query.Where(d => d.At <= at && (d.At < at || d.Id < id));
        }

        var items = await NewestAsync(query, cursor?.At, PortalHtml.PageSize + 1, cancellationToken);
        HasMore = items.Count > PortalHtml.PageSize;
        Items = HasMore ? items[..PortalHtml.PageSize] : items;

        var onPage = Items.Where(d => d.PersonId != null).Select(d => d.PersonId!.Value).Distinct().ToList();
        if (onPage.Count > 0)
        {
            Names = await NamesAsync(onPage, cancellationToken);
        }
    }

    /// <summary>The link to the page of decisions older than the last one shown.</summary>
    public string OlderLink
    {
        get
        {
            var last = Items[^1];
            return PageLink(last.At.UtcTicks.ToString(CultureInfo.InvariantCulture) + "." + last.Id.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static (DateTimeOffset At, long Id)? Cursor(string? before)
    {
        var dot = before?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        return dot > 0
            && long.TryParse(before.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && long.TryParse(before.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? (new DateTimeOffset(ticks, TimeSpan.Zero), id)
            : null;
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

        var items = await NewestAsync(query, null, CsvMaxRows, cancellationToken);
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
        // "Name contains" (Q) is not a filter here: NewestAsync answers it from the names summary first.

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
            _windowStart = start;
        }
        else
        {
            // Without a From date the window is what the log keeps (a day's grace for the hourly purge): it costs nothing
            // on a small log, and on PostgreSQL it keeps a search for a rare name from reading every partition there is.
            var start = time.GetUtcNow() - TimeSpan.FromDays(await RetentionDaysAsync(school, cancellationToken) + 1);
            query = query.Where(d => d.At >= start);
            _windowStart = start;
        }

        if (ParseDate(To, "To") is { } to)
        {
            var end = Brightline.Kernel.SchoolClock.StartOf(to.AddDays(1));
            query = query.Where(d => d.At < end);
            _windowEnd = end;
        }

        return query;
    }

    // The time window FilteredAsync chose: from (always set) and before (the To date's end, when there is one).
    private DateTimeOffset _windowStart;
    private DateTimeOffset? _windowEnd;

    /// <summary>Names a search matches on so many distinct names at once is read by "name contains" itself (below).</summary>
    internal const int MaxNamesPerRead = 50;

    /// <summary>
    /// The newest <paramref name="limit"/> decisions of <paramref name="query"/> (filtered, and after the cursor when
    /// <paramref name="before"/> is set), newest first, whose name contains <see cref="Q"/> when there is one.
    /// <para>
    /// Issue 18 part 4: "name contains" cannot use an index on the log, and on a trust's log it read a month of
    /// partitions (2.4 s on 20 M rows). So it asks the school's daily names summary (dns_decision_names, which
    /// DnsDecisionStore keeps in the same transaction as the log) which names contain the text on which days of the
    /// window: when none do, the answer is empty without reading the log. Otherwise it reads the log only for those
    /// exact names (on PostgreSQL each ended day partition's (SchoolId, Name, At) index, built an hour after the day ends,
    /// and today's rows through (SchoolId, At); on SQLite, one school, (SchoolId, At)) and only on those days, newest days first, a few days at a time,
    /// and stops as soon as it has enough. Every decision whose name contains the text is on a day the summary lists
    /// for that name, so the rows and their order are those of the filter on the whole window. A day on which the
    /// text matches more than <see cref="MaxNamesPerRead"/> names is read with the text itself as the filter: so many
    /// matching names make matches common, and reading the day newest first then stops early.
    /// </para>
    /// </summary>
    private async Task<List<DnsDecisionEntry>> NewestAsync(IQueryable<DnsDecisionEntry> query, DateTimeOffset? before, int limit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Q))
        {
            return await Newest(query, limit).ToListAsync(cancellationToken);
        }

        var q = Q.Trim().ToLowerInvariant();
        var school = scope.RequiredSchoolId;
        var firstDay = SchoolClock.DateOf(_windowStart);
        var lastInstant = before ?? _windowEnd?.AddTicks(-1);
        var lastDay = lastInstant is { } last ? SchoolClock.DateOf(last) : DateOnly.MaxValue;
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
        var matches = await db.DnsDecisionNames.AsNoTracking()
            .Where(n => n.SchoolId == school && n.Day >= firstDay && n.Day <= lastDay && n.Name.ToLower().Contains(q))
            .Select(n => new { n.Day, n.Name })
            .ToListAsync(cancellationToken);
        var days = matches.GroupBy(m => m.Day).OrderByDescending(g => g.Key).Select(g => (Day: g.Key, Names: g.Select(m => m.Name).ToList())).ToList();
        var found = new List<DnsDecisionEntry>();
        for (var i = 0; i < days.Count && found.Count < limit;)
        {
            // Newest days first, as many together as share at most MaxNamesPerRead names (a rare name's days all at once).
            var names = new HashSet<string>(days[i].Names, StringComparer.Ordinal);
            var j = i + 1;
            while (names.Count <= MaxNamesPerRead && j < days.Count && names.Union(days[j].Names).Take(MaxNamesPerRead + 1).Count() <= MaxNamesPerRead)
            {
                names.UnionWith(days[j].Names);
                j++;
            }

            var from = SchoolClock.StartOf(days[j - 1].Day);
            var to = SchoolClock.StartOf(days[i].Day.AddDays(1));
            var read = query.Where(d => d.At >= from && d.At < to);
            if (names.Count > MaxNamesPerRead)
            {
                read = read.Where(d => d.Name.ToLower().Contains(q));
            }
            else if (names.Count == 1)
            {
                // Equality rather than a one-name list: PostgreSQL reads an index newest first for "=", not for "= ANY".
                var name = names.First();
                read = read.Where(d => d.Name == name);
            }
            else
            {
                var list = names.ToList();
                read = read.Where(d => list.Contains(d.Name));
            }
#pragma warning restore CA1862, CA1311

            found.AddRange(await Newest(read, limit - found.Count).ToListAsync(cancellationToken));
            i = j;
        }

        return found;
    }

    private static IQueryable<DnsDecisionEntry> Newest(IQueryable<DnsDecisionEntry> query, int limit) =>
        query.OrderByDescending(d => d.At).ThenByDescending(d => d.Id).Take(limit);

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

    private async Task<int> RetentionDaysAsync(string school, CancellationToken cancellationToken)
    {
        try
        {
            return (await policies.ActiveAsync(school, cancellationToken)).Filtering.DecisionLog.RetentionDays;
        }
        catch (NotFoundException)
        {
            return Brightline.Policy.Model.DecisionLogSettings.DefaultRetentionDays;
        }
    }

    /// <summary>This search from its newest decision (<paramref name="before"/> null) or from after a given one.</summary>
    public string PageLink(string? before) => PortalHtml.Link("/filtering/log",
        ("q", Q), ("person", Person), ("client", Client), ("decision", Decision), ("category", Category),
        ("from", From), ("to", To), ("before", before));
}
