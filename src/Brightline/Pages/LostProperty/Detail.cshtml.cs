using Brightline.Kernel;
using Brightline.LostProperty;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.LostProperty;

/// <summary>One found device: its record and history, and the next step — hand to the custodian, hand back to the owner, or dispose of.</summary>
public sealed class DetailModel(PortalScope scope, LostPropertyService lostProperty) : PageModel
{
    [BindProperty]
    public string? CustodianEmail { get; set; }

    [BindProperty]
    public string? CustodianPassword { get; set; }

    [BindProperty]
    public string? OwnerName { get; set; }

    [BindProperty]
    public string? WitnessPassword { get; set; }

    [BindProperty]
    public string? WipeMethod { get; set; }

    [BindProperty]
    public string? WipedBy { get; set; }

    [BindProperty]
    public string? DisposalNote { get; set; }

    [BindProperty]
    public bool Confirm { get; set; }

    public FoundDeviceView? View { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken) ?? Page();

    public Task<IActionResult> OnPostCustodyAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, actor => lostProperty.HandToCustodianAsync(actor, id, CustodianEmail, CustodianPassword, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostReturnAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, actor => lostProperty.ReturnToOwnerAsync(actor, id, OwnerName, WitnessPassword, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostDisposeAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, actor => lostProperty.DisposeAsync(actor, id, WipeMethod, WipedBy, DisposalNote, Confirm, cancellationToken), cancellationToken);

    private async Task<IActionResult> ActAsync(Guid id, Func<LostPropertyActor, Task> action, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } denied)
        {
            return denied;
        }

        try
        {
            await action(LostPropertyPages.Actor(scope));
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            Error = e.Message;
            return Page();
        }

        return Redirect($"/devices/found/{id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!LostPropertyPages.IsKeeper(scope))
        {
            return Forbid();
        }

        View = await lostProperty.FindAsync(scope.RequiredSchoolId, id, cancellationToken);
        return View is null ? NotFound() : null;
    }
}
