using Brightline.Data;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.WebFiltering;

/// <summary>
/// Which filtering categories were blocked for which group over the last 30 days (issue 17: charts where people would
/// rather look than read), from the school's DNS decision log. A decision names the profile that decided, which is the
/// group's (the policy's group ID) or a profile the policy names; the chart uses the group's name where it is one.
/// The counts come from the log's daily summary (<c>dns_decision_days</c>, issue 18 part 4).
/// </summary>
[Authorize(Roles = PortalRoles.FilteringViewerNames)]
public sealed class TrendsModel(PortalScope scope, BrightlineDbContext db, PolicyStore policies, TimeProvider time) : PageModel
{
    public const int Days = 30;

    public Chart PerGroup { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var today = SchoolClock.Today(time);
        var first = today.AddDays(-(Days - 1));
        // Issue 18 part 4: from the school's daily summary, which DnsDecisionStore keeps with the log in one transaction,
        // not from the log itself: a month of a trust's log is a hundred million rows with this school's scattered
        // through all of them, the summary a few dozen rows a school-day. Its days are UK days, as this window's are,
        // so the counts are the log's counts since midnight at the start of the first day ("" is no profile/category).
        var counts = (await db.DnsDecisionDays.AsNoTracking()
            .Where(d => d.SchoolId == school && d.Day >= first && d.Decision.StartsWith("blocked") && d.Category != "")
            .GroupBy(d => new { d.Profile, d.Category })
            .Select(g => new { g.Key.Profile, g.Key.Category, Count = g.Sum(d => d.Count) })
            .ToListAsync(cancellationToken))
            .Select(c => new { Profile = c.Profile.Length == 0 ? null : c.Profile, Category = (string?)c.Category, Count = checked((int)c.Count) })
            .ToList();

        var policy = await policies.ActiveAsync(school, cancellationToken);
        string Group(string? profile) => profile is null ? "Not known" : policy.FindGroup(profile)?.Name ?? profile;
        string Category(string name) => Brightline.Filtering.Categories.TryParse(name, out var c) ? Brightline.Filtering.Categories.Get(c).DisplayName : name;

        var groups = counts.GroupBy(c => Group(c.Profile), StringComparer.Ordinal)
            .OrderByDescending(g => g.Sum(c => c.Count)).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
        PerGroup = Chart.Counted("blocked-per-group", $"Blocked categories per group, last {Days} days",
            $"Web addresses blocked by the filter in the last {Days} days, since {UkFormat.Long(today.AddDays(-(Days - 1)))}, for each group, divided by the category that blocked them.",
            ChartKind.Bars, "Group", groups,
            counts.SelectMany(c => Enumerable.Repeat((Group(c.Profile), Category(c.Category!)), c.Count)));
    }
}
