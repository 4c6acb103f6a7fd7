using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.People;
using Brightline.Policies;
using Brightline.PolicyReviews;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages;

public sealed class IndexModel(PortalScope scope, BrightlineDbContext db, AgreementService agreements, PolicyReviewLog reviews, RoleCoverage roles) : PageModel
{
    /// <summary>Roles the policy routes approvals or emails to that nobody holds (issue 15 part 8), for those who set up accounts.</summary>
    public IReadOnlyList<UnheldRole> Unheld { get; private set; } = [];

    public bool IsAdmin => scope.IsAdmin;

    /// <summary>The policy's review status (including a later next review agreed and recorded since the file), for those who keep the record.</summary>
    public PolicyReviewStatus? Review { get; private set; }

    public string SchoolName { get; private set; } = "Dashboard";

    public ComplianceSummary? Summary { get; private set; }

    public IReadOnlyList<ClassCompliance> Classes { get; private set; } = [];

    public IReadOnlyList<OverduePerson> Overdue { get; private set; } = [];

    public int OverdueTotal { get; private set; }

    /// <summary>People on roll the reader may see: the same rule as the people list without filters.</summary>
    public int PeopleCount { get; private set; }

    public bool SeesWholeSchool => scope.SeesWholeSchool;

    /// <summary>People on roll the reader may see in each standing (the cards).</summary>
    public IReadOnlyDictionary<ComplianceState, int> Counts { get; private set; } = new Dictionary<ComplianceState, int>();

    /// <summary>The class a teacher teaches (issue 17: "a teacher sees their class"), or null.</summary>
    public string? TeacherClass { get; private set; }

    /// <summary>The pupils of <see cref="TeacherClass"/>, by name, each with their agreements' standing; never another class's.</summary>
    public IReadOnlyList<PersonCompliance> YourClass { get; private set; } = [];

    /// <summary>Signed by the pupil (or not theirs to sign) and waiting for a parent: said in words, as the pupil's own page does.</summary>
    public static bool AwaitingParent(PersonCompliance p) => p.Required.Any(r => r.State != AgreementState.Signed && r.NeedsParent && !r.ParentSigned && (!r.NeedsSelf || r.SelfSigned));

    public int CountIn(ComplianceState state) => Counts.GetValueOrDefault(state);

    public IReadOnlyList<(Person Person, RequiredAgreement Agreement)> Mine { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public bool Signed { get; set; }

    /// <summary>The signed-in person's own record, to tell "signed by you" from "signed by your child".</summary>
    public Guid? MyPersonId => scope.PersonId;

    /// <summary>One of the signed-in person's own agreements is signed by them and waits for a parent (issue 17, defect 3).</summary>
    public bool MineWaitsForParent => Mine.Any(m => m.Person.Id == scope.PersonId && m.Agreement.State != AgreementState.Signed
        && m.Agreement.NeedsParent && !m.Agreement.ParentSigned && m.Agreement.SelfSigned);

    public bool JustSigned => Signed;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var school = scope.SchoolId;
        if (school is null)
        {
            // Signed in but not yet given a role anywhere (e.g. an account created before a school was loaded).
            SchoolName = "Welcome";
            return Page();
        }

        SchoolName = await db.Schools.Where(s => s.Id == school).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken) ?? school;
        var people = await scope.PeopleAsync(cancellationToken);
        if (scope.IsStaff)
        {
            Summary = await agreements.ComplianceAsync(school, within: null, overdueLimit: PortalHtml.PageSize, cancellationToken);
            if (scope.HasAnyRole(PortalRoles.PolicyReviewReaders))
            {
                Review = await reviews.StatusAsync(school, cancellationToken);
            }

            if (scope.CanManage)
            {
                Unheld = await roles.UnheldAsync(school, cancellationToken);
            }

            // Issue 17 defect 7: every count on the dashboard is a count of one list — the people on roll the reader may
            // see, each with one standing — so the cards add up to "on roll" and "overdue" is the overdue list's length.
            var seen = Summary;
            TeacherClass = await scope.TeacherClassAsync(cancellationToken);
            if (scope.SeesWholeSchool)
            {
                Classes = Summary.Classes;
            }
            else
            {
                // Aggregates for other classes are not personal, but names are: a teacher sees only their own class's people.
                Classes = Summary.Classes.Where(c => string.Equals(c.ClassName, TeacherClass, StringComparison.Ordinal)).ToList();
                seen = await agreements.ComplianceAsync(school, people, PortalHtml.PageSize, cancellationToken);
            }

            Counts = seen.ByState;
            if (TeacherClass is { } own)
            {
                var pupil = PersonGroups.Mask(Brightline.Policy.Model.PersonKind.Pupil);
                YourClass = (await agreements.StandingOfAsync(school, people.Where(p => p.ClassName == own && (p.KindMask & pupil) != 0), cancellationToken))
                    .OrderBy(p => p.Person.FamilyName, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Person.GivenName, StringComparer.OrdinalIgnoreCase).ToList();
            }

            PeopleCount = seen.PeopleCount;
            OverdueTotal = seen.OverdueTotal;
            Overdue = seen.Overdue;
            return Page();
        }

        var list = new List<(Person, RequiredAgreement)>();
        foreach (var person in await people.AsNoTracking().OrderBy(p => p.GivenName).Take(20).ToListAsync(cancellationToken))
        {
            foreach (var required in await agreements.ForPersonAsync(school, person.Id, cancellationToken))
            {
                list.Add((person, required));
            }
        }

        Mine = list;
        return Page();
    }
}
