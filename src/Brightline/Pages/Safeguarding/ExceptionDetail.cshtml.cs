using Brightline.Kernel;
using Brightline.Portal;
using Brightline.Safeguarding;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Safeguarding;

/// <summary>One school exception: what it cancels, who proposed and reviewed it, what it would silence today; review and withdrawal.</summary>
public sealed class ExceptionDetailModel(AlertQueue queue, MonitoringExceptions exceptions, PortalScope scope) : PageModel
{
    public ExceptionRow? Row { get; private set; }

    public ExceptionPreview? Today { get; private set; }

    /// <summary>The signed-in user may review or withdraw (the DSL, a deputy DSL or the headteacher).</summary>
    public bool CanReview { get; private set; }

    /// <summary>The signed-in user proposed it, so may not review it.</summary>
    public bool IsProposer { get; private set; }

    public string? Message { get; private set; }

    [BindProperty] public string? Note { get; set; }
    [BindProperty] public bool Confirm { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, string? done, CancellationToken cancellationToken)
    {
        if (!await queue.CanViewEverythingAsync(cancellationToken))
        {
            return Forbid();
        }

        Message = done switch
        {
            "proposed" => "The exception has been proposed. Another safeguarding lead must approve it before it applies.",
            "approved" => "The exception has been approved. It applies to this school's monitoring from the next scan.",
            "rejected" => "The exception has been rejected.",
            "withdrawn" => "The exception has been withdrawn. Text like this is flagged again from the next scan.",
            _ => null,
        };
        return await ShowAsync(id, cancellationToken);
    }

    public Task<IActionResult> OnPostApproveAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(id, "approved", "ReviewNote", () => exceptions.ReviewAsync(id, approve: true, Note, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostRejectAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(id, "rejected", "ReviewNote", () => exceptions.ReviewAsync(id, approve: false, Note, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostWithdrawAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(id, "withdrawn", "WithdrawNote", () => exceptions.WithdrawAsync(id, Note, Confirm, cancellationToken), cancellationToken);

    private async Task<IActionResult> ActAsync(long id, string done, string field, Func<Task> act, CancellationToken cancellationToken)
    {
        if (!await queue.CanViewEverythingAsync(cancellationToken))
        {
            return Forbid();
        }

        try
        {
            await act();
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            ModelState.AddModelError(field, e.Message);
            return await ShowAsync(id, cancellationToken);
        }

        return Redirect($"/monitoring/exceptions/{id}?done={done}");
    }

    private async Task<IActionResult> ShowAsync(long id, CancellationToken cancellationToken)
    {
        try
        {
            (Row, Today) = await exceptions.DetailAsync(id, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        CanReview = await exceptions.CanReviewAsync(cancellationToken);
        IsProposer = string.Equals(Row.Exception.ProposedBy, scope.UserName, StringComparison.OrdinalIgnoreCase);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
