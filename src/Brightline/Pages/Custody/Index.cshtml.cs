using System.Globalization;
using Brightline.Custody;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Custody;

/// <summary>The custody register: the DSL, head, deputies, admin and computing lead see every device; other staff their own.</summary>
public sealed class IndexModel(PortalScope scope, CustodyService custody) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public bool ReadsAll { get; private set; }

    public Paged<CustodyRow> Results { get; private set; } = new([], 1, 0);

    public string PageLink(int page) => PortalHtml.Link("/custody", ("status", Status), ("q", Q), ("p", page.ToString(CultureInfo.InvariantCulture)));

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        ReadsAll = CustodyPages.ReadsAll(scope);
        Results = await custody.ListAsync(scope.RequiredSchoolId, Status, Q, ReadsAll ? null : scope.UserId, scope.UserName, PageNumber, cancellationToken);
        return Page();
    }
}
