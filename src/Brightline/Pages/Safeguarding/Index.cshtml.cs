using System.Globalization;
using System.Text;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Monitoring;
using Brightline.Portal;
using Brightline.Safeguarding;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Safeguarding;

/// <summary>The DSL's queue of safeguarding alerts, with filters and pages.</summary>
public sealed class IndexModel(AlertQueue queue, Brightline.Incidents.IncidentService incidents, Brightline.PolicyReviews.PolicyReviewLog reviews,
    PortalScope scope, TimeProvider time) : PageModel
{
    /// <summary>
    /// The dated things this lead must act on, soonest first (issue 17: "the DSL sees open alerts, incidents and deadlines
    /// first"): data breaches whose ICO decision is due (if she reads that register) and the policy's next review (if
    /// she reads the review record). Only what Brightline stores with a due date; each from her own school.
    /// </summary>
    public IReadOnlyList<Deadline> Deadlines { get; private set; } = [];

    /// <summary>Incidents this user may see that are still open: the queue is the DSL's home, so what else waits is named here.</summary>
    public int ActiveIncidents { get; private set; }

    public AlertPage Alerts { get; private set; } = new([], 0, 1, 1, AlertQueue.PageSize);

    [BindProperty(SupportsGet = true)] public string? Severity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Category { get; set; }
    [BindProperty(SupportsGet = true)] public string? Group { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Person { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; } = MonitoringAlertStatus.Open.Key();
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public static IReadOnlyList<string> Severities { get; } = ["critical", "high", "medium", "low"];

    /// <summary>The categories offered in the filter: every one, or only those a category viewer may see (H12).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Categories { get; private set; } = MonitoringCategories.All;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await queue.CanViewAsync(cancellationToken))
        {
            AccessRefusal.Note(HttpContext, await queue.ViewerRolesAsync(cancellationToken));
            return Forbid();
        }

        ActiveIncidents = await incidents.ActiveCountAsync(scope.RequiredSchoolId, Brightline.Incidents.IncidentActor.From(scope), cancellationToken);
        Deadlines = await DeadlinesAsync(cancellationToken);

        var access = await queue.AccessAsync(cancellationToken);
        Categories = access.All ? MonitoringCategories.All : MonitoringCategories.All.Where(c => access.Allows(c.Key)).ToList();
        Alerts = await queue.ListAsync(new AlertFilter(Severity, Category, Group, Person, Status, PageNumber), cancellationToken);
        return Page();
    }

    private async Task<IReadOnlyList<Deadline>> DeadlinesAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var now = time.GetUtcNow();
        var list = new List<Deadline>();
        foreach (var breach in await incidents.DecisionsDueAsync(school, Brightline.Incidents.IncidentActor.From(scope), cancellationToken))
        {
            var due = breach.DecisionDueAt!.Value;
            list.Add(new Deadline(breach.Title, $"/incidents/{breach.Id}", "Decide whether to report this data breach to the ICO",
                due, UkFormat.DateTime(due), due < now));
        }

        if (scope.HasAnyRole(PortalRoles.PolicyReviewReaders))
        {
            var review = await reviews.StatusAsync(school, cancellationToken);
            list.Add(new Deadline(review.Metadata.Title is { Length: > 0 } title ? title : "The acceptable-use policy", "/policy/review",
                "Review the policy and record its approval", SchoolClock.StartOf(review.NextReview), UkFormat.Long(review.NextReview), review.Overdue));
        }

        return list.OrderBy(d => d.DueAt).ToList();
    }

    /// <summary>
    /// The filtered queue as CSV (issue 17), for the monitoring viewers only and with their categories only: the queue's
    /// columns, no captured words (as the queue shows none; they are read on the alert, where each viewing is audited).
    /// </summary>
    [AuditedExport("safeguarding alerts")]
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (!await queue.CanViewAsync(cancellationToken))
        {
            AccessRefusal.Note(HttpContext, await queue.ViewerRolesAsync(cancellationToken));
            return Forbid();
        }

        var csv = new StringBuilder(SafeCsv.Line("Alert", "Severity", "Category", "Person", "Class", "Hits", "First seen", "Last seen", "Status"));
        foreach (var r in await queue.ExportAsync(new AlertFilter(Severity, Category, Group, Person, Status, 1), cancellationToken))
        {
            var a = r.Alert;
            csv.Append(SafeCsv.Line(a.Id.ToString(CultureInfo.InvariantCulture), a.Severity, CategoryText(a.Category),
                a.PersonId is null ? "Not known (device only)" : r.PersonName ?? "Unknown person", r.ClassName,
                a.HitCount.ToString(CultureInfo.InvariantCulture), UkFormat.ShortDateTime(a.FirstAt), UkFormat.ShortDateTime(a.LastAt), StatusText(a)));
        }

        Response.Headers.CacheControl = "no-store";
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", "safeguarding-alerts.csv");
    }

    public string CsvLink => Link(1).Replace("page=1", "handler=csv", StringComparison.Ordinal);

    /// <summary>A category's name in words where Brightline knows it; a library's own category as written.</summary>
    public static string CategoryText(string category) =>
        MonitoringCategories.All.FirstOrDefault(c => string.Equals(c.Key, category, StringComparison.Ordinal)).Value ?? category;

    /// <summary>The state as the queue's Status column says it.</summary>
    public static string StatusText(MonitoringAlert alert) => alert.Outcome is { } o ? o.Describe() : alert.OpenedAt is null ? "New" : "Open";

    /// <summary>A monitoring viewer of every category, who may see the school's exceptions (issue 16 part 4).</summary>
    public Task<bool> SeesEverythingAsync() => queue.CanViewEverythingAsync(HttpContext.RequestAborted);

    public string Link(int page) =>
        QueryString.Create(new Dictionary<string, string?>
        {
            ["severity"] = Severity, ["category"] = Category, ["group"] = Group, ["person"] = Person?.ToString(), ["status"] = Status, ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent() is var q ? "/monitoring" + q : "/monitoring";
}
