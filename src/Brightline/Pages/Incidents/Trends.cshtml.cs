using Brightline.Incidents;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Incidents;

/// <summary>
/// Incidents per term, by kind (issue 17: charts where people would rather look than read), over this academic year
/// and the one before. Counts only what the incident list shows this user (their registers and what they recorded).
/// </summary>
public sealed class TrendsModel(PortalScope scope, IncidentService incidents, PolicyStore policies, TimeProvider time) : PageModel
{
    public Chart PerTerm { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        var school = scope.RequiredSchoolId;
        var actor = IncidentActor.From(scope);
        var today = SchoolClock.Today(time);
        // From the start of last academic year: two years side by side show whether this year is better.
        var from = new DateOnly(today.Month >= 9 ? today.Year - 1 : today.Year - 2, 9, 1);
        var policy = await policies.ActiveAsync(school, cancellationToken);
        var terms = SchoolTerms.Covering(policy.School.Calendar, from, today);
        var labels = (await incidents.SettingsAsync(school, cancellationToken)).Kinds.ToDictionary(k => k.Key, k => k.Label, StringComparer.Ordinal);
        var recorded = await incidents.RecordedAsync(school, actor, from, cancellationToken);
        PerTerm = Chart.Counted("incidents-per-term", "Incidents recorded per term",
            $"Incidents you can see, recorded in each term since {UkFormat.Long(from)}, stacked by kind of incident.",
            ChartKind.Columns, "Term", terms.Select(t => t.Name).ToList(),
            recorded.Select(r => (terms.FirstOrDefault(t => t.Contains(SchoolClock.DateOf(r.CreatedAt)))?.Name ?? "", labels.GetValueOrDefault(r.Kind, r.Kind))));
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
