using Brightline.Passwords;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Portal.Account;

/// <summary>
/// "My password may be compromised" (issue 15; F3, H13): a confirmation first, then a forced change and a security
/// incident routed as the account's password rule says (<see cref="PasswordCompromiseService"/>).
/// </summary>
public sealed class CompromisedModel(PasswordCompromiseService compromise, PortalScope scope) : PageModel
{
    public CompromisePlan? Plan { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (scope.UserId is not { } userId)
        {
            return RedirectToPage("/Portal/Account/Login");
        }

        Plan = await compromise.PlanAsync(userId, scope.SchoolId, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (scope.UserId is not { } userId)
        {
            return RedirectToPage("/Portal/Account/Login");
        }

        await compromise.ReportAsync(userId, scope.UserName, scope.SchoolId, scope.PersonId, scope.ClientAddress, HttpContext.RequestAborted);
        return Redirect("/account/password?reason=" + PasswordExpiry.Compromised);
    }

    /// <summary>A policy role key as people say it ("it_provider" → "the IT provider").</summary>
    public string RoleName(string role) => role switch
    {
        "it_provider" => "the IT provider",
        "head" => "the headteacher",
        "business_manager" => "the school business manager",
        "computing_lead" => "the computing lead",
        "dsl" => "the designated safeguarding lead",
        "deputy_dsl" => "the deputy designated safeguarding leads",
        "bursar" => "the bursar",
        "chair_of_governors" => "the chair of governors",
        _ => role.Replace('_', ' '),
    };
}
