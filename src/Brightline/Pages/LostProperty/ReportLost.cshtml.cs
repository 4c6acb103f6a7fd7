using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.LostProperty;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.LostProperty;

/// <summary>
/// F7: report a device lost or stolen at once. Keepers may report any device of the school; any other member of staff
/// a device assigned to them (a device they may not report is not found).
/// </summary>
public sealed class ReportLostModel(PortalScope scope, LostStolenService lostStolen) : PageModel
{
    [BindProperty]
    public string? What { get; set; }

    [BindProperty]
    public string? Circumstances { get; set; }

    public Device? Device { get; private set; }

    public string? Error { get; private set; }

    public LostStolenOutcome? Outcome { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } denied)
        {
            return denied;
        }

        if (What is not ("lost" or "stolen"))
        {
            Error = "Say whether the device was lost or stolen.";
            return Page();
        }

        try
        {
            Outcome = await lostStolen.ReportAsync(LostPropertyPages.Actor(scope), LostPropertyPages.IsKeeper(scope), id, What == "stolen", Circumstances, cancellationToken);
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            Error = e.Message;
        }

        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        Device = await lostStolen.FindReportableAsync(LostPropertyPages.Actor(scope), LostPropertyPages.IsKeeper(scope), id, cancellationToken);
        return Device is null ? NotFound() : null;
    }
}
