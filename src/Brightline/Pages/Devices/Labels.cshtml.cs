using System.Globalization;
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
/// A page holds <see cref="PageSize"/> labels (five sheets) in asset tag order, so a whole register is printed in
/// batches, page X of Y, and a page is quick to draw: 1,200 QR codes on one page took over half a second.
/// </summary>
[Authorize(Roles = PortalRoles.DeviceKeeperNames)]
public sealed class LabelsModel(PortalScope scope, PolicyStore policies, DeviceQueries queries) : PageModel
{
    public const int PerSheet = 24;

    /// <summary>Labels on one page: five whole A4 sheets, a batch a printer's tray takes comfortably.</summary>
    public const int PageSize = PerSheet * 5;

    /// <summary>The most devices ticked by id that one request considers (the URL carries them).</summary>
    public const int MaxIds = 1200;

    [BindProperty(SupportsGet = true, Name = "id")] public List<Guid> Ids { get; set; } = [];
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Ownership { get; set; }
    [BindProperty(SupportsGet = true)] public string? State { get; set; }
    [BindProperty(SupportsGet = true, Name = "class")] public string? ClassName { get; set; }
    [BindProperty(SupportsGet = true)] public string? Missing { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<(Device Device, string QrDataUri)> Labels { get; private set; } = [];
    public int Untagged { get; private set; }

    /// <summary>Labels in the whole filtered list (every page).</summary>
    public int Total { get; private set; }

    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    /// <summary>Sheets in the whole filtered list, for "sheets 6–10 of 48".</summary>
    public int TotalSheets => (Total + PerSheet - 1) / PerSheet;

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
                var ids = Ids.Take(MaxIds).ToList();
                q = q.Where(d => ids.Contains(d.Id));
            }

            // Asset tag order (the unique index's), so the pages are stable and a printed batch follows the last.
            var tagged = q.Where(d => d.AssetTag != null);
            Total = await tagged.CountAsync(cancellationToken);
            Untagged = await q.CountAsync(d => d.AssetTag == null, cancellationToken);
            PageNumber = Math.Clamp(PageNumber, 1, Pages);
            devices = await tagged.OrderBy(d => d.AssetTag).ThenBy(d => d.Id)
                .Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        }
        catch (InvalidException e)
        {
            Error = e.Message;
            return Page();
        }

        using var generator = new QRCodeGenerator();
        Labels = [.. devices.Select(d => (d, Qr(generator, d.AssetTag!)))];
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    /// <summary>A link to another page of the same labels: the filters and ticked devices are kept.</summary>
    public string PageLink(int page) => PortalHtml.Link("/devices/labels",
        [("q", Q), ("kind", Kind), ("ownership", Ownership), ("state", State), ("class", ClassName), ("missing", Missing),
            .. Ids.Take(MaxIds).Select(id => ("id", (string?)id.ToString())), ("p", page == 1 ? null : page.ToString(CultureInfo.InvariantCulture))]);

    /// <summary>A PNG data URI: prints without JavaScript or a request per label.</summary>
    private static string Qr(QRCodeGenerator generator, string text)
    {
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(4));
    }
}
