using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using QRCoder;

namespace Brightline.Pages.Devices;

/// <summary>
/// Printable asset tag labels (issue 14, point 1): 24 to an A4 sheet (3 × 8, 70 × 37 mm, the common label sheet), each
/// with a QR code of the asset tag — what the loan kiosk scans — the tag in letters and the device's name. For the
/// devices ticked by id, or the register's filtered list; devices without an asset tag have nothing to print.
/// </summary>
[Authorize(Roles = PortalRoles.DeviceKeeperNames)]
public sealed class LabelsModel(PortalScope scope, PolicyStore policies, DeviceQueries queries) : PageModel
{
    public const int PerSheet = 24;

    /// <summary>The most labels one page prints (50 sheets): a whole 5,000-device register is printed in parts.</summary>
    public const int MaxLabels = 1200;

    [BindProperty(SupportsGet = true, Name = "id")] public List<Guid> Ids { get; set; } = [];
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Ownership { get; set; }
    [BindProperty(SupportsGet = true)] public string? State { get; set; }
    [BindProperty(SupportsGet = true, Name = "class")] public string? ClassName { get; set; }
    [BindProperty(SupportsGet = true)] public string? Missing { get; set; }

    public IReadOnlyList<(Device Device, string QrDataUri)> Labels { get; private set; } = [];
    public int Untagged { get; private set; }
    public bool Capped { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var policy = (await policies.ActiveAsync(school, cancellationToken)).Devices;
        List<Device> devices;
        try
        {
            var q = queries.Filtered(school, policy, new DeviceFilter(Q, Kind, Ownership, State, ClassName, Missing));
            if (Ids.Count > 0)
            {
                var ids = Ids.Take(MaxLabels).ToList();
                q = q.Where(d => ids.Contains(d.Id));
            }

            devices = await q.Take(MaxLabels + 1).ToListAsync(cancellationToken);
        }
        catch (InvalidException e)
        {
            Error = e.Message;
            return Page();
        }

        Capped = devices.Count > MaxLabels;
        Untagged = devices.Count(d => d.AssetTag is null);
        using var generator = new QRCodeGenerator();
        Labels = [.. devices.Take(MaxLabels).Where(d => d.AssetTag is not null).OrderBy(d => d.AssetTag, StringComparer.OrdinalIgnoreCase).Select(d => (d, Qr(generator, d.AssetTag!)))];
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    /// <summary>A PNG data URI: prints without JavaScript or a request per label.</summary>
    private static string Qr(QRCodeGenerator generator, string text)
    {
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(4));
    }
}
