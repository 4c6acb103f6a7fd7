using System.Globalization;
using Brightline.Data.Entities;
using Brightline.Loans;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Loans;

/// <summary>One device's loans, newest first (C15): who had it, when, for what, and how it came back.</summary>
[Authorize(Roles = PortalRoles.LoanStaffNames)]
public sealed class DeviceModel(PortalScope scope, LoanBook book) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public Device Device { get; private set; } = null!;

    public Paged<LoanRow> Results { get; private set; } = new([], 1, 0);

    public async Task<IActionResult> OnGetAsync(Guid deviceId, CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        if (await book.DeviceAsync(school, deviceId, cancellationToken) is not { } device)
        {
            return NotFound();
        }

        Device = device;
        Results = await book.ListAsync(school, new LoanQuery(null, null, deviceId, null, null, PageNumber), cancellationToken);
        return Page();
    }

    public string PageLink(int page) => PortalHtml.Link($"/loans/devices/{Device.Id}", ("p", page == 1 ? null : page.ToString(CultureInfo.InvariantCulture)));
}
