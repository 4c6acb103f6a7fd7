using System.CommandLine;
using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Kernel;

namespace Brightline.LostProperty;

/// <summary><c>brightline devices found list|export</c>: the lost-property list (H15) from the command line, by tab and search.</summary>
public static class LostPropertyCommands
{
    public static Command Create(CliServices cli)
    {
        var school = new Option<string?>("--school") { Description = "School id (needed when the installation has several)." };
        var tab = new Option<string?>("--tab") { Description = "found (the default: not yet handed over), held, due (for disposal) or closed." };
        var search = new Option<string?>("--search") { Description = "Description, serial, place or finder contains." };
        var list = new Command("list", "List one tab of lost property: found, place, custodian, held until, outcome.") { tab, search, school };
        list.SetAction(async (parse, cancellationToken) => await DevicesCommands.RunAsync(cli, parse.GetValue(school), async (sp, schoolId) =>
        {
            var chosen = Tab(parse.GetValue(tab));
            var service = sp.GetRequiredService<LostPropertyService>();
            var shown = 0;
            var total = 0;
            for (var page = 1; ; page++)
            {
                var result = await service.ListAsync(schoolId, chosen, parse.GetValue(search), page, cancellationToken);
                total = result.Total;
                foreach (var r in result.Items)
                {
                    shown++;
                    await Console.Out.WriteLineAsync($"{UkFormat.ShortDateTime(r.Found.FoundAt)}  {r.Device.State.Key(),-10}  {r.Device.Model}  (found at {r.Found.FoundWhere} by {r.Found.FoundBy}"
                        + (r.Found.CustodianName is { } c ? $"; held by {c}" : "") + (r.Found.HoldUntil is { } h ? $" until {UkFormat.Short(h)}" : "")
                        + (r.Found.Outcome is { } o ? $"; {o.Key()}" : "") + ")");
                }

                if (!result.HasNext || result.Items.Count == 0 || shown >= LostPropertyCsv.Cap)
                {
                    break;
                }
            }

            await Console.Out.WriteLineAsync(UkFormat.Plural(total, "device", "devices") + $" ({chosen}).");
            return 0;
        }, cancellationToken));

        var output = CsvExportOutput.Option();
        var export = new Command("export", "Export one tab of lost property as CSV (UK dates; formula-safe cells).") { tab, search, output, school };
        export.SetAction(async (parse, cancellationToken) => await DevicesCommands.RunAsync(cli, parse.GetValue(school), async (sp, schoolId) =>
        {
            var csv = await LostPropertyCsv.WriteAsync(sp.GetRequiredService<LostPropertyService>(), schoolId, Tab(parse.GetValue(tab)), parse.GetValue(search), cancellationToken);
            return await CsvExportOutput.WriteAsync(parse.GetValue(output), async writer =>
            {
                await writer.WriteAsync(csv);
                return null;
            }, cancellationToken);
        }, cancellationToken));

        return new Command("found", "Lost property: devices found on site (H15; docs/devices.md).") { list, export };
    }

    /// <summary>A tab the list does not have is a mistake said in words (exit 2), not quietly the first tab.</summary>
    private static string Tab(string? tab) => tab is null ? LostPropertyTabs.Found
        : LostPropertyTabs.All.Any(t => string.Equals(t.Key, tab, StringComparison.Ordinal)) ? tab
        : throw new InvalidException($"'{tab}' is not a lost-property tab; use one of {string.Join(", ", LostPropertyTabs.All.Select(t => t.Key))}.");
}
