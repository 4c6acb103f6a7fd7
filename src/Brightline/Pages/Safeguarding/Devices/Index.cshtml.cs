using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Brightline.Safeguarding;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Safeguarding.Devices;

/// <summary>Monitoring devices and their agent tokens: issue (shown once) and revoke.</summary>
[Authorize(Policy = SafeguardingModule.DeviceManagersPolicy)]
public sealed class IndexModel(PortalScope scope, BrightlineDbContext db, DeviceTokens tokens) : PageModel
{
    public IReadOnlyList<MonitoringDevice> Devices { get; private set; } = [];

    /// <summary>The token just issued; shown on this response only and never again.</summary>
    public string? IssuedToken { get; private set; }

    public string? IssuedName { get; private set; }

    public string? Message { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostIssueAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Trim().Length > 200)
        {
            ModelState.AddModelError(nameof(Name), "Give the device a name of up to 200 characters, such as \"ICT suite PC 4\".");
            await LoadAsync(cancellationToken);
            return Page();
        }

        var issued = await tokens.IssueAsync(scope.RequiredSchoolId, Name, scope.UserName, scope.ClientAddress, cancellationToken);
        IssuedToken = issued.Token;
        IssuedName = issued.Device.Name;
        Name = null;
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid device, CancellationToken cancellationToken)
    {
        try
        {
            await tokens.RevokeAsync(scope.RequiredSchoolId, device, scope.UserName, scope.ClientAddress, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return RedirectToPage(new { revoked = 1 });
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (string.Equals(Request.Query["revoked"], "1", StringComparison.Ordinal))
        {
            Message = "The token has been revoked. The device can no longer send activity.";
        }

        var school = scope.RequiredSchoolId;
        Devices = await db.Set<MonitoringDevice>().AsNoTracking().Where(d => d.SchoolId == school)
            .OrderBy(d => d.RevokedAt != null).ThenBy(d => d.Name).ToListAsync(cancellationToken);
    }
}
