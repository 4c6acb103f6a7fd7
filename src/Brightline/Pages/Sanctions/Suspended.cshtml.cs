using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Sanctions;

/// <summary>Where a suspended person lands after being signed out (F14).</summary>
[AllowAnonymous]
public sealed class SuspendedModel : PageModel
{
    public void OnGet()
    {
    }
}
