using Brightline.Audit;
using Brightline.Data.Entities;
using Brightline.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Brightline.Pages.Portal.Account;

[EnableRateLimiting(RateLimits.SignIn)]
public sealed class LoginModel(SignInManager<ApplicationUser> signIn, UserManager<ApplicationUser> users, UnknownAccountSignIns unknownAccounts, AuditLog audit, Brightline.Portal.ISuspendedAccounts suspended, Brightline.ClientBindings.SignInBinding binding) : PageModel
{
    private const string WrongMessage = "The email address or password is not right. Check them and try again.";
    private const string LockedMessage = "This account is locked for 15 minutes because the password was wrong 5 times. Try again later, or ask the administrator.";

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public bool RememberMe { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool SignedOut { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool PasswordSet { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Email))
        {
            ModelState.AddModelError(nameof(Email), "Enter your email address or username");
        }

        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), "Enter your password");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var email = Email!.Trim();
        var client = HttpContext.Connection.RemoteIpAddress?.ToString();
        // Issue 17, defect 9: a pupil without an email address signs in with a username, which never contains "@".
        var user = email.Contains('@', StringComparison.Ordinal) ? await users.FindByEmailAsync(email) : await users.FindByNameAsync(email.ToLowerInvariant());
        if (user is null)
        {
            // Answered exactly as a real account with a wrong password would be, lockout included (issue 10, item 9).
            var locked = unknownAccounts.Fail(email, Password!);
            await audit.AppendAsync(null, email, AuditActions.SignInFailed, email, "no such account", client, cancellationToken);
            ModelState.AddModelError(nameof(Password), locked ? LockedMessage : WrongMessage);
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(user, Password!, RememberMe, lockoutOnFailure: true);
        if (result.Succeeded && await suspended.IsSuspendedAsync(user.Id, cancellationToken))
        {
            // F14: a suspended account is refused even with the right password.
            await signIn.SignOutAsync();
            await audit.AppendAsync(null, user.Email ?? email, AuditActions.SignInFailed, user.Id, "suspended", client, cancellationToken);
            return Redirect(suspended.SuspendedPath);
        }

        if (result.Succeeded)
        {
            await audit.AppendAsync(null, user.Email ?? email, AuditActions.SignIn, user.Id, "password", client, cancellationToken);
            await binding.BindAsync(HttpContext, user.Id, cancellationToken);
            return LocalRedirect(PortalHome.AfterSignIn(Url, ReturnUrl));
        }

        if (result.RequiresTwoFactor)
        {
            // The sign-in is audited once the second factor is given.
            return RedirectToPage("/Portal/Account/LoginTwoFactor", new { returnUrl = ReturnUrl, rememberMe = RememberMe });
        }

        if (result.IsLockedOut)
        {
            await audit.AppendAsync(null, user.Email ?? email, AuditActions.SignInFailed, user.Id, "locked out", client, cancellationToken);
            ModelState.AddModelError(nameof(Password), LockedMessage);
            return Page();
        }

        await audit.AppendAsync(null, user.Email ?? email, AuditActions.SignInFailed, user.Id, result.IsNotAllowed ? "not allowed" : "wrong password", client, cancellationToken);
        ModelState.AddModelError(nameof(Password), WrongMessage);
        return Page();
    }
}
