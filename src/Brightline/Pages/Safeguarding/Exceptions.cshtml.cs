using Brightline.Data.Entities;
using Brightline.Portal;
using Brightline.Safeguarding;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Safeguarding;

/// <summary>The school's own monitoring exceptions (issue 16 part 4): proposed ones waiting for review and approved ones in force.</summary>
public sealed class ExceptionsModel(AlertQueue queue, MonitoringExceptions exceptions) : PageModel
{
    public Paged<ExceptionRow> Results { get; private set; } = new([], 1, 0);

    [BindProperty(SupportsGet = true)] public string? State { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public static IReadOnlyList<MonitoringExceptionState> States { get; } = MonitoringExceptionStates.Words.All;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await queue.CanViewEverythingAsync(cancellationToken))
        {
            return Forbid();
        }

        Results = await exceptions.ListAsync(State, PageNumber, cancellationToken);
        return Page();
    }

    public string PageLink(int page) =>
        QueryString.Create(new Dictionary<string, string?> { ["state"] = State, ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToUriComponent();
}
