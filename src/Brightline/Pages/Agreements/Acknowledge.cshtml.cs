using Brightline.Agreements;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Agreements;

/// <summary>The short acknowledgement a policy may ask for at sign-in or every day/week (H13, C8), recorded like a signature.</summary>
public sealed class AcknowledgeModel(PortalScope scope, AcknowledgementService acknowledgements, AgreementGate gate) : PageModel
{
    public Brightline.Policy.Model.Agreement? Due { get; private set; }

    /// <summary>Where the person was going when the gate stopped them; they go there once they have agreed (issue 17, defect 2d).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (scope.SchoolId is { } school && scope.PersonId is { } person)
        {
            Due = await gate.AcknowledgementDueAsync(HttpContext, school, person, cancellationToken);
        }
    }

    public async Task<IActionResult> OnPostAsync(string? agreementId, CancellationToken cancellationToken)
    {
        if (scope.SchoolId is not { } school || scope.PersonId is not { } person)
        {
            return Redirect("/");
        }

        var due = await gate.AcknowledgementDueAsync(HttpContext, school, person, cancellationToken);
        if (due is not null && string.Equals(due.Id, agreementId, StringComparison.Ordinal))
        {
            await acknowledgements.RecordAsync(school, person, due.Id, scope.ClientAddress, cancellationToken);
        }

        if (await gate.FirstOutstandingAsync(HttpContext, school, person, cancellationToken) is { } next)
        {
            return Redirect(PortalHome.IsReturnAddress(Url, ReturnUrl) ? next + "?returnUrl=" + Uri.EscapeDataString(ReturnUrl!) : next);
        }

        // Issue 17, defect 2d: on to where they were going, or to their role's home (the DSL's alert queue), not the dashboard.
        return LocalRedirect(PortalHome.ReturnOrHome(Url, ReturnUrl, scope));
    }
}
