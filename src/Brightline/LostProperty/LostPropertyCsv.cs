using System.Text;
using Brightline.Data.Entities;
using Brightline.Kernel;

namespace Brightline.LostProperty;

/// <summary>
/// The lost-property list (one tab, with its search) as CSV for the portal's export link, the API's <c>?format=csv</c>
/// and <c>brightline devices found export</c>: UK dates, names as they were signed (custodian, witness, wiper), and
/// every cell formula-safe (descriptions and places are typed by whoever logs the device).
/// </summary>
public static class LostPropertyCsv
{
    /// <summary>The most rows one export holds: years of lost property at a big school, not an unbounded read.</summary>
    public const int Cap = 10_000;

    public static readonly string[] Header =
    [
        "Description", "Kind", "Serial", "State", "Found", "Found where", "Found by", "Logged by", "Custodian", "Handed to custodian",
        "Held until", "Hold", "Outcome", "Closed", "Closed by", "Returned to", "Witnessed by", "Data wiped by", "Wipe method", "Disposal note",
    ];

    /// <summary>Reads the list a page at a time through the service's own query (the same filter as the page shows).</summary>
    public static async Task<string> WriteAsync(LostPropertyService service, string schoolId, string? tab, string? search, CancellationToken cancellationToken)
    {
        var csv = new StringBuilder(SafeCsv.Line(Header));
        var written = 0;
        for (var page = 1; written < Cap; page++)
        {
            var result = await service.ListAsync(schoolId, tab, search, page, cancellationToken);
            foreach (var row in result.Items)
            {
                csv.Append(Line(row));
                written++;
            }

            if (!result.HasNext || result.Items.Count == 0)
            {
                break;
            }
        }

        return csv.ToString();
    }

    private static string Line(FoundDeviceRow row)
    {
        var (d, f) = (row.Device, row.Found);
        return SafeCsv.Line(
            d.Model, d.Kind.Key(), d.Serial, d.State.Key().Replace('_', ' '), UkFormat.ShortDateTime(f.FoundAt), f.FoundWhere, f.FoundBy, f.LoggedBy,
            f.CustodianName, f.CustodianAt is { } c ? UkFormat.ShortDateTime(c) : "", f.HoldUntil is { } h ? UkFormat.Short(h) : "", f.HoldRule,
            f.Outcome?.Key(), f.ClosedAt is { } at ? UkFormat.ShortDateTime(at) : "", f.ClosedBy, f.ReturnedTo, f.WitnessedBy, f.WipedBy, f.WipeMethod, f.DisposalNote);
    }
}
