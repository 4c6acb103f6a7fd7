using Brightline.Portal;
using Brightline.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Reports;

/// <summary>A stored pack exactly as stored: the HTML (sandboxed, no scripts) or the PDF; each download audited.</summary>
public sealed class ReviewFileModel(PortalScope scope, ReviewPackService packs) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, string format, CancellationToken cancellationToken)
    {
        if (!scope.HasAnyRole(PortalRoles.ReviewPackReaders))
        {
            return Forbid();
        }

        var pack = await packs.FindAsync(scope.RequiredSchoolId, id, cancellationToken);
        if (pack is null || (format == "pdf" && pack.Pdf is null))
        {
            return NotFound();
        }

        await packs.RecordDownloadAsync(scope.RequiredSchoolId, id, format, scope.UserName, cancellationToken);
        var day = global::Brightline.Kernel.SchoolClock.DateOf(pack.CreatedAt);
        var name = $"filtering-monitoring-review-{day:yyyy-MM-dd}";
        if (format == "pdf")
        {
            return File(pack.Pdf!, "application/pdf", name + ".pdf");
        }

        Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'";
        return Content(pack.Html, "text/html; charset=utf-8");
    }
}
