using System.CommandLine;
using Brightline.Devices;
using Brightline.Kernel;

namespace Brightline.Leavers;

/// <summary><c>brightline devices leavers list|export</c>: the leavers' equipment checklists (C19) from the command line.</summary>
public static class LeaversCommands
{
    public static Command Create(CliServices cli)
    {
        var school = new Option<string?>("--school") { Description = "School id (needed when the installation has several)." };
        var closed = new Option<bool>("--closed") { Description = "The closed checklists instead of the open ones." };
        var search = new Option<string?>("--search") { Description = "The person's name contains." };
        var list = new Command("list", "List the open (or closed) checklists: person, why, from, what is still to come back.") { closed, search, school };
        list.SetAction(async (parse, cancellationToken) => await DevicesCommands.RunAsync(cli, parse.GetValue(school), async (sp, schoolId) =>
        {
            var service = sp.GetRequiredService<LeaversService>();
            var shown = 0;
            var total = 0;
            for (var page = 1; ; page++)
            {
                var result = await service.ListAsync(schoolId, parse.GetValue(closed), parse.GetValue(search), page, cancellationToken);
                total = result.Total;
                foreach (var r in result.Items)
                {
                    shown++;
                    var c = r.Checklist;
                    await Console.Out.WriteLineAsync($"{r.PersonName}  {LeaversCsv.ReasonWords(c.Reason)} from {UkFormat.Short(c.StartsOn)}"
                        + (c.EndsOn is { } e ? $" to {UkFormat.Short(e)}" : "") + $"  {r.Open} of {r.Total} still to come back");
                }

                if (!result.HasNext || result.Items.Count == 0 || shown >= LeaversCsv.Cap)
                {
                    break;
                }
            }

            await Console.Out.WriteLineAsync(UkFormat.Plural(total, "checklist", "checklists") + (parse.GetValue(closed) ? " (closed)." : " (open)."));
            return 0;
        }, cancellationToken));

        var output = CsvExportOutput.Option();
        var export = new Command("export", "Export the open (or closed) checklists as CSV (UK dates; formula-safe cells).") { closed, search, output, school };
        export.SetAction(async (parse, cancellationToken) => await DevicesCommands.RunAsync(cli, parse.GetValue(school), async (sp, schoolId) =>
        {
            var csv = await LeaversCsv.WriteAsync(sp.GetRequiredService<LeaversService>(), schoolId, parse.GetValue(closed), parse.GetValue(search), cancellationToken);
            return await CsvExportOutput.WriteAsync(parse.GetValue(output), async writer =>
            {
                await writer.WriteAsync(csv);
                return null;
            }, cancellationToken);
        }, cancellationToken));

        return new Command("leavers", "Leavers' equipment checklists (C19; docs/devices.md).") { list, export };
    }
}
