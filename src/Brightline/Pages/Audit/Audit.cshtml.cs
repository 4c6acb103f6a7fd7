using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Audit;

[Authorize(Policy = PortalPolicies.Audit)]
public sealed partial class AuditModel(PortalScope scope, BrightlineDbContext db, Brightline.People.PeopleNames people) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<string> Actions { get; private set; } = [];

    public Paged<AuditEntry> Results { get; private set; } = new([], 1, 0);

    public AuditVerification? Verification { get; private set; }

    // Issue 17 defect 3: the log names people, not GUIDs or account addresses. The stored text stays as it was
    // recorded (it is hash-chained); these only say who an ID or address on this page is, and only for this school.
    private IReadOnlyDictionary<string, string> _names = new Dictionary<string, string>();

    /// <summary>The subject with every ID of a person or account in this school replaced by their name.</summary>
    public string SubjectText(AuditEntry entry) =>
        entry.Subject is null ? "" : GuidPattern().Replace(entry.Subject, m => _names.TryGetValue(m.Value, out var name) ? name : m.Value);

    /// <summary>Who acted: the person's name where the actor is a school address or account we know, else as recorded.</summary>
    public string ActorText(AuditEntry entry) =>
        _names.TryGetValue(entry.Actor, out var name) ? name
        // A person acting without an account (the browser extension's acknowledgement, "person:<id>") is named too.
        : entry.Actor.StartsWith("person:", StringComparison.Ordinal) && _names.TryGetValue(entry.Actor["person:".Length..], out var person) ? person
        : entry.Actor;

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task OnPostVerifyAsync(CancellationToken cancellationToken)
    {
        Verification = await AuditVerifier.VerifyAsync(db, cancellationToken);
        await LoadAsync(cancellationToken);
    }

    public string PageLink(int page) => PortalHtml.Link("/audit",
        ("action", Action), ("actor", Actor), ("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("p", page.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// Issue 17 (export): the filtered log as CSV, newest first, at most <see cref="CsvMaxRows"/> entries, with people
    /// named as on the page; the stored actor and subject follow in their own columns, since they are what the hash
    /// chain covers and what "Verify chain" checks.
    /// </summary>
    [AuditedExport("audit log")]
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var items = await Filtered(school).OrderByDescending(e => e.Id).Take(CsvMaxRows).ToListAsync(cancellationToken);
        await NameAsync(school, items, cancellationToken);
        var csv = new StringBuilder(SafeCsv.Line("#", "When", "Who", "Action", "Subject", "Detail", "From", "Recorded actor", "Recorded subject"));
        foreach (var e in items)
        {
            csv.Append(SafeCsv.Line(e.Id.ToString(CultureInfo.InvariantCulture), UkFormat.ShortDateTime(e.At), ActorText(e), e.Action, SubjectText(e),
                e.Detail, e.ClientAddress, e.Actor, e.Subject));
        }

        Response.Headers.CacheControl = "no-store";
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", "audit-log.csv");
    }

    public const int CsvMaxRows = 100_000;

    public string CsvLink => PortalHtml.Link("/audit",
        ("handler", "csv"), ("action", Action), ("actor", Actor), ("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        Actions = await Visible(school).Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(cancellationToken);
        var query = Filtered(school);
        var page = PortalHtml.ClampPage(PageNumber);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(e => e.Id).Skip((page - 1) * PortalHtml.PageSize).Take(PortalHtml.PageSize).ToListAsync(cancellationToken);
        Results = new Paged<AuditEntry>(items, page, total);
        await NameAsync(school, items, cancellationToken);
    }

    private async Task NameAsync(string school, IReadOnlyList<AuditEntry> items, CancellationToken cancellationToken) =>
        _names = await people.ForAsync(school,
            items.SelectMany(e => GuidPattern().Matches(e.Subject ?? "").Select(m => m.Value))
                .Concat(items.Select(e => e.Actor.StartsWith("person:", StringComparison.Ordinal) ? e.Actor["person:".Length..] : e.Actor)), cancellationToken);

    private IQueryable<AuditEntry> Visible(string school)
    {
        // Installation-wide entries (sign-ins, set-up) have no school. A school sees those about its own
        // members' accounts (by user ID, or by email for the actor), never another school's sign-ins.
        var memberIds = db.Set<SchoolMembership>().Where(m => m.SchoolId == school).Select(m => m.UserId);
        var memberEmails = db.Users.Where(u => memberIds.Contains(u.Id)).Select(u => u.Email);
        // Two queries joined (UNION ALL), not one OR: with the OR neither database could use the school's index and read
        // the whole installation's log on every page (713 ms at 40,000 people, issue 18 part 2).
        return db.AuditEntries.AsNoTracking().Where(e => e.SchoolId == school)
            .Concat(db.AuditEntries.AsNoTracking().Where(e => e.SchoolId == null && (memberIds.Contains(e.Subject!) || memberEmails.Contains(e.Actor))));
    }

    /// <summary>The entries this school may read, narrowed by the page's filters.</summary>
    private IQueryable<AuditEntry> Filtered(string school)
    {
        var query = Visible(school);
        if (!string.IsNullOrEmpty(Action))
        {
            query = query.Where(e => e.Action == Action);
        }

        if (!string.IsNullOrWhiteSpace(Actor))
        {
            var actor = Actor.Trim().ToLowerInvariant();
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
            query = query.Where(e => e.Actor.ToLower().Contains(actor));
#pragma warning restore CA1862, CA1311
        }

        if (From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(e => e.At >= start);
        }

        if (To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(e => e.At < end);
        }

        return query;
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidPattern();
}
