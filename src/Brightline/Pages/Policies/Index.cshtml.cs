using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Policies;

/// <summary>The written policy, rendered from the same file that drives everything else.</summary>
public sealed class IndexModel(PortalScope scope, PolicyStore policies, PdfPrinter printer) : PageModel
{
    public SchoolPolicy? Policy { get; private set; }

    public string Fragment { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Policy = await policies.ActiveAsync(scope.RequiredSchoolId, cancellationToken);
        Fragment = PolicyRenderer.PolicyFragment(Policy);
    }

    /// <summary>
    /// Issue 17 (export): the written policy printed to PDF from the same complete document the policy renders for print
    /// (contents, sections, rules, agreements). Without Chromium, that HTML.
    /// </summary>
    [AuditedExport("written policy")]
    public async Task<IActionResult> OnGetPdfAsync(CancellationToken cancellationToken)
    {
        var policy = await policies.ActiveAsync(scope.RequiredSchoolId, cancellationToken);
        var html = PolicyRenderer.PolicyDocument(policy);
        var name = "online-safety-policy";
        return await printer.PrintAsync(html, cancellationToken) is { } pdf
            ? File(pdf, "application/pdf", name + ".pdf")
            : File(System.Text.Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8", name + ".html");
    }
}
