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

    public string CsvLink => PortalHtml.Link("/devices/found", ("handler", "csv"), ("tab", Tab), ("q", Q));

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

    /// <summary>The tab (with its search) as CSV: every row, not just this page; UK dates, names as signed.</summary>
    [AuditedExport("lost property")]
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (!LostPropertyPages.IsKeeper(scope))
        {
            return Forbid();
        }

        Tab = LostPropertyTabs.Normalise(Tab);
        var csv = await LostPropertyCsv.WriteAsync(lostProperty, scope.RequiredSchoolId, Tab, Q, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"lost-property-{Tab}.csv");
    }
}
