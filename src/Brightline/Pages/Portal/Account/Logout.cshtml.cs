using Brightline.Audit;
using Brightline.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Portal.Account;

public sealed class LogoutModel(SignInManager<ApplicationUser> signIn, AuditLog audit, Brightline.ClientBindings.SignInBinding binding) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            await audit.AppendAsync(null, User.Identity.Name ?? "unknown", AuditActions.SignOut, signIn.UserManager.GetUserId(User), null,
                HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        }

        await signIn.SignOutAsync();
        await binding.UnbindAsync(HttpContext, cancellationToken);
        return RedirectToPage("/Portal/Account/Login", new { signedOut = true });
    }
}
