using System.Globalization;
using Brightline.LostProperty;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.LostProperty;

/// <summary>Lost property (H15): found devices by tab — found, held, due for disposal, closed — for the device keepers.</summary>
public sealed class IndexModel(PortalScope scope, LostPropertyService lostProperty) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "tab")]
    public string? Tab { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public Paged<FoundDeviceRow> Results { get; private set; } = new([], 1, 0);

    public string PageLink(int page) => PortalHtml.Link("/devices/found", ("tab", Tab), ("q", Q), ("p", page.ToString(CultureInfo.InvariantCulture)));

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!LostPropertyPages.IsKeeper(scope))
        {
            return Forbid();
        }

        Tab = LostPropertyTabs.Normalise(Tab);
        Results = await lostProperty.ListAsync(scope.RequiredSchoolId, Tab, Q, PageNumber, cancellationToken);
        return Page();
    }
}
