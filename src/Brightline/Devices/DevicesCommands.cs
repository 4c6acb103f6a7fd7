using System.CommandLine;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Devices;

/// <summary><c>brightline devices import|list|export</c>: the device register from the command line (issue 14, point 1).</summary>
public static class DevicesCommands
{
    public static Command Create(CliServices cli)
    {
        var school = new Option<string?>("--school") { Description = "School id (needed when the installation has several)." };
        var file = new Argument<string>("file") { Description = "A CSV file: kind, model and name at least; asset_tag, serial, ownership, state, person, class, location, device_group, macs, notes as wanted (docs/devices.md)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the file and show what would change; change nothing." };
        var import = new Command("import", "Add and update devices from a CSV file. A file with any bad row stores nothing and names every bad row and column.") { file, dryRun, school };
        import.SetAction(async (parse, cancellationToken) => await RunAsync(cli, parse.GetValue(school), async (sp, schoolId) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"The file '{path}' does not exist.");
                return 2;
            }

            await using var stream = File.OpenRead(path);
            var report = await sp.GetRequiredService<DeviceImporter>().ImportAsync(schoolId, stream, parse.GetValue(dryRun), $"cli:{Environment.UserName}", cancellationToken);
            foreach (var error in report.Errors)
            {
                await Console.Error.WriteLineAsync($"{path}: {error}");
            }

            var summary = $"{report.Added} to add, {report.Updated} to update, {report.Unchanged} unchanged";
            if (report.Errors.Count > 0)
            {
                await Console.Error.WriteLineAsync($"Nothing was stored: {UkFormat.Plural(report.Errors.Count, "problem", "problems")}. Correct the file and import it again.");
                return 1;
            }

            await Console.Out.WriteLineAsync(report.DryRun ? $"Dry run for '{schoolId}': {summary}. Nothing was stored." : $"Imported into '{schoolId}': {report.Added} added, {report.Updated} updated, {report.Unchanged} unchanged.");
            return 0;
        }, cancellationToken));

        var search = new Option<string?>("--search") { Description = "Asset tag, serial, name, model, MAC or person's name contains." };
        var state = new Option<string?>("--state") { Description = "in_use, on_loan, in_repair, lost, stolen, in_custody, found, disposed or withdrawn." };
        var kind = new Option<string?>("--kind") { Description = "phone, laptop, chromebook, tablet …" };
        var list = new Command("list", "List the register: asset tag, kind, state, name, assigned to.") { search, state, kind, school };
        list.SetAction(async (parse, cancellationToken) => await RunAsync(cli, parse.GetValue(school), async (sp, schoolId) =>
        {
            var rows = await ReadAsync(sp, schoolId, new DeviceFilter(parse.GetValue(search), parse.GetValue(kind), State: parse.GetValue(state)), cancellationToken);
            foreach (var r in rows)
            {
                await Console.Out.WriteLineAsync($"{r.Device.AssetTag ?? "-",-12}  {r.Device.Kind.Key(),-16}  {r.Device.State.Key(),-10}  {r.Device.Name}{(r.PersonName is null ? "" : $"  ({r.PersonName})")}");
            }

            await Console.Out.WriteLineAsync(UkFormat.Plural(rows.Count, "device", "devices") + ".");
            return 0;
        }, cancellationToken));

        var output = CsvExportOutput.Option();
        var export = new Command("export", "Export the register (or the filtered part of it) as CSV, in the columns the import reads.") { search, state, kind, output, school };
        export.SetAction(async (parse, cancellationToken) => await RunAsync(cli, parse.GetValue(school), async (sp, schoolId) =>
        {
            var rows = await ReadAsync(sp, schoolId, new DeviceFilter(parse.GetValue(search), parse.GetValue(kind), State: parse.GetValue(state)), cancellationToken);
            var refs = await PersonRefsAsync(sp.GetRequiredService<BrightlineDbContext>(), schoolId, rows, cancellationToken);
            return await CsvExportOutput.WriteAsync(parse.GetValue(output), async writer =>
            {
                await DeviceCsv.WriteAsync(writer, rows, refs, cancellationToken);
                return UkFormat.Plural(rows.Count, "device", "devices");
            }, cancellationToken);
        }, cancellationToken));

        // Lost property (H15), leavers (C19) and requests add their own `devices` subcommands from their modules
        // (BrightlineCli merges commands of one name), so the register does not depend on the features built on it.
        return new Command("devices", "The device register (issue 14; docs/devices.md).") { import, list, export };
    }

    private static async Task<List<DeviceRow>> ReadAsync(IServiceProvider sp, string schoolId, DeviceFilter filter, CancellationToken cancellationToken)
    {
        var policy = await sp.GetRequiredService<PolicyStore>().ActiveAsync(schoolId, cancellationToken);
        var queries = sp.GetRequiredService<DeviceQueries>();
        var devices = await queries.Filtered(schoolId, policy.Devices, filter).ToListAsync(cancellationToken);
        return await queries.WithNamesAsync(schoolId, devices, cancellationToken);
    }

    /// <summary>The MIS ID of each assigned person, which the import reads back exactly.</summary>
    internal static async Task<Dictionary<Guid, string>> PersonRefsAsync(BrightlineDbContext db, string schoolId, IEnumerable<DeviceRow> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Where(r => r.Device.PersonId is not null).Select(r => r.Device.PersonId!.Value).Distinct().ToList();
        return ids.Count == 0 ? [] : await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.ExternalId, cancellationToken);
    }

    /// <summary>Runs a verb for the school named (or the only one) in its own scope; a domain error is printed and exits 2. `radius devices` uses it too.</summary>
    internal static async Task<int> RunAsync(CliServices cli, string? school, Func<IServiceProvider, string, Task<int>> action, CancellationToken cancellationToken)
    {
        await using var scope = await cli.CreateScopeAsync(cancellationToken);
        var sp = scope.ServiceProvider;
        try
        {
            var schoolId = await sp.GetRequiredService<PolicyStore>().ResolveSchoolAsync(school, cancellationToken);
            return await action(sp, schoolId);
        }
        catch (DomainException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }
}
