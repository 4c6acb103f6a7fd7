using Brightline.Agreements;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Brightline.Pages.Agreements;

/// <summary>
/// A parent's emailed, single-use link. Anonymous by design (parents rarely have accounts); it shows only the
/// child's first name. A used, expired or mangled link gets a calm 410 page, never an error.
/// </summary>
[EnableRateLimiting(RateLimits.PublicLinks)]
public sealed class CountersignModel(AgreementService agreements, PolicyStore policies) : PageModel
{
    [BindProperty]
    public string? SignedName { get; set; }

    /// <summary>Answers to the agreement's questions, by question ID (issue 15 part 4).</summary>
    public Dictionary<string, string?> Answers { get; set; } = new(StringComparer.Ordinal);

    public AgreementQuestionsForm QuestionsForm { get; private set; } = new([], new Dictionary<string, string?>());

    public CountersignContext? Context { get; private set; }

    public string? Fragment { get; private set; }

    public string Affirmation { get; private set; } = "";

    public bool Done { get; private set; }

    public string ChildFirstName { get; private set; } = "";

    /// <summary>The school asking, shown on the page (issue 17 defect 4): the link arrives by email from outside.</summary>
    public string? SchoolName { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        await LoadAsync(token, cancellationToken);
        if (Context is null)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        Answers = AgreementQuestionsForm.Posted(Request.Form);
        await LoadAsync(token, cancellationToken);
        if (Context is null)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }

        if (string.IsNullOrWhiteSpace(SignedName))
        {
            ModelState.AddModelError(nameof(SignedName), "Type your full name to sign");
            return Page();
        }

        try
        {
            await agreements.CountersignAsync(token, SignedName.Trim(), HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken, Answers);
        }
        catch (DomainException e) when (e is NotFoundException or GoneException)
        {
            Context = null;
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(
                e is InvalidException { Field: { } field } && field.StartsWith("answers.", StringComparison.Ordinal)
                    ? AgreementQuestionsForm.Key(field["answers.".Length..]) : nameof(SignedName),
                e.Message);
            return Page();
        }

        ChildFirstName = Context.Child.GivenName;
        Done = true;
        return Page();
    }

    private async Task LoadAsync(string token, CancellationToken cancellationToken)
    {
        Context = await agreements.OpenCountersignAsync(token, cancellationToken);
        if (Context is null)
        {
            return;
        }

        var policy = await policies.ActiveAsync(Context.SchoolId, cancellationToken);
        SchoolName = policy.School.Name;
        var agreement = policy.FindAgreement(Context.Version.AgreementId);
        if (agreement is not null)
        {
            var groups = PersonGroups.For(policy, Context.Child);
            var groupId = groups.Select(g => g.Id).FirstOrDefault(g => agreement.Audience.Contains(g, StringComparer.Ordinal));
            Fragment = PolicyRenderer.AgreementFragment(policy, agreement, groupId);
            Affirmation = agreement.ParentAffirmation ?? agreement.Affirmation;
            QuestionsForm = new AgreementQuestionsForm(agreement.Questions, Answers);
        }
        else
        {
            Affirmation = "I have read this agreement with my child and support the school in keeping them safe online.";
        }
    }
}
