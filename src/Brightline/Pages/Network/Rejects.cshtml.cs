using System.Text;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Network;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Network;

/// <summary>The network sign-ins Brightline refused (issue 13, point 6), newest first, with the reason in words, a search and a CSV export.</summary>
[Authorize(Roles = PortalRoles.NetworkStaffNames)]
public sealed class RejectsModel(PortalScope scope, NetworkRejects rejects) : PageModel
{
    /// <summary>Person's name, user name, MAC, network or reason.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public NetworkListPage<NetworkReject> Results { get; private set; } = new([], 0, 1, 1);

    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();

    public int First => Results.Total == 0 ? 0 : ((Results.Page - 1) * NetworkRejects.PageSize) + 1;

    public int Last => Math.Min(Results.Total, Results.Page * NetworkRejects.PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var people = await NetworkNames.MatchingAsync(scope, Q, cancellationToken);
        Results = await rejects.RecentAsync(school, Q, PortalHtml.ClampPage(PageNumber), people, cancellationToken);
        Names = await NetworkNames.ForAsync(scope, Results.Rows.Select(r => r.PersonId), cancellationToken);
        Response.Headers.CacheControl = "no-store";
    }

    /// <summary>The refused sign-ins the search finds, as CSV (at most what is kept per school).</summary>
    [AuditedExport("refused network sign-ins")]
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var people = await NetworkNames.MatchingAsync(scope, Q, cancellationToken);
        var csv = new StringBuilder(SafeCsv.Line("When", "Person", "User name", "MAC", "Network", "Reason", "Reason code"));
        // Bounded: a little over what is kept per school, whatever the count says.
        for (var page = 1; page <= (NetworkRejects.KeptPerSchool / NetworkRejects.PageSize) + 2; page++)
        {
            var batch = await rejects.RecentAsync(school, Q, page, people, cancellationToken);
            var names = await NetworkNames.ForAsync(scope, batch.Rows.Select(r => r.PersonId), cancellationToken);
            foreach (var r in batch.Rows)
            {
                csv.Append(SafeCsv.Line(UkFormat.ShortDateTime(r.At), r.PersonId is { } id && names.TryGetValue(id, out var name) ? name : "",
                    r.UserName, r.Mac, r.Network, r.Message, r.Code));
            }

            if (page >= batch.Pages)
            {
                break;
            }
        }

        Response.Headers.CacheControl = "no-store";
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", "network-refused-sign-ins.csv");
    }

    public string PageLink(int page) => PortalHtml.Link("/network/rejects", ("q", Q), ("p", page == 1 ? null : page.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public string CsvLink => PortalHtml.Link("/network/rejects", ("handler", "csv"), ("q", Q));
}
