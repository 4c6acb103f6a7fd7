using Brightline.Consents;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Brightline.Pages.Consents;

/// <summary>
/// A parent's emailed, single-use consent link (F11, C14): yes or no to each question for each of their own children.
/// Anonymous by design, as the countersign link is; it shows only the children's first names. The children answered for
/// are checked against the link's family in <see cref="ConsentRegister.AnswerByLinkAsync"/> — a child ID in the form is
/// never trusted. A used, expired or mangled link gets a calm 410 page.
/// </summary>
[EnableRateLimiting(RateLimits.PublicLinks)]
public sealed class AnswerModel(ConsentRegister register) : PageModel
{
    /// <summary>"childId|questionId" → "yes" or "no".</summary>
    [BindProperty]
    public Dictionary<string, string> Answers { get; set; } = [];

    public ConsentLinkContext? Context { get; private set; }

    public bool Done { get; private set; }

    public int Recorded { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        Context = await register.OpenLinkAsync(token, ct);
        if (Context is null)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        Context = await register.OpenLinkAsync(token, ct);
        if (Context is null)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }

        var answers = new List<LinkAnswer>();
        foreach (var (key, value) in Answers)
        {
            var parts = key.Split('|', 2);
            if (parts.Length != 2 || !Guid.TryParse(parts[0], out var childId) || value is not ("yes" or "no"))
            {
                Error = "Something in the form was not understood; please answer again.";
                return Page();
            }

            answers.Add(new LinkAnswer(childId, parts[1], value == "yes"));
        }

        try
        {
            Recorded = await register.AnswerByLinkAsync(token, answers, HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        }
        catch (DomainException e) when (e is GoneException)
        {
            Context = null;
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }
        catch (ForbiddenException e)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            Error = e.Message;
            return Page();
        }
        catch (InvalidException e)
        {
            Error = e.Message;
            return Page();
        }

        Done = true;
        return Page();
    }
}
