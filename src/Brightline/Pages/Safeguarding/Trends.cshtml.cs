using System.Globalization;
using Brightline.Kernel;
using Brightline.Monitoring;
using Brightline.Portal;
using Brightline.Safeguarding;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Safeguarding;

/// <summary>
/// Alerts per week by severity, and per category by severity, over the last twelve weeks (issue 17: charts where people
/// would rather look than read). Open to whoever may open the alert queue, and counts only the categories they may see
/// (H12), as the queue does.
/// </summary>
public sealed class TrendsModel(AlertQueue queue, TimeProvider time) : PageModel
{
    public const int Weeks = 12;

    private static readonly string[] s_severities = ["critical", "high", "medium", "low"];

    public Chart PerWeek { get; private set; } = null!;

    public Chart PerCategory { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await queue.CanViewAsync(cancellationToken))
        {
            AccessRefusal.Note(HttpContext, await queue.ViewerRolesAsync(cancellationToken));
            return Forbid();
        }

        // Weeks begin on Monday, as a school's week does; this week is the last, however far into it we are.
        var today = SchoolClock.Today(time);
        var thisMonday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var first = thisMonday.AddDays(-7 * (Weeks - 1));
        var mondays = Enumerable.Range(0, Weeks).Select(i => first.AddDays(7 * i)).ToList();
        var labels = mondays.Select(m => m.ToString("d MMM", CultureInfo.GetCultureInfo("en-GB"))).ToList();
        var alerts = await queue.RaisedSinceAsync(SchoolClock.StartOf(first), cancellationToken);
        var names = MonitoringCategories.All.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);

        string WeekOf(DateTimeOffset at) => labels[Math.Clamp((SchoolClock.DateOf(at).DayNumber - first.DayNumber) / 7, 0, Weeks - 1)];

        PerWeek = Chart.Counted("alerts-per-week", "Alerts per week, by severity",
            $"Safeguarding alerts raised each week for the last {Weeks} weeks, from the week beginning {UkFormat.Long(first)}, stacked by severity.",
            ChartKind.Columns, "Week beginning", labels, alerts.Select(a => (WeekOf(a.CreatedAt), a.Severity)), s_severities);

        var categories = alerts.Select(a => a.Category).Distinct(StringComparer.Ordinal)
            .OrderByDescending(c => alerts.Count(a => string.Equals(a.Category, c, StringComparison.Ordinal))).ThenBy(c => c, StringComparer.Ordinal).ToList();
        PerCategory = Chart.Counted("alerts-per-category", $"Alerts by category, last {Weeks} weeks",
            $"Safeguarding alerts raised in the last {Weeks} weeks in each category, most first, stacked by severity.",
            ChartKind.Bars, "Category", categories.Select(c => names.GetValueOrDefault(c, c)).ToList(),
            alerts.Select(a => (names.GetValueOrDefault(a.Category, a.Category), a.Severity)), s_severities);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
