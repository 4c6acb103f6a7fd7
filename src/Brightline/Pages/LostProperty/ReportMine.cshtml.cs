using Brightline.Data.Entities;
using Brightline.LostProperty;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.LostProperty;

/// <summary>F7 for any member of staff: the devices assigned to them, each with "report lost or stolen".</summary>
public sealed class ReportMineModel(PortalScope scope, LostStolenService lostStolen) : PageModel
{
    public IReadOnlyList<Device> Devices { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        Devices = await lostStolen.MineAsync(LostPropertyPages.Actor(scope), cancellationToken);
        return Page();
    }
}
