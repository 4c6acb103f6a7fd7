using Brightline.BrowserExtension;
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
public sealed class IndexModel(PortalScope scope, BrightlineDbContext db, DeviceTokens tokens, ExtensionKeys extensionKeys, EnrolmentRefusals refusals) : PageModel
{
    /// <summary>The school's browser-extension enrolment keys, the one in force first.</summary>
    public IReadOnlyList<ExtensionEnrolmentKey> ExtensionKeys { get; private set; } = [];

    /// <summary>
    /// Enrolled browsers: one row per account per browser, with the person's name and when the browser was last
    /// seen (its latest decision or enrolment, or its capture reaching the ingestion API as its monitoring device).
    /// </summary>
    public IReadOnlyList<(ExtensionToken Token, string Person, DateTimeOffset? LastSeen)> Browsers { get; private set; } = [];

    /// <summary>The school's most recent refused enrolments, newest first, so the IT provider sees why a browser did not enrol.</summary>
    public IReadOnlyList<ExtensionEnrolmentRefusal> Refusals { get; private set; } = [];

    /// <summary>The enrolment key just created; shown on this response only and never again.</summary>
    public string? IssuedKey { get; private set; }

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

    public async Task<IActionResult> OnPostCreateKeyAsync(CancellationToken cancellationToken)
    {
        var issued = await extensionKeys.CreateAsync(scope.RequiredSchoolId, scope.UserName, scope.ClientAddress, cancellationToken);
        IssuedKey = issued.Key;
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeKeyAsync(Guid key, CancellationToken cancellationToken)
    {
        try
        {
            await extensionKeys.RevokeAsync(scope.RequiredSchoolId, key, scope.UserName, scope.ClientAddress, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return RedirectToPage(new { revoked = "key" });
    }

    public async Task<IActionResult> OnPostRevokeBrowserAsync(Guid browser, CancellationToken cancellationToken)
    {
        try
        {
            await extensionKeys.RevokeTokenAsync(scope.RequiredSchoolId, browser, scope.UserName, scope.ClientAddress, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return RedirectToPage(new { revoked = "browser" });
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (string.Equals(Request.Query["revoked"], "1", StringComparison.Ordinal))
        {
            Message = "The token has been revoked. The device can no longer send activity.";
        }
        else if (string.Equals(Request.Query["revoked"], "key", StringComparison.Ordinal))
        {
            Message = "The enrolment key has been revoked, and every browser enrolled with it signed out. Create a new key and put it in the managed policy.";
        }
        else if (string.Equals(Request.Query["revoked"], "browser", StringComparison.Ordinal))
        {
            Message = "The browser has been signed out. It enrols again the next time its account uses it, while the enrolment key is in force.";
        }

        var school = scope.RequiredSchoolId;
        Devices = await db.Set<MonitoringDevice>().AsNoTracking().Where(d => d.SchoolId == school)
            .OrderBy(d => d.RevokedAt != null).ThenBy(d => d.Name).ToListAsync(cancellationToken);
        ExtensionKeys = [.. (await db.Set<ExtensionEnrolmentKey>().AsNoTracking().Where(k => k.SchoolId == school).ToListAsync(cancellationToken))
            .OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.CreatedAt)];
        var browsers = await db.Set<ExtensionToken>().AsNoTracking().Where(t => t.SchoolId == school)
            .Join(db.People.Where(p => p.SchoolId == school), t => t.PersonId, p => p.Id, (t, p) => new { Token = t, p.GivenName, p.FamilyName })
            .ToListAsync(cancellationToken);

        // An enrolled browser's capture is sent as its monitoring device (same ID), whose time the ingestion API keeps.
        var captured = Devices.Where(d => d.LastSeenAt is not null).ToDictionary(d => d.Id, d => d.LastSeenAt!.Value);
        Browsers = [.. browsers.OrderBy(b => b.Token.RevokedAt != null).ThenBy(b => b.FamilyName, StringComparer.Ordinal).ThenBy(b => b.Token.DeviceName, StringComparer.Ordinal)
            .Select(b => (b.Token, $"{b.GivenName} {b.FamilyName}", Latest(b.Token.LastSeenAt, captured.TryGetValue(b.Token.Id, out var c) ? c : null)))];
        Refusals = await refusals.RecentAsync(school, cancellationToken);
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a > b ? a : b);
}
