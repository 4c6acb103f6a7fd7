using System.Globalization;
using System.Text;
using Brightline.Kernel;
using Brightline.Loans;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Loans;

/// <summary>The loan book (C15): out now with the overdue highlighted, returned today, or every loan; an adult's or a class's history; CSV export.</summary>
[Authorize(Roles = PortalRoles.LoanStaffNames)]
public sealed class IndexModel(PortalScope scope, LoanBook book, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "person")]
    public Guid? Person { get; set; }

    [BindProperty(SupportsGet = true, Name = "class")]
    public string? Class { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public Paged<LoanRow> Results { get; private set; } = new([], 1, 0);

    public LoanCounts Counts { get; private set; } = new(0, 0, 0);

    /// <summary>"Priya Patel" or "4 Ash" when the list is one borrower's history.</summary>
    public string? BorrowerHeading { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public string? EffectiveStatus => Person is not null || !string.IsNullOrWhiteSpace(Class) ? (string.IsNullOrEmpty(Status) ? LoanFilters.All : Status) : LoanFilters.Normalise(Status);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        Now = StoredTime.Now(time);
        Counts = await book.CountsAsync(school, cancellationToken);
        Results = await book.ListAsync(school, Query(), cancellationToken);
        BorrowerHeading = Person is { } person ? await book.PersonNameAsync(school, person, cancellationToken) ?? "someone not at this school" : Class?.Trim();
        Response.Headers.CacheControl = "no-store";
    }

    /// <summary>The loans the filters find, as CSV (UK times).</summary>
    [AuditedExport("loan book")]
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var csv = new StringBuilder(LoanCsvRows.Header());
        await foreach (var r in book.ExportAsync(school, Query(), cancellationToken))
        {
            csv.Append(LoanCsvRows.Line(r));
        }

        Response.Headers.CacheControl = "no-store";
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", "loan-book.csv");
    }

    public static string YesNo(bool? value) => LoanCsvRows.YesNo(value);

    public string PageLink(int page) => PortalHtml.Link("/loans", ("status", Status), ("q", Q), ("person", Person?.ToString()), ("class", Class),
        ("p", page == 1 ? null : page.ToString(CultureInfo.InvariantCulture)));

    public string CsvLink => PortalHtml.Link("/loans", ("handler", "csv"), ("status", Status), ("q", Q), ("person", Person?.ToString()), ("class", Class));

    private LoanQuery Query() => new(Status, Q, null, Person, Class, PageNumber);
}
