using System.Text;
using Brightline.Data.Entities;
using Brightline.Kernel;

namespace Brightline.Leavers;

/// <summary>
/// The leavers list (open or closed, with its search) as CSV for the portal's export link, the API's
/// <c>?format=csv</c> and <c>brightline devices leavers export</c>: the person's name, why, UK dates, and how many lines
/// are still to come back; every cell formula-safe.
/// </summary>
public static class LeaversCsv
{
    /// <summary>The most rows one export holds.</summary>
    public const int Cap = 10_000;

    public static readonly string[] Header = ["Person", "Reason", "From", "Until", "Opened", "Opened by", "Items", "Still to come back", "Closed"];

    /// <summary>Reads the list a page at a time through the service's own query (the same filter as the page shows).</summary>
    public static async Task<string> WriteAsync(LeaversService service, string schoolId, bool closed, string? search, CancellationToken cancellationToken)
    {
        var csv = new StringBuilder(SafeCsv.Line(Header));
        var written = 0;
        for (var page = 1; written < Cap; page++)
        {
            var result = await service.ListAsync(schoolId, closed, search, page, cancellationToken);
            foreach (var row in result.Items)
            {
                var c = row.Checklist;
                csv.Append(SafeCsv.Line(
                    row.PersonName, ReasonWords(c.Reason), UkFormat.Short(c.StartsOn), c.EndsOn is { } end ? UkFormat.Short(end) : "",
                    UkFormat.ShortDateTime(c.OpenedAt), c.OpenedBy, UkFormat.Number(row.Total), UkFormat.Number(row.Open),
                    c.ClosedAt is { } at ? UkFormat.ShortDateTime(at) : ""));
                written++;
            }

            if (!result.HasNext || result.Items.Count == 0)
            {
                break;
            }
        }

        return csv.ToString();
    }

    public static string ReasonWords(LeaverReason reason) => reason == LeaverReason.Leaving ? "Leaving" : "Long absence";
}
