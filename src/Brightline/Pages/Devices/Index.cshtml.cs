using System.Globalization;
using Brightline.Data;
using Brightline.Devices;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Devices;

/// <summary>The device register (issue 14, point 1): search, filters, server-side paging and a CSV export of the filtered list.</summary>
[Authorize(Roles = PortalRoles.DeviceKeeperNames)]
public sealed class IndexModel(PortalScope scope, PolicyStore policies, DeviceQueries queries, BrightlineDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Ownership { get; set; }
    [BindProperty(SupportsGet = true)] public string? State { get; set; }
    [BindProperty(SupportsGet = true, Name = "class")] public string? ClassName { get; set; }
    [BindProperty(SupportsGet = true)] public string? Missing { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public Paged<DeviceRow> Results { get; private set; } = new([], 1, 0);
    public DevicesPolicy Policy { get; private set; } = new();
    public IReadOnlyList<string> Classes { get; private set; } = [];
    public string? Error { get; private set; }

    public DeviceFilter Filter => new(Q, Kind, Ownership, State, ClassName, Missing);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        Policy = (await policies.ActiveAsync(school, cancellationToken)).Devices;
        Classes = await queries.ClassesAsync(school, cancellationToken);
        try
        {
            Results = await queries.PageAsync(school, Policy, Filter, PortalHtml.ClampPage(PageNumber), cancellationToken);
        }
        catch (InvalidException e)
        {
            Error = e.Message;
        }

        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    /// <summary>The filtered register as CSV, in the columns the import reads back.</summary>
    [AuditedExport("device register")]
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var policy = (await policies.ActiveAsync(school, cancellationToken)).Devices;
        var devices = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(queries.Filtered(school, policy, Filter), cancellationToken);
        var rows = await queries.WithNamesAsync(school, devices, cancellationToken);
        var refs = await DevicesCommands.PersonRefsAsync(db, school, rows, cancellationToken);
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        await DeviceCsv.WriteAsync(writer, rows, refs, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return File(System.Text.Encoding.UTF8.GetBytes(writer.ToString()), "text/csv; charset=utf-8", "devices.csv");
    }

    private (string, string?)[] Query => [("q", Q), ("kind", Kind), ("ownership", Ownership), ("state", State), ("class", ClassName), ("missing", Missing)];

    public string PageLink(int page) => PortalHtml.Link("/devices", [.. Query, ("p", page == 1 ? null : page.ToString(CultureInfo.InvariantCulture))]);

    public string CsvLink => PortalHtml.Link("/devices", [("handler", "csv"), .. Query]);

    public string LabelsLink => PortalHtml.Link("/devices/labels", Query);
}
