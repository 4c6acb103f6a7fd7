using Brightline.Access;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.People;

public sealed class DetailModel(
    PortalScope scope, BrightlineDbContext db, PolicyStore policies, AgreementService agreements, AccessGate gate) : PageModel
{
    public Person? Person { get; private set; }

    public IReadOnlyList<string> Groups { get; private set; } = [];

    public IReadOnlyList<(Person Parent, string? Relationship)> Parents { get; private set; } = [];

    public IReadOnlyList<Person> Children { get; private set; } = [];

    public IReadOnlyList<RequiredAgreement> Required { get; private set; } = [];

    public AccessDecision? Access { get; private set; }

    public IReadOnlyList<Signature> Signatures { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public bool ShowContact => scope.IsStaff || Person?.Id == scope.PersonId;

    public bool CanCreateAccount => scope.IsAdmin;

    /// <summary>A member of staff with the pupil in scope can let them sign at their screen (teacher present).</summary>
    public bool CanSignWith => scope.IsStaff && Person is { } p && PersonGroups.Has(p, PersonKind.Pupil);

    public bool CanSendLink => scope.IsStaff && Parents.Count > 0;

    private Brightline.Policy.Model.SchoolPolicy? _policy;

    /// <summary>W6 (Wetherby's EYFS): "signed by Jane Smith on behalf of Tom", or who still has to sign for the child. (Not "On…": Razor Pages would take it for a handler.)</summary>
    public string SignedOnBehalfText(RequiredAgreement r)
    {
        var child = Person!.GivenName;
        var signature = r.ParentSigned
            ? Signatures.FirstOrDefault(s => s.Capacity == SignerCapacity.Parent && s.SignerId == r.ParentSignerId && s.AgreementId == r.AgreementId)
            : null;
        return signature is not null ? $"signed by {signature.SignedName} on behalf of {child}" : $"a parent signs on behalf of {child}: not yet";
    }

    /// <summary>The answers kept with a signature, with the policy's question where it still asks it (issue 15 part 4).</summary>
    public IEnumerable<(string Question, string Answer)> AnswersOf(Signature signature)
    {
        var agreement = _policy?.FindAgreement(signature.AgreementId);
        return SignatureAnswers.Read(signature.Answers)
            .Select(a => (agreement?.Questions.FirstOrDefault(q => q.Id == a.Key)?.Text ?? a.Key, SignatureAnswers.Show(a.Value)));
    }

    public async Task<IActionResult> OnGetAsync(Guid id, string? sent, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (string.Equals(sent, "1", StringComparison.Ordinal))
        {
            Message = "The countersign link has been emailed to the parent.";
        }

        return Page();
    }

    public async Task<IActionResult> OnPostSendLinkAsync(Guid id, string? agreementId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!scope.IsStaff || string.IsNullOrEmpty(agreementId))
        {
            return Forbid();
        }

        try
        {
            await agreements.SendCountersignLinkAsync(scope.RequiredSchoolId, id, agreementId, scope.UserName, cancellationToken);
        }
        catch (DomainException e)
        {
            Error = e.Message;
            return Page();
        }

        return Redirect($"/people/{id}?sent=1");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        Person = await scope.FindPersonAsync(id, cancellationToken);
        if (Person is null)
        {
            return false;
        }

        var school = Person.SchoolId;
        var policy = await policies.ActiveAsync(school, cancellationToken);
        _policy = policy;
        Groups = PersonGroups.For(policy, Person).Select(g => g.Name).ToList();
        var parentLinks = await db.ParentLinks.AsNoTracking().Where(l => l.SchoolId == school && l.ChildId == id).ToListAsync(cancellationToken);
        var parentIds = parentLinks.Select(l => l.ParentId).ToList();
        var parents = await db.People.AsNoTracking().Where(p => parentIds.Contains(p.Id)).ToListAsync(cancellationToken);
        Parents = parentLinks.Join(parents, l => l.ParentId, p => p.Id, (l, p) => (p, l.Relationship)).ToList();
        // Children are listed only as far as the viewer may see them (a parent linked to a child of another family sees nothing extra).
        var visible = await scope.PeopleAsync(cancellationToken);
        var childIds = db.ParentLinks.Where(l => l.SchoolId == school && l.ParentId == id).Select(l => l.ChildId);
        Children = await visible.AsNoTracking().Where(p => childIds.Contains(p.Id)).OrderBy(p => p.GivenName).ToListAsync(cancellationToken);
        Required = await agreements.ForPersonAsync(school, id, cancellationToken);
        Access = await gate.EvaluateAsync(school, id, cancellationToken);
        Signatures = await db.Signatures.AsNoTracking().Where(s => s.PersonId == id).OrderByDescending(s => s.Id).ToListAsync(cancellationToken);
        Signatures = Signatures.OrderByDescending(s => s.SignedAt).ToList();
        return true;
    }
}
