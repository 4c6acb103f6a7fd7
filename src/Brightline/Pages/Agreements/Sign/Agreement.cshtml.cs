using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Agreements.Sign;

/// <summary>
/// Signing one agreement. Who signs depends on who is signed in and for whom: the person themselves; a
/// parent for their child (capacity parent); or a pupil at a member of staff's screen (the pupil is the
/// signer, the teacher is present). The wording is the one for the signer's group.
/// </summary>
public sealed class AgreementModel(
    PortalScope scope, BrightlineDbContext db, PolicyStore policies, AgreementService agreements, AgreementGate gate) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "for")]
    public Guid? For { get; set; }

    [BindProperty]
    public string? SignedName { get; set; }

    /// <summary>Where the person was going when the gate stopped them; they go there once signed (issue 17, defect 2d).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? JobTitle { get; set; }

    [BindProperty]
    public string? ClassName { get; set; }

    [BindProperty]
    public bool TeacherPresent { get; set; }

    /// <summary>Answers to the agreement's questions, by question ID (issue 15 part 4).</summary>
    public Dictionary<string, string?> Answers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The child a parent names on their own agreement (O13: Omnicom's parent form).</summary>
    [BindProperty]
    public string? ChildName { get; set; }

    public bool AskChildName { get; private set; }

    /// <summary>The signer's linked children, offered as the choices for <see cref="ChildName"/>; empty = typed.</summary>
    public IReadOnlyList<string> ChildChoices { get; private set; } = [];

    public AgreementQuestionsForm QuestionsForm => new(Agreement?.Questions ?? [], Answers);

    /// <summary>Set when a parent signs for a child who signs nothing himself (W6: Wetherby's EYFS).</summary>
    public bool OnBehalf { get; private set; }

    public Agreement? Agreement { get; private set; }

    public Person? Person { get; private set; }

    public string Fragment { get; private set; } = "";

    public string Affirmation { get; private set; } = "";

    public bool ForSelf { get; private set; }

    public bool AsParent { get; private set; }

    public bool IsPupilSigning { get; private set; }

    public bool AskJobTitle { get; private set; }

    public bool AskClass { get; private set; }

    public bool Gated { get; private set; }

    private Guid _signerId;
    private RequiredAgreement? _required;

    public async Task<IActionResult> OnGetAsync(string agreementId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(agreementId, cancellationToken))
        {
            return NotFound();
        }

        if (_required is null || (AsParent ? _required.ParentSigned : _required.SelfSigned))
        {
            return Redirect("/sign");
        }

        JobTitle ??= ForSelf && !AsParent ? Person!.JobTitle : null;
        ClassName ??= Person!.ClassName;
        TeacherPresent = TeacherPresent || (!ForSelf && !AsParent);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string agreementId, CancellationToken cancellationToken)
    {
        Answers = AgreementQuestionsForm.Posted(Request.Form);
        if (!await LoadAsync(agreementId, cancellationToken))
        {
            return NotFound();
        }

        if (string.IsNullOrWhiteSpace(SignedName))
        {
            ModelState.AddModelError(nameof(SignedName), IsPupilSigning ? "Type your name to sign" : "Type your full name to sign");
        }

        if (AskJobTitle && string.IsNullOrWhiteSpace(JobTitle))
        {
            ModelState.AddModelError(nameof(JobTitle), "Enter your job title");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var school = Person!.SchoolId;
        try
        {
            await agreements.SignAsync(new SignRequest(
                school, Person.Id, _signerId, Agreement!.Id, SignedName!.Trim(),
                AskJobTitle ? JobTitle?.Trim() : null,
                AskClass ? (string.IsNullOrWhiteSpace(ClassName) ? Person.ClassName : ClassName.Trim()) : null,
                IsPupilSigning && (TeacherPresent || !ForSelf),
                SignatureMethod.Portal, scope.ClientAddress, scope.UserName)
            {
                Answers = Answers,
                ChildName = AskChildName ? ChildName : null,
            }, cancellationToken);
        }
        catch (DomainException e)
        {
            // The service explains what was wrong (e.g. the name does not match, a question unanswered); show it beside the field.
            var key = e is InvalidException { Field: { } field }
                ? field.StartsWith("answers.", StringComparison.Ordinal) ? AgreementQuestionsForm.Key(field["answers.".Length..])
                : field == "childName" ? nameof(ChildName) : nameof(SignedName)
                : nameof(SignedName);
            ModelState.AddModelError(key, e.Message);
            return Page();
        }

        if (!ForSelf)
        {
            return Redirect(AsParent ? "/sign" : $"/people/{Person.Id}");
        }

        var next = await gate.FirstOutstandingAsync(HttpContext, school, Person.Id, cancellationToken);
        if (next is not null)
        {
            return Redirect(PortalHome.IsReturnAddress(Url, ReturnUrl) ? next + "?returnUrl=" + Uri.EscapeDataString(ReturnUrl!) : next);
        }

        if (PortalHome.IsReturnAddress(Url, ReturnUrl))
        {
            return LocalRedirect(ReturnUrl!);
        }

        // The dashboard thanks them for signing; a role with a home of its own goes straight there.
        var home = PortalHome.For(scope);
        return Redirect(home == "/" ? "/?signed=true" : home);
    }

    private async Task<bool> LoadAsync(string agreementId, CancellationToken cancellationToken)
    {
        if (scope.SchoolId is not { } school)
        {
            return false;
        }

        var self = scope.PersonId;
        if (For is { } target && target != self)
        {
            Person = await scope.FindPersonAsync(target, cancellationToken);
            if (Person is null)
            {
                return false;
            }

            var isParent = self is { } me && await db.ParentLinks.AnyAsync(l => l.SchoolId == school && l.ParentId == me && l.ChildId == target, cancellationToken);
            if (isParent)
            {
                AsParent = true;
                _signerId = self!.Value;
            }
            else if (scope.IsStaff && PersonGroups.Has(Person, PersonKind.Pupil))
            {
                _signerId = Person.Id;
            }
            else
            {
                return false;
            }
        }
        else
        {
            if (self is null)
            {
                return false;
            }

            Person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == self, cancellationToken);
            if (Person is null)
            {
                return false;
            }

            ForSelf = true;
            _signerId = Person.Id;
        }

        var policy = await policies.ActiveAsync(school, cancellationToken);
        Agreement = policy.FindAgreement(agreementId);
        if (Agreement is null)
        {
            return false;
        }

        var required = await agreements.ForPersonAsync(school, Person.Id, cancellationToken);
        _required = required.FirstOrDefault(r => string.Equals(r.AgreementId, Agreement.Id, StringComparison.Ordinal));
        if (_required is null || (AsParent ? !_required.NeedsParent : !_required.NeedsSelf))
        {
            return false;
        }

        var groups = PersonGroups.For(policy, Person);
        var groupId = groups.Select(g => g.Id).FirstOrDefault(g => Agreement.Audience.Contains(g, StringComparer.Ordinal)) ?? (groups.Count > 0 ? groups[0].Id : null);
        Fragment = PolicyRenderer.AgreementFragment(policy, Agreement, AsParent ? null : groupId);
        IsPupilSigning = !AsParent && PersonGroups.Has(Person, PersonKind.Pupil);
        AskJobTitle = !AsParent && Agreement.Fields.Contains(SignatureField.JobTitle);
        AskClass = !AsParent && Agreement.Fields.Contains(SignatureField.Class) && Person.ClassName is null;
        Affirmation = AsParent ? Agreement.ParentAffirmation ?? Agreement.Affirmation : Agreement.Affirmation;
        OnBehalf = AsParent && _required.OnBehalf;
        AskChildName = ForSelf && Agreement.Fields.Contains(SignatureField.ChildName);
        if (AskChildName)
        {
            ChildChoices = await (from l in db.ParentLinks.AsNoTracking()
                                  join c in db.People.AsNoTracking() on l.ChildId equals c.Id
                                  where l.SchoolId == school && l.ParentId == Person.Id && c.LeftOn == null
                                  orderby c.GivenName
                                  select c.GivenName + " " + c.FamilyName).ToListAsync(cancellationToken);
        }

        Gated = ForSelf && string.Equals(Request.Query["gate"], "1", StringComparison.Ordinal);
        return true;
    }
}
