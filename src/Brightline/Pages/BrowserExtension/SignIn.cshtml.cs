using Brightline.BrowserExtension;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.BrowserExtension;

/// <summary>
/// Signs Brightline for Chrome in on a browser with no signed-in account (issue 12, point 2). The popup opens this
/// page with the browser's device ID and a random state; the portal's sign-in comes first (any signed-in person),
/// then the person confirms, and the page sends the tab to <c>?done=1#code=…&amp;state=…</c>, which the
/// extension watches for and exchanges (<see cref="ExtensionSignInApi"/>). Confirming by a form (with the
/// anti-forgery token) means another site cannot make a signed-in person's browser hand a code to it.
/// </summary>
public sealed class SignInModel(PortalScope scope, ExtensionSignInCodes codes) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "device")]
    public string? Device { get; set; }

    [BindProperty(SupportsGet = true, Name = "state")]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true, Name = "done")]
    public bool Done { get; set; }

    /// <summary>False when the portal account is not a person of a school (nothing to enrol).</summary>
    public bool IsPerson => scope.SchoolId is not null && scope.PersonId is not null;

    public bool Valid => Device is { Length: > 0 and <= 100 } && State is { Length: > 0 and <= 100 };

    public string Who => scope.UserName;

    public void OnGet()
    {
    }

    public IActionResult OnPost()
    {
        if (!Valid || scope.SchoolId is not { } school || scope.PersonId is not { } person)
        {
            return Page();
        }

        var code = codes.Issue(school, person, Device!);
        // The fragment never reaches a server or a Referer header; the extension reads it from the tab's address.
        return Redirect($"{ExtensionSignInApi.PagePath}?done=1#code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(State!)}");
    }
}
