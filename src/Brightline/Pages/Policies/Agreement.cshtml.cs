using Brightline.Policies;
using Brightline.Policy;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Policies;

/// <summary>An agreement's printable form: the renderer's complete document (with its own print CSS), served as is.</summary>
public sealed class AgreementModel(PortalScope scope, PolicyStore policies) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string agreementId, CancellationToken cancellationToken)
    {
        var policy = await policies.ActiveAsync(scope.RequiredSchoolId, cancellationToken);
        var agreement = policy.FindAgreement(agreementId);
        if (agreement is null)
        {
            return NotFound();
        }

        return Content(PolicyRenderer.AgreementDocument(policy, agreement), "text/html; charset=utf-8");
    }
}
