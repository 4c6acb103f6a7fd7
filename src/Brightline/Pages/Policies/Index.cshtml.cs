using Brightline.Policies;
using Brightline.Policy;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Policies;

/// <summary>The written policy, rendered from the same file that drives everything else.</summary>
public sealed class IndexModel(PortalScope scope, PolicyStore policies) : PageModel
{
    public SchoolPolicy? Policy { get; private set; }

    public string Fragment { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Policy = await policies.ActiveAsync(scope.RequiredSchoolId, cancellationToken);
        Fragment = PolicyRenderer.PolicyFragment(Policy);
    }
}
