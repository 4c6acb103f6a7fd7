using Brightline.Kernel;
using Brightline.Leavers;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Leavers;

/// <summary>One leaver's checklist: each line closed as the thing comes back, its data is removed, or it is written off.</summary>
public sealed class DetailModel(PortalScope scope, LeaversService leavers) : PageModel
{
    [BindProperty]
    public long Item { get; set; }

    [BindProperty]
    public string? Outcome { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public LeaverChecklistView? View { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } denied)
        {
            return denied;
        }

        try
        {
            await leavers.CloseItemAsync(new LeaversActor(scope.RequiredSchoolId, scope.UserName), id, Item, Outcome, Note, cancellationToken);
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            Error = e.Message;
            return Page();
        }

        return Redirect($"/devices/leavers/{id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!scope.HasAnyRole(PortalRoles.DeviceKeepers))
        {
            return Forbid();
        }

        View = await leavers.FindAsync(scope.RequiredSchoolId, id, cancellationToken);
        return View is null ? NotFound() : null;
    }
}
