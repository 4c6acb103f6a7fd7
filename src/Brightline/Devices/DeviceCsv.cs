using System.Globalization;
using Brightline.Data.Entities;
using CsvHelper;

namespace Brightline.Devices;

/// <summary>
/// The register as CSV: the export's columns are the import's (<see cref="DeviceImporter"/>), so an exported file edited
/// in a spreadsheet imports back. A person is written by their MIS ID (admission number or staff code), which the import
/// reads back exactly, and by name for people reading the file.
/// </summary>
public static class DeviceCsv
{
    public static readonly string[] Header =
        ["asset_tag", "serial", "kind", "model", "name", "ownership", "state", "person", "person_name", "class", "location", "device_group", "macs", "notes", "updated"];

    public static async Task WriteAsync(TextWriter writer, IEnumerable<DeviceRow> rows, IReadOnlyDictionary<Guid, string> personRefs, CancellationToken cancellationToken)
    {
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var h in Header)
        {
            csv.WriteField(h);
        }

        await csv.NextRecordAsync();
        foreach (var r in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var d = r.Device;
            string?[] fields =
            [
                d.AssetTag, d.Serial, d.Kind.Key(), d.Model, d.Name, d.Ownership.Key(), d.State.Key(),
                d.PersonId is { } p && personRefs.TryGetValue(p, out var pr) ? pr : "", r.PersonName, d.ClassName, d.Location, d.DeviceGroup, d.Macs, d.Notes,
                Kernel.UkFormat.ShortDateTime(d.UpdatedAt),
            ];
            foreach (var f in fields)
            {
                // A cell starting =, +, - or @ is text, not a formula, when the file is opened in a spreadsheet.
                csv.WriteField(Kernel.SafeCsv.Neutralised(f));
            }

            await csv.NextRecordAsync();
        }

        await csv.FlushAsync();
    }
}
