using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Reports;

public sealed class IndexModel(PortalScope scope) : PageModel
{
    public bool Governors => scope.HasAnyRole(PortalRoles.GovernorsReportReaders);

    public bool Packs => scope.HasAnyRole(PortalRoles.ReviewPackReaders);

    public IActionResult OnGet() => Governors || Packs ? Page() : Forbid();
}
