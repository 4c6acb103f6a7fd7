using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Portal;

/// <summary>
/// Where a plain sign-in goes (issue 17, defect 2): the role's home (<see cref="PortalHome"/>). The sign-in page cannot
/// work the home out itself, because the new session's roles are only read on the next request; this page is that request.
/// </summary>
public sealed class HomeModel(PortalScope scope) : PageModel
{
    public IActionResult OnGet() => Redirect(PortalHome.For(scope));
}
