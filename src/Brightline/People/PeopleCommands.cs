using System.CommandLine;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Brightline.Portal;

namespace Brightline.People;

/// <summary>`brightline people import|list`.</summary>
public static class PeopleCommands
{
    public static Command Create(CliServices cli)
    {
        var command = new Command("people", "Import and list people.");
        command.Subcommands.Add(CreateImport(cli));
        command.Subcommands.Add(CreateList(cli));
        return command;
    }

    private static Command CreateImport(CliServices cli)
    {
        var file = new Argument<string>("file") { Description = "The CSV export from the MIS." };
        var kind = new Option<string>("--kind") { Description = "pupils, staff or adults", Required = true };
        var school = new Option<string?>("--school") { Description = "School id (needed when the installation has several)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would change; change nothing." };
        var partial = new Option<bool>("--partial") { Description = "The file lists only some people: do not mark the others as leavers." };
        var command = new Command("import", "Import pupils (with parents), staff or other adults from a CSV export.") { file, kind, school, dryRun, partial };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (PeopleModule.ParseKind(parse.GetValue(kind)) is not { } importKind)
            {
                await Console.Error.WriteLineAsync("--kind must be pupils, staff or adults.");
                return 2;
            }

            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"{path}: file not found");
                return 2;
            }

            await using var scope = await cli.CreateScopeAsync(cancellationToken);
            var sp = scope.ServiceProvider;
            var schoolId = await sp.GetRequiredService<PolicyStore>().ResolveSchoolAsync(parse.GetValue(school), cancellationToken);
            await using var stream = File.OpenRead(path);
            // The importer's reader closes the stream, so decide about progress output before it runs.
            var large = stream.Length > 200_000;
            var progress = new Progress<int>(n => Console.Error.Write($"\r{n} rows read…"));
            var report = await sp.GetRequiredService<PeopleImporter>().ImportAsync(
                schoolId, stream, importKind, new ImportOptions(parse.GetValue(dryRun), !parse.GetValue(partial)),
                $"cli:{Environment.UserName}", large ? progress : null, cancellationToken);
            if (large)
            {
                await Console.Error.WriteLineAsync();
            }

            await Console.Out.WriteLineAsync(RenderReport(path, report));
            return report.Errors.Count > 0 ? 1 : 0;
        });
        return command;
    }

    internal static string RenderReport(string path, ImportReport r)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(r.DryRun ? "DRY RUN — nothing was changed. " : "").Append(path).Append(": ").Append(r.RowsRead).Append(" rows read\n");
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  created {r.Created}, updated {r.Updated}, unchanged {r.Unchanged}, leavers {r.MarkedLeavers}, parents created {r.ParentsCreated}, parent links {r.LinksCreated}, bad rows {r.Errors.Count}\n");
        if (r.Changes.Count > 0)
        {
            sb.Append("\nChanges:\n");
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  {"Row",5}  {"Action",-15} {"ID",-14} {"Name",-28} Detail\n");
            foreach (var c in r.Changes)
            {
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  {(c.Row == 0 ? "-" : c.Row.ToString(System.Globalization.CultureInfo.InvariantCulture)),5}  {c.Action,-15} {Trunc(c.ExternalId, 14),-14} {Trunc(c.Name, 28),-28} {c.Detail}\n");
            }
        }

        if (r.Errors.Count > 0)
        {
            sb.Append("\nRows not imported:\n");
            foreach (var e in r.Errors)
            {
                sb.Append("  row ").Append(e.Row).Append(": ").Append(e.Message).Append('\n');
            }
        }

        return sb.ToString().TrimEnd();
    }

    private static Command CreateList(CliServices cli)
    {
        var school = new Option<string?>("--school") { Description = "School id (needed when the installation has several)." };
        var search = new Option<string?>("--search") { Description = "Part of a name, an email, or an MIS id." };
        var group = new Option<string?>("--group") { Description = "Only this policy group (e.g. ks1, staff)." };
        var leavers = new Option<bool>("--leavers") { Description = "Include people who have left." };
        var command = new Command("list", "List people with their groups and agreement status.") { school, search, group, leavers };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = await cli.CreateScopeAsync(cancellationToken);
            var sp = scope.ServiceProvider;
            var store = sp.GetRequiredService<PolicyStore>();
            var schoolId = await store.ResolveSchoolAsync(parse.GetValue(school), cancellationToken);
            var active = await store.ActiveVersionAsync(schoolId, cancellationToken);
            var db = sp.GetRequiredService<BrightlineDbContext>();
            var people = await PeopleQueries.SearchAsync(db, active.Policy, schoolId, parse.GetValue(search), parse.GetValue(group), null, parse.GetValue(leavers), cancellationToken);
            var statuses = sp.GetRequiredService<IPeopleListStatus>();
            await Console.Out.WriteLineAsync($"{"ID",-14} {"Name",-28} {"Kind",-16} {"Year/class",-12} {"Groups",-22} Agreements");
            foreach (var p in people)
            {
                var status = p.LeftOn is { } left ? $"left {SchoolClock.Uk(left)}" : await statuses.DescribeAsync(active, p, cancellationToken);
                var groups = string.Join(",", PersonGroups.For(active.Policy, p).Select(g => g.Id));
                await Console.Out.WriteLineAsync($"{Trunc(p.ExternalId, 14),-14} {Trunc(p.FullName, 28),-28} {Trunc(PeopleImporter.KindNames(p.KindMask), 16),-16} {Trunc(p.ClassName ?? p.YearGroup ?? "", 12),-12} {Trunc(groups, 22),-22} {status}");
            }

            await Console.Out.WriteLineAsync($"{people.Count} people");
            return 0;
        });
        return command;
    }

    private static string Trunc(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
