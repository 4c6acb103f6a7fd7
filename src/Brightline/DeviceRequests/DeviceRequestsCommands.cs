using System.CommandLine;
using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Kernel;

namespace Brightline.DeviceRequests;

/// <summary><c>brightline devices requests list|export [--state …] [--school …]</c>: the school's device requests from the command line.</summary>
public static class DeviceRequestsCommands
{
    public static Command Create(CliServices cli)
    {
        var school = new Option<string?>("--school") { Description = "School id (needed when the installation has several)." };
        var state = new Option<string?>("--state") { Description = "pending, approved, refused, withdrawn or expired." };
        var list = new Command("list", "List the school's device requests, newest first: asked, whose, device, state, until.") { state, school };
        list.SetAction(async (parse, cancellationToken) => await DevicesCommands.RunAsync(cli, parse.GetValue(school), async (sp, schoolId) =>
        {
            var count = 0;
            await foreach (var row in sp.GetRequiredService<DeviceRequestService>().ExportAsync(schoolId, State(parse.GetValue(state)), cancellationToken))
            {
                count++;
                var r = row.Request;
                var until = r.State == DeviceRequestState.Approved && r.ExpiresAt is { } e ? $" until {UkFormat.Short(DateOnly.FromDateTime(e.UtcDateTime))}" : "";
                await Console.Out.WriteLineAsync($"{UkFormat.ShortDateTime(r.CreatedAt),-16}  {DeviceRequestText.State(r.State) + until,-24}  {row.PersonName}: {r.Description} ({DeviceRequestText.Kind(r.Kind)})");
            }

            await Console.Out.WriteLineAsync(UkFormat.Plural(count, "request", "requests") + ".");
            return 0;
        }, cancellationToken));

        var output = CsvExportOutput.Option();
        var export = new Command("export", "Export the school's device requests as CSV: the portal's columns, UK dates, names not IDs.") { state, output, school };
        export.SetAction(async (parse, cancellationToken) => await DevicesCommands.RunAsync(cli, parse.GetValue(school), (sp, schoolId) =>
            CsvExportOutput.WriteAsync(parse.GetValue(output), async writer => UkFormat.Plural(
                await CsvExportOutput.WriteRowsAsync(writer, DeviceRequestCsv.Header(), sp.GetRequiredService<DeviceRequestService>().ExportAsync(schoolId, State(parse.GetValue(state)), cancellationToken),
                    DeviceRequestCsv.Line, cancellationToken), "request", "requests"), cancellationToken), cancellationToken));

        // Merged under the register's `devices` verb by the CLI (BrightlineCli): `brightline devices requests …`.
        return new Command("devices", "The device register (issue 14; docs/devices.md).") { new Command("requests", "Personal-device and removable-media requests (docs/devices.md).") { list, export } };
    }

    /// <summary>The state asked for, or null for every state; a word that is not a state is refused by name (exit 2).</summary>
    private static DeviceRequestState? State(string? word) =>
        string.IsNullOrWhiteSpace(word) ? null
        : DeviceRequestStates.Words.TryParse(word.Trim().ToLowerInvariant(), out var s) ? s
        : throw new InvalidException($"'{word}' is not a request state; use pending, approved, refused, withdrawn or expired.");
}
