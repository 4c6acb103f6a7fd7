using Brightline.Agreements;
using Brightline.Data.Entities;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Agreements;

[Authorize(Policy = PortalPolicies.Staff)]
public sealed class IndexModel(PortalScope scope, PolicyStore policies, AgreementService agreements, AgreementStandings standings, TimeProvider time,
    Brightline.Data.BrightlineDbContext db) : PageModel
{
    private static readonly string[] s_csvHeader = ["Person", "Class", "Signed by", "Capacity", "On behalf", "Name of child", "Signed at", "Academic year", "Method"];

    [BindProperty(SupportsGet = true, Name = "agreement")]
    public string? AgreementId { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AgreementStats> Stats { get; private set; } = [];

    public AgreementStats? Selected { get; private set; }

    public Paged<(Person, RequiredAgreement)> Outstanding { get; private set; } = new([], 1, 0);

    public int AwaitingParents { get; private set; }

    /// <summary>The reminders "Chase parents" would send now: the same plan its confirmation shows and its send uses.</summary>
    public int Reminders { get; private set; }

    public bool CanChase => scope.CanManage;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // Issue 18 part 1: counted and paged in the database from the stored standings (30 s at 38,000 people when every
        // person's status was worked out in memory); the same rows the dashboard reads, so the two agree.
        var school = scope.RequiredSchoolId;
        var active = await standings.EnsureFreshAsync(school, cancellationToken);
        var today = Brightline.Kernel.SchoolClock.Today(time);
        var rows = from s in db.Set<AgreementStanding>().AsNoTracking()
                   join p in (await scope.PeopleAsync(cancellationToken)).Where(Brightline.People.OnRoll.On(today)) on s.PersonId equals p.Id
                   where s.SchoolId == school
                   select new { s, p };
        var counts = (await rows.GroupBy(x => x.s.AgreementId)
                .Select(g => new
                {
                    AgreementId = g.Key,
                    Required = g.Count(),
                    Signed = g.Count(x => x.s.Signed),
                    Overdue = g.Count(x => !x.s.Signed && x.s.DueBy < today),
                    AwaitingParent = g.Count(x => x.s.NeedsParent && !x.s.ParentSigned),
                })
                .ToListAsync(cancellationToken))
            .ToDictionary(c => c.AgreementId, StringComparer.Ordinal);
        Stats = active.Policy.Agreements.Select(a => counts.TryGetValue(a.Id, out var c)
            ? new AgreementStats(a, c.Required, c.Signed, c.Required - c.Signed - c.Overdue, c.Overdue, c.AwaitingParent)
            : new AgreementStats(a, 0, 0, 0, 0, 0)).ToList();
        AwaitingParents = Stats.Sum(s => s.AwaitingParent);
        if (CanChase && AwaitingParents > 0)
        {
            Reminders = await agreements.ReminderCountAsync(school, cancellationToken);
        }

        Selected = AgreementId is null ? null : Stats.FirstOrDefault(s => string.Equals(s.Agreement.Id, AgreementId, StringComparison.Ordinal));
        if (Selected is not null)
        {
            var id = Selected.Agreement.Id;
            var outstanding = rows.Where(x => x.s.AgreementId == id && !x.s.Signed);
            var total = await outstanding.CountAsync(cancellationToken);
            var page = PortalHtml.ClampPage(PageNumber);
            // Overdue first, then by family name: one page read from the database.
            var items = await outstanding
                .OrderBy(x => x.s.DueBy < today ? 0 : 1).ThenBy(x => x.p.FamilyName).ThenBy(x => x.p.GivenName).ThenBy(x => x.p.Id)
                .Skip((page - 1) * PortalHtml.PageSize).Take(PortalHtml.PageSize)
                .ToListAsync(cancellationToken);
            Outstanding = new Paged<(Person, RequiredAgreement)>(
                items.Select(x => (x.p, AgreementStandings.ToRequired(x.s, active, today))).ToList(), page, total);
        }
    }

    /// <summary>
    /// The signatures of one agreement as CSV (issue 15 part 4): who signed for whom, in what capacity, the child a parent
    /// named, and one column per question with its answer. Only people the user may see.
    /// </summary>
    [AuditedExport("agreement signatures")]
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var policy = await policies.ActiveAsync(school, cancellationToken);
        if (AgreementId is null || policy.FindAgreement(AgreementId) is not { } agreement)
        {
            return NotFound();
        }

        var visible = await scope.PeopleAsync(cancellationToken);
        var rows = await (from sig in db.Signatures.AsNoTracking()
                          join person in visible.AsNoTracking() on sig.PersonId equals person.Id
                          join signer in db.People.AsNoTracking() on sig.SignerId equals signer.Id
                          where sig.SchoolId == school && sig.AgreementId == agreement.Id
                          select new { sig, person, signer }).ToListAsync(cancellationToken);
        var onBehalfGroups = agreement.ParentSignsFor.ToHashSet(StringComparer.Ordinal);
        var csv = new System.Text.StringBuilder(Brightline.Kernel.SafeCsv.Line([.. s_csvHeader, .. agreement.Questions.Select(q => q.Text)]));
        foreach (var r in rows.OrderByDescending(r => r.sig.SignedAt).ThenBy(r => r.person.FamilyName, StringComparer.Ordinal))
        {
            var answers = SignatureAnswers.Read(r.sig.Answers);
            var onBehalf = r.sig.Capacity == SignerCapacity.Parent && PersonGroups.For(policy, r.person).Any(g => onBehalfGroups.Contains(g.Id));
            csv.Append(Brightline.Kernel.SafeCsv.Line(
                [.. new[]
                {
                    r.person.FullName, r.sig.ClassName ?? r.person.ClassName, r.signer.FullName,
                    r.sig.Capacity == SignerCapacity.Parent ? "parent" : "self", onBehalf ? "yes" : "no", r.sig.ChildName,
                    Brightline.Kernel.UkFormat.ShortDateTime(r.sig.SignedAt), r.sig.AcademicYear, r.sig.Method.ToString().ToLowerInvariant(),
                },
                 .. agreement.Questions.Select(q => answers.TryGetValue(q.Id, out var a) ? SignatureAnswers.Show(a) : "")]));
        }

        return File(System.Text.Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"signatures-{agreement.Id}.csv");
    }

    /// <summary>
    /// Issue 17 (export): the whole status list as CSV, one row per person and agreement they must sign, signed or not
    /// (<c>?agreement=</c> narrows it to one agreement). The people the user may see, current ones only, as the page counts them.
    /// </summary>
    [AuditedExport("agreements status")]
    public async Task<IActionResult> OnGetStatusCsvAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var policy = await policies.ActiveAsync(school, cancellationToken);
        if (AgreementId is not null && policy.FindAgreement(AgreementId) is null)
        {
            return NotFound();
        }

        var rows = (await StatusAsync(scope, agreements, school, cancellationToken))
            .Where(x => AgreementId is null || string.Equals(x.Required.AgreementId, AgreementId, StringComparison.Ordinal))
            .OrderBy(x => x.Required.Title, StringComparer.Ordinal).ThenBy(x => x.Person.FamilyName, StringComparer.Ordinal).ThenBy(x => x.Person.GivenName, StringComparer.Ordinal);
        var csv = new System.Text.StringBuilder(Brightline.Kernel.SafeCsv.Line("Agreement", "Person", "ID", "Class", "Status", "Signed by them", "Signed by a parent", "Waiting for", "Due by"));
        foreach (var (person, r) in rows)
        {
            csv.Append(Brightline.Kernel.SafeCsv.Line(r.Title, person.FullName, person.ExternalId, person.ClassName, r.State.ToString(),
                r.NeedsSelf ? (r.SelfSigned ? "yes" : "no") : "not needed", r.NeedsParent ? (r.ParentSigned ? "yes" : "no") : "not needed",
                WaitingFor(person, r), Brightline.Kernel.UkFormat.Short(r.DueBy)));
        }

        Response.Headers.CacheControl = "no-store";
        return File(System.Text.Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8",
            AgreementId is null ? "agreements-status.csv" : $"agreements-status-{AgreementId}.csv");
    }

    /// <summary>Who has still to sign, in words: the person by first name, "a parent", both, or nobody.</summary>
    public static string WaitingFor(Person person, RequiredAgreement r) =>
        string.Join(" and ", new[] { r.NeedsSelf && !r.SelfSigned ? person.GivenName : null, r.NeedsParent && !r.ParentSigned ? "a parent" : null }.Where(x => x is not null));

    public string OutstandingLink(int page) =>
        $"/agreements?agreement={Uri.EscapeDataString(AgreementId ?? "")}&p={page}#outstanding";

    /// <summary>Every person on roll in the user's scope with each agreement they need (computed, not stored), from one read.</summary>
    public static async Task<IReadOnlyList<(Person Person, RequiredAgreement Required)>> StatusAsync(
        PortalScope scope, AgreementService agreements, string school, CancellationToken cancellationToken)
    {
        var visible = scope.SeesWholeSchool ? null
            : (await (await scope.PeopleAsync(cancellationToken)).Select(p => p.Id).ToListAsync(cancellationToken)).ToHashSet();
        return (await agreements.StandingAsync(school, visible, cancellationToken))
            .SelectMany(s => s.Required.Select(r => (s.Person, r)))
            .ToList();
    }
}
