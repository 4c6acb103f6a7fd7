using System.Globalization;
using System.Text;
using Brightline.Data;
using Brightline.DeviceRequests;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Devices.Requests;

/// <summary>
/// Device requests: everyone sees the ones they asked, their own and their children's; those who decide (a role some
/// rule names as approver, or a register keeper) see the school's queue, waiting ones first by default.
/// </summary>
public sealed class IndexModel(DeviceRequestService requests, BrightlineDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "view")]
    public string? View { get; set; }

    [BindProperty(SupportsGet = true, Name = "state")]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public bool IsDecider { get; private set; }

    public bool Queue => IsDecider && !string.Equals(View, "mine", StringComparison.Ordinal);

    public Paged<DeviceRequestRow> Results { get; private set; } = new([], 1, 0);

    public string PageLink(int page) => PortalHtml.Link("/devices/requests", ("view", View), ("state", State), ("q", Q), ("p", page.ToString(CultureInfo.InvariantCulture)));

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var actor = await DeviceRequestsModule.ActorAsync(HttpContext, db, cancellationToken);
        IsDecider = await requests.IsDeciderAsync(actor, cancellationToken);
        if (Queue && State is null && !string.Equals(View, "queue", StringComparison.Ordinal))
        {
            State = "pending";
        }

        Results = await requests.ListAsync(actor, Queue, string.IsNullOrEmpty(State) ? null : State, Q, PageNumber, cancellationToken);
        return Page();
    }

    /// <summary>The requests the filter finds (the same rows the list shows, every page), as CSV with UK dates and names.</summary>
    [AuditedExport("device requests")]
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var actor = await DeviceRequestsModule.ActorAsync(HttpContext, db, cancellationToken);
        IsDecider = await requests.IsDeciderAsync(actor, cancellationToken);
        var csv = new StringBuilder(DeviceRequestCsv.Header());
        for (var page = 1; page <= 200; page++)
        {
            var batch = await requests.ListAsync(actor, Queue, string.IsNullOrEmpty(State) ? null : State, Q, page, cancellationToken);
            foreach (var row in batch.Items)
            {
                csv.Append(DeviceRequestCsv.Line(row));
            }

            if (!batch.HasNext)
            {
                break;
            }
        }

        Response.Headers.CacheControl = "no-store";
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", "device-requests.csv");
    }
}
