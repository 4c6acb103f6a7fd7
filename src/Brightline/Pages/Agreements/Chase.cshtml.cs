using Brightline.Agreements;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Agreements;

/// <summary>Mass email needs a confirmation step showing how many will go, so nobody sends 300 emails by a stray click.</summary>
[Authorize(Policy = PortalPolicies.Managers)]
public sealed class ChaseModel(PortalScope scope, AgreementService agreements) : PageModel
{
    public int Waiting { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var all = await IndexModel.StatusAsync(scope, agreements, scope.RequiredSchoolId, cancellationToken);
        Waiting = all.Count(x => x.Required.NeedsParent && !x.Required.ParentSigned);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var sent = await agreements.ChaseParentsAsync(scope.RequiredSchoolId, scope.UserName, cancellationToken);
        return Redirect($"/agreements?sent={sent}");
    }
}
