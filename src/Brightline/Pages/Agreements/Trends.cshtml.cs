using System.Globalization;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.People;
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
public sealed class TrendsModel(PortalScope scope, AgreementService agreements, PolicyStore policies, BrightlineDbContext db, TimeProvider time) : PageModel
{
    public Chart OverTime { get; private set; } = null!;

    public Chart ByClass { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var visible = await scope.PeopleAsync(cancellationToken);
        var today = SchoolClock.Today(time);
        var yearStart = new DateOnly(today.Month >= 9 ? today.Year : today.Year - 1, 9, 1);

        // By class: each pupil once, by the worst of their agreements, as the dashboard's class table counts them — the
        // same grouped count from the stored standings (issue 18 part 2: reading everyone's status took 0.6 s at 40,000).
        var summary = await agreements.ComplianceAsync(school, scope.SeesWholeSchool ? null : visible, overdueLimit: 0, cancellationToken);
        var counted = summary.Classes.Where(c => c.Signed + c.Due + c.Overdue > 0).OrderBy(c => c.ClassName, StringComparer.Ordinal).ToList();
        ByClass = Chart.Counted("agreements-by-class", "Pupils by class: agreements signed, due and overdue",
            "For each class, how many pupils have signed everything they need to, how many still have an agreement due, and how many are overdue.",
            ChartKind.Bars, "Class", counted.Select(c => c.ClassName).ToList(),
            counted.SelectMany(c => Enumerable.Repeat((c.ClassName, "All signed"), c.Signed)
                .Concat(Enumerable.Repeat((c.ClassName, "Due"), c.Due)).Concat(Enumerable.Repeat((c.ClassName, "Overdue"), c.Overdue))),
            ["All signed", "Due", "Overdue"]);

        // Over time: the share of today's required agreements signed by the end of each week since September. A
        // signature from before this year that still counts (the text did not change) counts from the first week.
        // The standings were brought up to date by the count above.
        var active = await policies.ActiveVersionAsync(school, cancellationToken);
        var agreementIds = active.Policy.Agreements.Select(a => a.Id).ToList();
        var required = from r in db.Set<AgreementStanding>().AsNoTracking()
                       join p in visible.Where(OnRoll.On(today)) on r.PersonId equals p.Id
                       where r.SchoolId == school && agreementIds.Contains(r.AgreementId)
                       select r;
        var requiredCount = await required.CountAsync(cancellationToken);
        var signedRows = await required.Where(r => r.Signed).Select(r => new { r.PersonId, r.AgreementId }).ToListAsync(cancellationToken);
        var lastSigned = await db.Signatures.AsNoTracking()
            .Where(s => s.SchoolId == school && visible.Any(p => p.Id == s.PersonId))
            .GroupBy(s => new { s.PersonId, s.AgreementId })
            .Select(g => new { g.Key.PersonId, g.Key.AgreementId, Last = g.Max(s => s.SignedAt) })
            .ToListAsync(cancellationToken);
        var signedOn = lastSigned.ToDictionary(s => (s.PersonId, s.AgreementId), s => SchoolClock.DateOf(s.Last));
        var done = signedRows
            .Select(s => signedOn.TryGetValue((s.PersonId, s.AgreementId), out var on) && on > yearStart ? on : yearStart).ToList();
        var firstMonday = yearStart.AddDays(-(((int)yearStart.DayOfWeek + 6) % 7));
        var weeks = Math.Max(1, ((today.DayNumber - firstMonday.DayNumber) / 7) + 1);
        var mondays = Enumerable.Range(0, weeks).Select(i => firstMonday.AddDays(7 * i)).ToList();
        OverTime = new Chart("agreements-over-time", "Agreements signed this academic year",
            $"The share of the {UkFormat.Number(requiredCount)} agreements people need that were signed by the end of each week since {UkFormat.Long(yearStart)}.",
            ChartKind.Line, "Week beginning", mondays.Select(m => m.ToString("d MMM", CultureInfo.GetCultureInfo("en-GB"))).ToList(),
            [new ChartSeries("Signed", mondays.Select(m => requiredCount == 0 ? 0 : Math.Round(done.Count(d => d < m.AddDays(7)) * 100.0 / requiredCount, 1)).ToList())],
            "%");
    }
}
