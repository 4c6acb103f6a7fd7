using Brightline.AccessChanges;
using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Portal.Account;

public sealed class ChangePasswordModel(
    UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, BrightlineDbContext db, IAccessChanges changes,
    Brightline.Passwords.PasswordExpiry expiry, Brightline.Passwords.AccountPasswordRules accountRules)
    : PageModel
{
    [BindProperty]
    public string? Current { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? Confirm { get; set; }

    public bool Done { get; private set; }

    /// <summary>Why the portal sent the user here (issue 15): <c>expired</c> or <c>compromised</c>, from the account, not the address.</summary>
    public Brightline.Passwords.PasswordStatus Status { get; private set; } = Brightline.Passwords.PasswordStatus.Fine;

    /// <summary>The rules the new password must meet, in words.</summary>
    public string Rules { get; private set; } = "";

    public async Task OnGetAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        if (users.GetUserId(User) is { } userId)
        {
            Status = await expiry.StatusAsync(userId, HttpContext.RequestAborted);
            Rules = await accountRules.DescribeAsync(userId, HttpContext.RequestAborted);
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return RedirectToPage("/Portal/Account/Login");
        }

        if (string.IsNullOrEmpty(Current))
        {
            ModelState.AddModelError(nameof(Current), "Enter your current password");
        }

        if (string.IsNullOrEmpty(NewPassword))
        {
            ModelState.AddModelError(nameof(NewPassword), "Enter a new password");
        }
        else if (!string.Equals(NewPassword, Confirm, StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(Confirm), "The two new passwords are not the same");
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync();
            return Page();
        }

        var result = await users.ChangePasswordAsync(user, Current!, NewPassword!);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Equals(error.Code, "PasswordMismatch", StringComparison.Ordinal) ? nameof(Current) : nameof(NewPassword),
                    string.Equals(error.Code, "PasswordMismatch", StringComparison.Ordinal) ? "Your current password is not right" : error.Description);
            }

            await LoadAsync();
            return Page();
        }

        // The old password must stop opening the network at once (FreeRADIUS may be repeating an answer it checked).
        await changes.PublishForAccountAsync(db, user.Id, AccessChangeReasons.PasswordChanged, HttpContext.RequestAborted);
        await signIn.RefreshSignInAsync(user);
        Done = true;
        await LoadAsync();
        return Page();
    }
}
