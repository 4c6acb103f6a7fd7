using Brightline.Data;
using Brightline.People;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages;

/// <summary>Friendly pages for 403, 404, 410, 429 and the rest, re-executed by the status-code middleware with the original status kept.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel(PortalScope scope, BrightlineDbContext db, PolicyStore policies) : PageModel
{
    public string Heading { get; private set; } = "";

    public string Explanation { get; private set; } = "";

    /// <summary>For a refusal: the roles that may open the page, each with the names of the people holding it (issue 17, defect 2a).</summary>
    public IReadOnlyList<(string Role, IReadOnlyList<(string Name, bool HasAccount)> Holders)> AllowedRoles { get; private set; } = [];

    /// <summary>For a refusal: the school's administrators, who give accounts their roles; empty when the reader is one.</summary>
    public IReadOnlyList<string> Administrators { get; private set; } = [];

    public bool ReaderIsAdministrator => scope.IsAdmin;

    public Task<IActionResult> OnGetAsync(int code, CancellationToken cancellationToken) => ShowAsync(code, cancellationToken);

    public Task<IActionResult> OnPostAsync(int code, CancellationToken cancellationToken) => ShowAsync(code, cancellationToken);

    private async Task<IActionResult> ShowAsync(int code, CancellationToken cancellationToken)
    {
        // Only a re-executed request keeps its original status; a direct visit to /error/404 is still a 404.
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null;
        Response.StatusCode = code is >= 400 and <= 599 ? code : StatusCodes.Status404NotFound;
        (Heading, Explanation) = code switch
        {
            StatusCodes.Status403Forbidden => ("You do not have access to this page", "Your role at the school does not include this page."),
            StatusCodes.Status404NotFound => ("Page not found", "There is nothing here, or you do not have access to it. Check the address, or go back to the dashboard."),
            StatusCodes.Status410Gone => ("This link is no longer valid", "The link has been used already or has expired."),
            StatusCodes.Status429TooManyRequests => ("Too many tries", "There have been a lot of attempts from this address in the last minute. Wait a minute, then try again. Nothing you had saved was lost."),
            StatusCodes.Status400BadRequest => ("Something in the request was not right", reExecuted ? "Go back, reload the page and try again." : "Go back and try again."),
            _ => ("Something went wrong", "Nothing you had saved was lost. Go back and try again."),
        };
        if (code == StatusCodes.Status403Forbidden && scope.SchoolId is { } school)
        {
            await NameWhoCanHelpAsync(school, cancellationToken);
        }

        return Page();
    }

    /// <summary>
    /// Issue 17, defect 2a: a refusal names the roles that may open the page and the people who hold them, and who gives
    /// accounts their roles — never "ask the administrator" to the administrator.
    /// </summary>
    private async Task NameWhoCanHelpAsync(string school, CancellationToken cancellationToken)
    {
        var allowed = new List<(string, IReadOnlyList<(string, bool)>)>();
        foreach (var role in AccessRefusal.RolesFor(HttpContext).Where(PortalRoles.IsKnown))
        {
            allowed.Add((PortalRoles.Describe(role), await RoleHolders.NamesAsync(db, policies, school, role, cancellationToken)));
        }

        AllowedRoles = allowed;
        if (!scope.IsAdmin)
        {
            Administrators = (await RoleHolders.NamesAsync(db, policies, school, PortalRoles.Admin, cancellationToken)).Where(h => h.HasAccount).Select(h => h.Name).ToList();
        }
    }
}
