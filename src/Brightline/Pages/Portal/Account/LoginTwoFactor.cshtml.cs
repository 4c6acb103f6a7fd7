using Brightline.Audit;
using Brightline.Data.Entities;
using Brightline.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Brightline.Pages.Portal.Account;

[EnableRateLimiting(RateLimits.SignIn)]
public sealed class LoginTwoFactorModel(SignInManager<ApplicationUser> signIn, AuditLog audit, Brightline.ClientBindings.SignInBinding binding) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool RememberMe { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        // Only reachable between a correct password and the second factor.
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Portal/Account/Login") : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Portal/Account/Login");
        }

        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Trim();
        if (code.Length == 0)
        {
            ModelState.AddModelError(nameof(Code), "Enter the code from your authenticator app");
            return Page();
        }

        var isAuthenticatorCode = code.Length == 6 && code.All(char.IsAsciiDigit);
        var result = isAuthenticatorCode
            ? await signIn.TwoFactorAuthenticatorSignInAsync(code, RememberMe, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(RecoveryCodes.Normalise(code));
        var client = HttpContext.Connection.RemoteIpAddress?.ToString();
        var actor = user.Email ?? user.Id;
        if (result.Succeeded)
        {
            await audit.AppendAsync(null, actor, AuditActions.SignIn, user.Id, isAuthenticatorCode ? "password + authenticator" : "password + recovery code", client, cancellationToken);
            await binding.BindAsync(HttpContext, user.Id, cancellationToken);
            return LocalRedirect(PortalHome.AfterSignIn(Url, ReturnUrl));
        }

        await audit.AppendAsync(null, actor, AuditActions.SignInFailed, user.Id, result.IsLockedOut ? "locked out" : "wrong security code", client, cancellationToken);
        ModelState.AddModelError(nameof(Code), result.IsLockedOut
            ? "This account is locked for 15 minutes after too many wrong attempts."
            : "That code is not right. Codes change every 30 seconds: type the one shown now.");
        return Page();
    }
}
