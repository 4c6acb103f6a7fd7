using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages;

/// <summary>Friendly pages for 403, 404, 410, 429 and the rest, re-executed by the status-code middleware with the original status kept.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Heading { get; private set; } = "";

    public string Explanation { get; private set; } = "";

    public IActionResult OnGet(int code) => Show(code);

    public IActionResult OnPost(int code) => Show(code);

    private PageResult Show(int code)
    {
        // Only a re-executed request keeps its original status; a direct visit to /error/404 is still a 404.
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null;
        Response.StatusCode = code is >= 400 and <= 599 ? code : StatusCodes.Status404NotFound;
        (Heading, Explanation) = code switch
        {
            StatusCodes.Status403Forbidden => ("You do not have access to this page", "Your role at the school does not include this page. If you think it should, ask the school's Brightline administrator."),
            StatusCodes.Status404NotFound => ("Page not found", "There is nothing here, or you do not have access to it. Check the address, or go back to the dashboard."),
            StatusCodes.Status410Gone => ("This link is no longer valid", "The link has been used already or has expired."),
            StatusCodes.Status429TooManyRequests => ("Too many tries", "There have been a lot of attempts from this address in the last minute. Wait a minute, then try again. Nothing you had saved was lost."),
            StatusCodes.Status400BadRequest => ("Something in the request was not right", reExecuted ? "Go back, reload the page and try again." : "Go back and try again."),
            _ => ("Something went wrong", "Nothing you had saved was lost. Go back and try again."),
        };
        return Page();
    }
}
