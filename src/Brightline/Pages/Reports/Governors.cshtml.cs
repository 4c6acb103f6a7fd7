using System.Globalization;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;
using Brightline.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Reports;

/// <summary>The termly governors' report: pick a term or dates; the same HTML is shown and printed to PDF.</summary>
public sealed class GovernorsModel(PortalScope scope, GovernorsReport report, PolicyStore policies, PdfPrinter printer, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "term")]
    public string? Term { get; set; }

    [BindProperty(SupportsGet = true, Name = "from")]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public DateOnly? To { get; set; }

    public IReadOnlyList<ReportPeriod> Terms { get; private set; } = [];

    public ReportPeriod? Period { get; private set; }

    public string? Title { get; private set; }

    public string? Body { get; private set; }

    public string? Error { get; private set; }

    public string PdfLink => PortalHtml.Link("/reports/governors", ("handler", "Pdf"), ("term", Term),
        ("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await BuildAsync(cancellationToken) is { } result)
        {
            return result;
        }

        if (Error is null)
        {
            var html = await report.RenderAsync(scope.RequiredSchoolId, Period!, cancellationToken);
            Title = html.Title;
            Body = BodyOf(html.Html);
        }

        return Page();
    }

    [AuditedExport("governors' report")]

    public async Task<IActionResult> OnGetPdfAsync(CancellationToken cancellationToken)
    {
        if (await BuildAsync(cancellationToken) is { } result)
        {
            return result;
        }

        if (Error is not null)
        {
            return Page();
        }

        var (_, html) = await report.RenderAsync(scope.RequiredSchoolId, Period!, cancellationToken);
        var name = $"governors-report-{Period!.Start:yyyy-MM-dd}-to-{Period.End:yyyy-MM-dd}";
        return await printer.PrintAsync(html, cancellationToken) is { } pdf
            ? File(pdf, "application/pdf", name + ".pdf")
            : File(System.Text.Encoding.UTF8.GetBytes(html), "text/html", name + ".html");
    }

    private async Task<IActionResult?> BuildAsync(CancellationToken cancellationToken)
    {
        if (!scope.HasAnyRole(PortalRoles.GovernorsReportReaders))
        {
            return Forbid();
        }

        var policy = await policies.ActiveAsync(scope.RequiredSchoolId, cancellationToken);
        var today = SchoolClock.Today(time);
        Terms = ReportPeriods.Terms(policy, today);
        try
        {
            Period = ReportPeriods.Resolve(policy, today, Term, From, To);
        }
        catch (DomainException e)
        {
            Error = e.Message;
        }

        return null;
    }

    /// <summary>The document's body, to show inside the portal's layout (the style block is the PDF's, not needed here).</summary>
    private static string BodyOf(string html)
    {
        var start = html.IndexOf("<body>", StringComparison.Ordinal) + "<body>".Length;
        var end = html.LastIndexOf("</body>", StringComparison.Ordinal);
        return html[start..end];
    }
}
