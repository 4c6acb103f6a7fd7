using System.CommandLine;
using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Kernel;

namespace Brightline.Network;

/// <summary>
/// <c>brightline radius devices import|list|remove</c>: the school's registered devices for MAC authentication on
/// school-devices networks (O21, C3). Each change is audited as <c>cli:&lt;user&gt;</c>.
/// </summary>
public static class DeviceCommands
{
    public static Command Create(CliServices cli)
    {
        var school = new Option<string?>("--school") { Description = "School id (needed when the installation has several)." };
        var file = new Argument<string>("file") { Description = "A CSV file with the columns mac,name,group (group: one of the policy's network.device_groups)." };
        var import = new Command("import", "Add devices from a CSV file (mac,name,group), updating the name and group of MACs already registered. A file with any bad line stores nothing.")
        {
            file, school,
        };
        import.SetAction(async (parse, cancellationToken) => await DevicesCommands.RunAsync(cli, parse.GetValue(school), async (sp, schoolId) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"The file '{path}' does not exist.");
                return 2;
            }

            await using var stream = File.OpenRead(path);
            var result = await sp.GetRequiredService<NetworkDevices>().ImportAsync(schoolId, stream, $"csv:{Path.GetFileName(path)}", $"cli:{Environment.UserName}", cancellationToken);
            if (!result.Stored)
            {
                foreach (var error in result.Errors)
                {
                    await Console.Error.WriteLineAsync($"{path}:{error}");
                }

                await Console.Error.WriteLineAsync($"Nothing was stored: {UkFormat.Plural(result.Errors.Count, "line is", "lines are")} wrong. Correct the file and import it again.");
                return 2;
            }

            await Console.Out.WriteLineAsync($"Registered devices for '{schoolId}': {result.Added} added, {result.Updated} updated.");
            return 0;
        }, cancellationToken));

        var list = new Command("list", "List the MACs of the device register: MAC, group, state, name.") { school };
        list.SetAction(async (parse, cancellationToken) => await DevicesCommands.RunAsync(cli, parse.GetValue(school), async (sp, schoolId) =>
        {
            var devices = await sp.GetRequiredService<NetworkDevices>().ListAsync(schoolId, cancellationToken);
            foreach (var d in devices)
            {
                await Console.Out.WriteLineAsync($"{d.Mac}  {d.DeviceGroup ?? "-",-16}  {d.State.Key(),-10}  {d.Name}");
            }

            await Console.Out.WriteLineAsync(UkFormat.Plural(devices.Count, "device", "devices") + ".");
            return 0;
        }, cancellationToken));

        var mac = new Argument<string>("mac") { Description = "The device's MAC address, in any usual spelling." };
        var remove = new Command("remove", "Take a MAC off its device in the register: its next MAC authentication is refused (the device and its history stay).") { mac, school };
        remove.SetAction(async (parse, cancellationToken) => await DevicesCommands.RunAsync(cli, parse.GetValue(school), async (sp, schoolId) =>
        {
            var removed = await sp.GetRequiredService<NetworkDevices>().RemoveAsync(schoolId, parse.GetValue(mac)!, $"cli:{Environment.UserName}", cancellationToken);
            await (removed ? Console.Out : Console.Error).WriteLineAsync(removed ? "Removed." : $"'{schoolId}' has no registered device with that MAC.");
            return removed ? 0 : 1;
        }, cancellationToken));

        return new Command("devices", "Registered school devices for MAC authentication (O21, C3; docs/network.md).") { import, list, remove };
    }
}
