using System.CommandLine;
using Brightline.Data;
using Brightline.Kernel;
using Brightline.Policies;

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
        var fullList = new Option<bool>("--full-list") { Description = "The file lists everyone of its kind: mark anyone missing from it as a leaver (you confirm the number)." };
        var confirmLeavers = new Option<int?>("--confirm-leavers") { Description = "With --full-list and no terminal: the number of leavers the check showed; any other number changes nothing." };
        var command = new Command("import", "Import pupils (with parents), staff or other adults from a CSV export.") { file, kind, school, dryRun, fullList, confirmLeavers };
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

            var full = parse.GetValue(fullList);
            var confirmed = parse.GetValue(confirmLeavers);
            if (confirmed is not null && !full)
            {
                await Console.Error.WriteLineAsync("--confirm-leavers only means something with --full-list: without it nobody is marked as a leaver.");
                return 2;
            }

            await using var scope = await cli.CreateScopeAsync(cancellationToken);
            var sp = scope.ServiceProvider;
            var schoolId = await sp.GetRequiredService<PolicyStore>().ResolveSchoolAsync(parse.GetValue(school), cancellationToken);
            var importer = sp.GetRequiredService<PeopleImporter>();
            var actor = $"cli:{Environment.UserName}";
            var dry = parse.GetValue(dryRun);

            // Issue 17: a full list that would mark leavers is checked first and the number confirmed — typed at a
            // terminal, or given as --confirm-leavers by a script — before anything changes.
            if (full && !dry && confirmed is null)
            {
                ImportReport check;
                await using (var first = File.OpenRead(path))
                {
                    check = await importer.ImportAsync(schoolId, first, importKind, new ImportOptions(DryRun: true, FullImport: true), actor, null, cancellationToken);
                }

                if (check.MarkedLeavers > 0)
                {
                    await Console.Out.WriteLineAsync(RenderReport(path, check));
                    var n = check.MarkedLeavers;
                    if (Console.IsInputRedirected)
                    {
                        await Console.Error.WriteLineAsync($"Nothing was changed. This file would mark {UkFormat.Plural(n, "person", "people")} as leavers: to apply it, run again with --confirm-leavers {n}.");
                        return 2;
                    }

                    await Console.Out.WriteAsync($"\nType {n} to mark {UkFormat.Plural(n, "person", "people")} as leavers and apply the import (anything else stops): ");
                    var answer = (await Console.In.ReadLineAsync(cancellationToken))?.Trim();
                    if (!string.Equals(answer, n.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
                    {
                        await Console.Error.WriteLineAsync("Nothing was changed.");
                        return 2;
                    }
                }

                confirmed = check.MarkedLeavers;
            }

            await using var stream = File.OpenRead(path);
            // The importer's reader closes the stream, so decide about progress output before it runs.
            var large = stream.Length > 200_000;
            var progress = new Progress<int>(n => Console.Error.Write($"\r{n} rows read…"));
            var report = await importer.ImportAsync(
                schoolId, stream, importKind, new ImportOptions(dry, full, full ? confirmed : null),
                actor, large ? progress : null, cancellationToken);
            if (large)
            {
                await Console.Error.WriteLineAsync();
            }

            await Console.Out.WriteLineAsync(RenderReport(path, report));
            return report.Errors.Count > 0 ? 1 : 0;
        });
        return command;
    }

    /// <summary>
    /// The import report for a terminal: the rows that could not be imported first (issue 17: they were lost below
    /// hundreds of "left" lines), then the changes, then the totals as the last line, where the eye lands.
    /// </summary>
    internal static string RenderReport(string path, ImportReport r)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(r.DryRun ? "DRY RUN — nothing was changed. " : "").Append(path).Append(": ").Append(r.RowsRead).Append(" rows read\n");
        if (r.Errors.Count > 0)
        {
            sb.Append("\nRows not imported:\n");
            foreach (var e in r.Errors)
            {
                sb.Append("  row ").Append(e.Row).Append(": ").Append(e.Message).Append('\n');
            }
        }

        if (r.Changes.Count > 0)
        {
            sb.Append("\nChanges:\n");
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  {"Row",5}  {"Action",-15} {"ID",-14} {"Name",-28} Detail\n");
            foreach (var c in r.Changes)
            {
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  {(c.Row == 0 ? "-" : c.Row.ToString(System.Globalization.CultureInfo.InvariantCulture)),5}  {c.Action,-15} {Trunc(c.ExternalId, 14),-14} {Trunc(c.Name, 28),-28} {c.Detail}\n");
            }
        }

        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n{(r.DryRun ? "Would be: " : "")}created {r.Created}, updated {r.Updated}, unchanged {r.Unchanged}, leavers {r.MarkedLeavers}, parents created {r.ParentsCreated}, parent links {r.LinksCreated}, bad rows {r.Errors.Count}\n");
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
