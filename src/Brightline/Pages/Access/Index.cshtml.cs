using System.Globalization;
using Brightline.Access;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Access;

/// <summary>The access rights register (O17): who holds what, searchable, paged, exportable; each row can report access granted in error.</summary>
[Authorize(Roles = AccessRightsRegister.ReaderNames)]
public sealed class IndexModel(PortalScope scope, AccessRightsRegister register) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    /// <summary>Set after a report is recorded: the incident's ID, so the page can say where it went.</summary>
    [BindProperty(SupportsGet = true)] public Guid? Reported { get; set; }

    public Paged<AccessRightsRow> Results { get; private set; } = new([], 1, 0);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Results = await register.PageAsync(scope.RequiredSchoolId, Q, PageNumber, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    [AuditedExport("access rights register")]

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var csv = await register.CsvAsync(scope.RequiredSchoolId, Q, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", "access-rights.csv");
    }

    public string PageLink(int page) => PortalHtml.Link("/access-rights", ("q", Q), ("p", page == 1 ? null : page.ToString(CultureInfo.InvariantCulture)));

    public string CsvLink => PortalHtml.Link("/access-rights", ("handler", "csv"), ("q", Q));
}
