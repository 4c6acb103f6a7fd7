using System.Text;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Network;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Network;

/// <summary>The Network page (issue 13, point 6): who is on the school's network now, from RADIUS accounting, with a search and a CSV export.</summary>
[Authorize(Roles = PortalRoles.NetworkStaffNames)]
public sealed class IndexModel(PortalScope scope, NetworkSessions sessions) : PageModel
{
    /// <summary>The most rows an export holds: a large school's live sessions, not an unbounded read.</summary>
    public const int ExportCap = 20_000;

    /// <summary>Person's name, user name, MAC, address, network or VLAN.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public NetworkListPage<NetworkSession> Results { get; private set; } = new([], 0, 1, 1);

    /// <summary>Names of the people on this page the viewer may see; others show the user name they signed in with.</summary>
    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();

    public int First => Results.Total == 0 ? 0 : ((Results.Page - 1) * NetworkSessions.PageSize) + 1;

    public int Last => Math.Min(Results.Total, Results.Page * NetworkSessions.PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var people = await NetworkNames.MatchingAsync(scope, Q, cancellationToken);
        Results = await sessions.LiveAsync(school, Q, PortalHtml.ClampPage(PageNumber), people, cancellationToken);
        Names = await NetworkNames.ForAsync(scope, Results.Rows.Select(r => r.PersonId), cancellationToken);
        Response.Headers.CacheControl = "no-store";
    }

    /// <summary>The live sessions the search finds, as CSV (UK times).</summary>
    [AuditedExport("network sessions")]
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var people = await NetworkNames.MatchingAsync(scope, Q, cancellationToken);
        var csv = new StringBuilder(SafeCsv.Line("Person", "User name", "MAC", "Address", "Network", "VLAN", "Since", "Last report"));
        for (var page = 1; page <= ExportCap / NetworkSessions.PageSize; page++)
        {
            var batch = await sessions.LiveAsync(school, Q, page, people, cancellationToken);
            var names = await NetworkNames.ForAsync(scope, batch.Rows.Select(r => r.PersonId), cancellationToken);
            foreach (var s in batch.Rows)
            {
                csv.Append(SafeCsv.Line(s.PersonId is { } id && names.TryGetValue(id, out var name) ? name : "", s.UserName, s.Mac, s.Address, s.Network, s.Vlan,
                    UkFormat.ShortDateTime(s.StartedAt), UkFormat.ShortDateTime(s.UpdatedAt)));
            }

            if (page >= batch.Pages)
            {
                break;
            }
        }

        Response.Headers.CacheControl = "no-store";
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", "network-sessions.csv");
    }

    public string PageLink(int page) => PortalHtml.Link("/network", ("q", Q), ("p", page == 1 ? null : page.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public string CsvLink => PortalHtml.Link("/network", ("handler", "csv"), ("q", Q));
}
