using System.Globalization;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Incidents;

/// <summary>The registers: every incident this user may read (their registers, and what they reported), filtered and paged.</summary>
public sealed class IndexModel(PortalScope scope, IncidentService incidents, TimeProvider time) : PageModel
{
    public IncidentListPage List { get; private set; } = new([], 0, 1, 1);

    public IReadOnlyList<IncidentKindSettings> Kinds { get; private set; } = [];

    public IReadOnlyList<IncidentKindSettings> Recordable { get; private set; } = [];

    /// <summary>The registers this user reads in full (one link each).</summary>
    public IReadOnlyList<IncidentKindSettings> Readable { get; private set; } = [];

    public IReadOnlyList<Incident> DecisionsDue { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; } = "active";
    [BindProperty(SupportsGet = true)] public Guid? Person { get; set; }
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        var school = scope.RequiredSchoolId;
        var actor = IncidentActor.From(scope);
        var settings = await incidents.SettingsAsync(school, cancellationToken);
        Kinds = settings.Kinds;
        Recordable = Kinds.Where(k => k.MayRecord(actor.Roles)).ToList();
        Readable = Kinds.Where(k => k.MayRead(actor.Roles)).ToList();
        List = await incidents.ListAsync(school, new IncidentFilter(Kind, Status, Person, From, To, PageNumber, Name), actor, cancellationToken);
        DecisionsDue = await incidents.DecisionsDueAsync(school, actor, cancellationToken);
        Now = time.GetUtcNow();
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    /// <summary>The filtered list as CSV: every row this user may see, not just this page (F4's attachment columns included).</summary>
    [AuditedExport("incidents list")]
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        var school = scope.RequiredSchoolId;
        Kinds = (await incidents.SettingsAsync(school, cancellationToken)).Kinds;
        var rows = await incidents.ExportAsync(school, new IncidentFilter(Kind, Status, Person, From, To, 1, Name), IncidentActor.From(scope), IncidentCsv.MaxRows, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return File(System.Text.Encoding.UTF8.GetBytes(IncidentCsv.Write(rows, Label)), "text/csv; charset=utf-8", "incidents.csv");
    }

    public string CsvLink => Link(1).Replace("page=1", "handler=csv", StringComparison.Ordinal);

    public string Label(string kind) => Kinds.FirstOrDefault(k => string.Equals(k.Key, kind, StringComparison.Ordinal))?.Label ?? IncidentKinds.Describe(kind);

    public string Link(int page) =>
        QueryString.Create(new Dictionary<string, string?>
        {
            ["kind"] = Kind, ["status"] = Status, ["person"] = Person?.ToString(), ["name"] = Name,
            ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["page"] = page.ToString(CultureInfo.InvariantCulture),
        }.Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent() is var q ? "/incidents" + q : "/incidents";
}
