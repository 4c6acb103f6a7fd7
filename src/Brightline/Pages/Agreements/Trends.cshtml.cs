using System.Globalization;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Agreements;

/// <summary>
/// Agreement completion over the academic year and by class (issue 17: charts where people would rather look than
/// read). Counts the people the user may see, as the agreements page does: the whole school for the leads, a teacher's
/// own class, a Head of Year's year. "Complete" is the agreements page's own answer (a person's every required agreement
/// signed by everyone who must sign it), computed once; the line dates each completed agreement by its signature.
/// </summary>
[Authorize(Policy = PortalPolicies.Staff)]
public sealed class TrendsModel(PortalScope scope, AgreementService agreements, BrightlineDbContext db, TimeProvider time) : PageModel
{
    public Chart OverTime { get; private set; } = null!;

    public Chart ByClass { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var status = await IndexModel.StatusAsync(scope, agreements, school, cancellationToken);
        var today = SchoolClock.Today(time);
        var yearStart = new DateOnly(today.Month >= 9 ? today.Year : today.Year - 1, 9, 1);

        // By class: each pupil once, by the worst of their agreements, as the dashboard's class table counts them.
        var pupils = status.Where(s => PersonGroups.Has(s.Person, PersonKind.Pupil) && !string.IsNullOrWhiteSpace(s.Person.ClassName))
            .GroupBy(s => s.Person.Id).Select(g => (Class: g.First().Person.ClassName!, State: g.Max(x => x.Required.State))).ToList();
        var classes = pupils.Select(p => p.Class).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        ByClass = Chart.Counted("agreements-by-class", "Pupils by class: agreements signed, due and overdue",
            "For each class, how many pupils have signed everything they need to, how many still have an agreement due, and how many are overdue.",
            ChartKind.Bars, "Class", classes,
            pupils.Select(p => (p.Class, p.State switch { AgreementState.Signed => "All signed", AgreementState.Due => "Due", AgreementState.Overdue => "Overdue", _ => "Overdue" })),
            ["All signed", "Due", "Overdue"]);

        // Over time: the share of today's required agreements signed by the end of each week since September. A
        // signature from before this year that still counts (the text did not change) counts from the first week.
        var visible = await scope.PeopleAsync(cancellationToken);
        var lastSigned = await db.Signatures.AsNoTracking()
            .Where(s => s.SchoolId == school && visible.Any(p => p.Id == s.PersonId))
            .GroupBy(s => new { s.PersonId, s.AgreementId })
            .Select(g => new { g.Key.PersonId, g.Key.AgreementId, Last = g.Max(s => s.SignedAt) })
            .ToListAsync(cancellationToken);
        var signedOn = lastSigned.ToDictionary(s => (s.PersonId, s.AgreementId), s => SchoolClock.DateOf(s.Last));
        var firstMonday = yearStart.AddDays(-(((int)yearStart.DayOfWeek + 6) % 7));
        var weeks = Math.Max(1, ((today.DayNumber - firstMonday.DayNumber) / 7) + 1);
        var mondays = Enumerable.Range(0, weeks).Select(i => firstMonday.AddDays(7 * i)).ToList();
        var done = status.Where(s => s.Required.State == AgreementState.Signed)
            .Select(s => signedOn.TryGetValue((s.Person.Id, s.Required.AgreementId), out var on) && on > yearStart ? on : yearStart).ToList();
        var required = status.Count;
        OverTime = new Chart("agreements-over-time", "Agreements signed this academic year",
            $"The share of the {UkFormat.Number(required)} agreements people need that were signed by the end of each week since {UkFormat.Long(yearStart)}.",
            ChartKind.Line, "Week beginning", mondays.Select(m => m.ToString("d MMM", CultureInfo.GetCultureInfo("en-GB"))).ToList(),
            [new ChartSeries("Signed", mondays.Select(m => required == 0 ? 0 : Math.Round(done.Count(d => d < m.AddDays(7)) * 100.0 / required, 1)).ToList())],
            "%");
    }
}
