using Brightline.Data.Entities;
using Brightline.Monitoring;
using Brightline.Safeguarding;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Safeguarding;

/// <summary>The DSL's queue of safeguarding alerts, with filters and pages.</summary>
public sealed class IndexModel(AlertQueue queue) : PageModel
{
    public AlertPage Alerts { get; private set; } = new([], 0, 1, 1, AlertQueue.PageSize);

    [BindProperty(SupportsGet = true)] public string? Severity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Category { get; set; }
    [BindProperty(SupportsGet = true)] public string? Group { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Person { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; } = MonitoringAlertStatus.Open.Key();
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public static IReadOnlyList<string> Severities { get; } = ["critical", "high", "medium", "low"];

    /// <summary>The categories offered in the filter: every one, or only those a category viewer may see (H12).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Categories { get; private set; } = MonitoringCategories.All;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await queue.CanViewAsync(cancellationToken))
        {
            Brightline.Portal.AccessRefusal.Note(HttpContext, await queue.ViewerRolesAsync(cancellationToken));
            return Forbid();
        }

        var access = await queue.AccessAsync(cancellationToken);
        Categories = access.All ? MonitoringCategories.All : MonitoringCategories.All.Where(c => access.Allows(c.Key)).ToList();
        Alerts = await queue.ListAsync(new AlertFilter(Severity, Category, Group, Person, Status, PageNumber), cancellationToken);
        return Page();
    }

    /// <summary>A monitoring viewer of every category, who may see the school's exceptions (issue 16 part 4).</summary>
    public Task<bool> SeesEverythingAsync() => queue.CanViewEverythingAsync(HttpContext.RequestAborted);

    public string Link(int page) =>
        QueryString.Create(new Dictionary<string, string?>
        {
            ["severity"] = Severity, ["category"] = Category, ["group"] = Group, ["person"] = Person?.ToString(), ["status"] = Status, ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent() is var q ? "/monitoring" + q : "/monitoring";
}
