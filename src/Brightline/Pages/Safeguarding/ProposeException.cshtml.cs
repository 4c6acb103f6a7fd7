using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Safeguarding;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Safeguarding;

/// <summary>
/// Issue 16 part 4: propose an exception to the school's own library from a false-positive alert. The phrase is prefilled
/// from the highlighted text and the words around it; "Check" shows how many past alerts it would have silenced before
/// anything is submitted.
/// </summary>
public sealed class ProposeExceptionModel(AlertQueue queue, MonitoringExceptions exceptions) : PageModel
{
    public MonitoringAlert? Alert { get; private set; }

    public ExceptionPreview? Preview { get; private set; }

    [BindProperty] public string? Phrase { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (!await queue.CanViewEverythingAsync(cancellationToken))
        {
            return Forbid();
        }

        return await ShowAsync(id, suggest: true, cancellationToken);
    }

    public async Task<IActionResult> OnPostCheckAsync(long id, CancellationToken cancellationToken)
    {
        if (!await queue.CanViewEverythingAsync(cancellationToken))
        {
            return Forbid();
        }

        return await ShowAsync(id, suggest: false, cancellationToken);
    }

    public async Task<IActionResult> OnPostProposeAsync(long id, CancellationToken cancellationToken)
    {
        if (!await queue.CanViewEverythingAsync(cancellationToken))
        {
            return Forbid();
        }

        try
        {
            var created = await exceptions.ProposeAsync(id, Phrase, cancellationToken);
            return Redirect($"/monitoring/exceptions/{created}?done=proposed");
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            ModelState.AddModelError(nameof(Phrase), "The exception was not proposed. " + e.Message);
            return await ShowAsync(id, suggest: false, cancellationToken);
        }
    }

    private async Task<IActionResult> ShowAsync(long id, bool suggest, CancellationToken cancellationToken)
    {
        try
        {
            Alert = await exceptions.SourceAlertAsync(id, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        if (suggest)
        {
            Phrase = MonitoringExceptions.Suggest(Alert);
        }

        if (Alert.Outcome == AlertOutcome.FalsePositive && Alert.Context is not null)
        {
            Preview = await exceptions.PreviewAsync(Alert, Phrase, cancellationToken);
        }

        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    /// <summary>The alert's context split around the highlighted span.</summary>
    public (string Before, string Match, string After) Parts() => AlertText.Parts(Alert);
}
