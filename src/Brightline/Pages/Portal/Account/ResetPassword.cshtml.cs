using Brightline.AccessChanges;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Passwords;
using Brightline.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Brightline.Pages.Portal.Account;

/// <summary>
/// Where an administrator's one-time link lands: the user chooses their own password. The token is
/// Identity's reset token, which stops working once used (the security stamp changes) or after a day.
/// </summary>
[EnableRateLimiting(RateLimits.SignIn)]
public sealed class ResetPasswordModel(UserManager<ApplicationUser> users, BrightlineDbContext db, IAccessChanges changes, AccountPasswordRules accountRules) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true, Name = "code")]
    public string? Code { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? Confirm { get; set; }

    public string? Email { get; private set; }

    /// <summary>The rules this account must meet, in words (its schools' <c>passwords:</c> rules, or the built-in rule).</summary>
    public string Rules { get; private set; } = "";

    public bool LinkLooksValid { get; private set; }

    public async Task OnGetAsync()
    {
        var user = UserId is null ? null : await users.FindByIdAsync(UserId);
        LinkLooksValid = user is not null && !string.IsNullOrEmpty(Code);
        Email = user?.Email;
        await DescribeRulesAsync(user);
    }

    private async Task DescribeRulesAsync(ApplicationUser? user) =>
        Rules = await accountRules.DescribeAsync(user?.Id, HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        var user = UserId is null ? null : await users.FindByIdAsync(UserId);
        LinkLooksValid = user is not null && !string.IsNullOrEmpty(Code);
        Email = user?.Email;
        await DescribeRulesAsync(user);
        if (user is null || string.IsNullOrEmpty(Code))
        {
            return Page();
        }

        if (string.IsNullOrEmpty(NewPassword))
        {
            ModelState.AddModelError(nameof(NewPassword), "Enter a password");
        }
        else if (!string.Equals(NewPassword, Confirm, StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(Confirm), "The two passwords are not the same");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await users.ResetPasswordAsync(user, Code, NewPassword!);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Equals(error.Code, "InvalidToken", StringComparison.Ordinal) ? "" : nameof(NewPassword),
                    string.Equals(error.Code, "InvalidToken", StringComparison.Ordinal)
                        ? "This link has already been used or has expired. Ask the administrator for a new one."
                        : error.Description);
            }

            return Page();
        }

        // A reset also clears a lockout, so a locked-out user can get back in with the administrator's help.
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        // The old password must stop opening the network at once (FreeRADIUS may be repeating an answer it checked).
        await changes.PublishForAccountAsync(db, user.Id, AccessChangeReasons.PasswordChanged, HttpContext.RequestAborted);
        return RedirectToPage("/Portal/Account/Login", new { passwordSet = true });
    }
}
