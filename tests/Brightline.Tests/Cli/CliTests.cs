using System.Diagnostics;
using Brightline.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Brightline.Tests.Cli;

/// <summary>
/// The `brightline` verbs as a user runs them: the real executable in its own process, a real SQLite file,
/// checking exit codes and what is printed.
/// </summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("brightline-cli-").FullName;

    /// <summary>Settings a test adds to the verb's environment (Brightline__…), as a school sets them.</summary>
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    private string Database => Path.Combine(_dir, "cli.db");

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // No terminal: a verb that would ask a question (people import --full-list) must say how to answer without one.
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "brightline.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["Brightline__Database__Provider"] = "sqlite";
        psi.Environment["Brightline__Database__ConnectionString"] = $"Data Source={Database}";
        psi.Environment["Brightline__Email__SmtpHost"] = "";
        foreach (var (key, value) in _environment)
        {
            psi.Environment[key] = value;
        }
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task PolicyCheck_BadFile_ReportsEveryErrorWithPositionAndExits1()
    {
        var file = Write("bad.yaml", """
            brightline: 1
            school:
              id: x
              nmae: X
              calendar: { academic_year_start: "09-01" }
            policy: { title: T, version: "1", owner: head, approver: Governors, next_review: 2026-02-30 }
            rules: []
            groups:
              - { id: ks1, name: KS1, kind: pupill }
            """);

        var (exit, stdout, stderr) = await RunAsync("policy", "check", file);

        exit.ShouldBe(1, stdout + stderr);
        stderr.ShouldContain($"{file}:4:3: unknown key 'nmae' in school; did you mean 'name'?");
        stderr.ShouldContain($"{file}:6:");
        stderr.ShouldContain($"{file}:9:");
        stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task PolicyCheck_SeedPolicies_AllPass()
    {
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Root, "policies"), "*.yaml");
        var (exit, stdout, stderr) = await RunAsync(["policy", "check", .. files]);
        exit.ShouldBe(0, stderr);
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("ok", StringComparison.Ordinal)).ShouldBe(files.Length);
        // C22: St Clement's review date (February 2026) has passed — a warning with its position, never a failure.
        var stClements = files.Single(f => f.EndsWith("st-clements.yaml", StringComparison.Ordinal));
        var line = File.ReadAllLines(stClements).Select((l, i) => (l, i)).First(x => x.l.TrimStart().StartsWith("next_review:", StringComparison.Ordinal)).i + 1;
        stderr.ShouldContain($"{stClements}:{line}:16: warning: the policy's review was due on 1 February 2026 and has not been recorded");
    }

    [Fact]
    public async Task PolicyCheckAndLoad_SameBadFile_PrintTheSameErrors()
    {
        // Sections `policy check` passed (and the portal read with silent defaults) before they were typed (issue 11).
        var example = File.ReadAllText(RepoPaths.Policy("example.yaml")).TrimEnd() + "\n\n";
        string[] files =
        [
            Write("monitoring.yaml", example + "monitoring:\n  retention_days: forty-five\n  digest: { day: fryday }\n"),
            Write("incidents.yaml", example + "incidents:\n  kinds:\n    security: { notify: [head, sbm], colour: red }\n"),
            // The example has its own devices: section (issue 14); the typo replaces it rather than repeating the key.
            Write("devices.yaml", example[..example.IndexOf("\ndevices:", StringComparison.Ordinal)] + "\n\ndevices:\n  loans: { day_ends: \"15:30\" }\n"),
        ];

        var check = await RunAsync(["policy", "check", .. files]);
        check.Exit.ShouldBe(1, check.Out + check.Err);
        foreach (var file in files)
        {
            var load = await RunAsync("policy", "load", file);
            load.Exit.ShouldBe(1, load.Out + load.Err);
            load.Err.ShouldContain("nothing was stored");
            var fromLoad = PositionedLines(load.Err, file);
            fromLoad.ShouldNotBeEmpty(file);
            fromLoad.ShouldBe(PositionedLines(check.Err, file), file);
        }

        check.Err.ShouldContain("did you mean 'friday'?");
        check.Err.ShouldContain("'retention_days' must be a whole number");
        check.Err.ShouldContain("unknown key 'day_ends' in devices.loans; did you mean 'day_end'?");

        static List<string> PositionedLines(string output, string file) =>
            [.. output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith(file + ":", StringComparison.Ordinal) && char.IsAsciiDigit(l[file.Length + 1]))];
    }

    [Fact]
    public async Task Verbs_LoadImportAccessAudit_WorkTogetherAndAuditCatchesTampering()
    {
        var pupils = Write("pupils.csv", """
            Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
            Z001,Ada,Lovelace,Year 3,3 Oak,01/09/2024,Anne Lovelace,anne.lovelace@parents.test,Mother
            Z002,,Nobody,Year 3,3 Oak,01/09/2024,,,
            """);

        var noSchool = await RunAsync("people", "import", pupils, "--kind", "pupils");
        noSchool.Exit.ShouldBe(2);
        noSchool.Err.ShouldContain("load a policy first");
        noSchool.Err.ShouldNotContain("   at ");

        (await RunAsync("policy", "load", RepoPaths.Policy("example.yaml"))).Exit.ShouldBe(0);

        var dryRun = await RunAsync("people", "import", pupils, "--kind", "pupils", "--dry-run");
        dryRun.Exit.ShouldBe(1, "a bad row makes the exit code 1");
        dryRun.Out.ShouldContain("row 3: missing name");
        dryRun.Out.ShouldContain("DRY RUN");
        (await RunAsync("access", "Ada Lovelace")).Exit.ShouldBe(1, "nobody was imported by the dry run");

        (await RunAsync("people", "import", pupils, "--kind", "pupils")).Exit.ShouldBe(1);
        var access = await RunAsync("access", "Ada Lovelace");
        access.Exit.ShouldBe(0, access.Err);
        access.Out.ShouldContain("Internet  NO");
        access.Out.ShouldContain("waiting for the pupil (Ada Lovelace) and a parent to sign");

        var intact = await RunAsync("audit", "verify");
        intact.Exit.ShouldBe(0, intact.Err);
        intact.Out.ShouldContain("Audit log intact");

        await using (var connection = new SqliteConnection($"Data Source={Database}"))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "UPDATE audit_log SET \"Detail\" = 'nothing happened' WHERE \"Id\" = 1";
            (await cmd.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        SqliteConnection.ClearAllPools();
        var broken = await RunAsync("audit", "verify");
        broken.Exit.ShouldBe(1);
        broken.Err.ShouldContain("entry 1: its contents were altered");
    }

    /// <summary>
    /// Issue 17, defect 1: nobody becomes a leaver without --full-list, and then only with the number confirmed; the
    /// rows that could not be imported come before the changes, and the totals are the last line.
    /// </summary>
    [Fact]
    public async Task PeopleImport_LeaversOnlyWithFullListAndTheConfirmedNumber_BadRowsFirst()
    {
        (await RunAsync("policy", "load", RepoPaths.Policy("example.yaml"))).Exit.ShouldBe(0);
        var everyone = Write("everyone.csv", """
            Admission No,Legal Forename,Legal Surname,Year Group,Reg Group
            Z001,Ada,Lovelace,Year 3,3 Oak
            Z002,Alan,Turing,Year 3,3 Oak
            Z003,Grace,Hopper,Year 4,4 Ash
            """);
        var some = Write("some.csv", """
            Admission No,Legal Forename,Legal Surname,Year Group,Reg Group
            Z001,Ada,Lovelace,Year 3,3 Oak
            Z009,,Nobody,Year 3,3 Oak
            """);
        (await RunAsync("people", "import", everyone, "--kind", "pupils")).Exit.ShouldBe(0);

        var partial = await RunAsync("people", "import", some, "--kind", "pupils");
        partial.Exit.ShouldBe(1, "a bad row");
        partial.Out.ShouldContain("leavers 0", customMessage: "without --full-list nobody is a leaver");
        partial.Out.TrimEnd().Split('\n')[^1].ShouldStartWith("created 0, updated 0, unchanged 1, leavers 0");

        var unconfirmed = await RunAsync("people", "import", some, "--kind", "pupils", "--full-list");
        unconfirmed.Exit.ShouldBe(2);
        unconfirmed.Err.ShouldContain("Nothing was changed. This file would mark 2 people as leavers: to apply it, run again with --confirm-leavers 2.");
        unconfirmed.Out.ShouldContain("DRY RUN");
        unconfirmed.Out.IndexOf("row 3: missing name", StringComparison.Ordinal).ShouldBeInRange(0, unconfirmed.Out.IndexOf("Changes:", StringComparison.Ordinal));

        var wrong = await RunAsync("people", "import", some, "--kind", "pupils", "--full-list", "--confirm-leavers", "5");
        wrong.Exit.ShouldBe(2);
        wrong.Err.ShouldContain("would mark 2 people as leavers, but 5 were confirmed. Nothing was changed.");

        var list = await RunAsync("people", "list");
        list.Out.ShouldContain("Alan Turing", customMessage: "still on roll after both refusals");

        var confirmed = await RunAsync("people", "import", some, "--kind", "pupils", "--full-list", "--confirm-leavers", "2");
        confirmed.Exit.ShouldBe(1, "the bad row is still reported");
        confirmed.Out.ShouldContain("leavers 2");
        (await RunAsync("people", "list")).Out.ShouldNotContain("Alan Turing");
    }

    [Fact]
    public async Task RadiusConfig_WritesFreeRadiusConfigurationFromThePolicy_SecretsOnlyInPrivateFiles()
    {
        (await RunAsync("policy", "load", RepoPaths.Policy("example.yaml"))).Exit.ShouldBe(0);
        var output = Path.Combine(_dir, "radius");

        // Without the machine key the verb says which setting to set, and suggests a key.
        var missing = await RunAsync("radius", "config", "--out", output);
        missing.Exit.ShouldBe(2);
        missing.Err.ShouldContain("Set Brightline:Radius:MachineKeys:example-primary");

        const string key = "rad_cli-test-machine-key-0123456789";
        _environment["Brightline__Radius__MachineKeys__example-primary"] = key;
        _environment["Brightline__Radius__ClientSecrets__wifi-controller"] = "controller-secret";
        var noSecret = await RunAsync("radius", "config", "--out", output);
        noSecret.Exit.ShouldBe(2);
        noSecret.Err.ShouldContain("RADIUS client 'core-switch' names the secret setting 'core-switch'");

        _environment["Brightline__Radius__ClientSecrets__core-switch"] = "switch-secret";
        var written = await RunAsync("radius", "config", "--out", output, "--url", "https://brightline.school.test/", "--listen", "127.0.0.1", "--port", "18120");
        written.Exit.ShouldBe(0, written.Err);
        written.Out.ShouldContain("Wrote FreeRADIUS's configuration for 'example-primary'");
        written.Out.ShouldNotContain(key);
        (await File.ReadAllTextAsync(Path.Combine(output, "brightline-secrets.conf"))).ShouldContain($"brightline_machine_key = \"{key}\"");
        var clients = await File.ReadAllTextAsync(Path.Combine(output, "clients.conf"));
        clients.ShouldContain("client wifi-controller {");
        clients.ShouldContain("ipaddr = 10.0.1.0/24");
        clients.ShouldContain("secret = \"switch-secret\"");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(Path.Combine(output, "clients.conf")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.GetUnixFileMode(Path.Combine(output, "brightline-secrets.conf")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        (await File.ReadAllTextAsync(Path.Combine(output, "mods-enabled", "rest"))).ShouldContain("connect_uri = \"https://brightline.school.test\"");
        (await File.ReadAllTextAsync(Path.Combine(output, "sites-enabled", "brightline"))).ShouldContain("port = 18120");
        File.Exists(Path.Combine(output, "mods-enabled", "eap")).ShouldBeFalse("no certificate was given");
    }

    /// <summary>
    /// C15 and issue 14 point 2 from the command line: `brightline loans list|export [--overdue]` and `brightline devices
    /// requests list|export [--state]` (merged under the register's `devices` verb), UK times, names, the portal's CSV columns,
    /// and a state that is not one refused by name (exit 2).
    /// </summary>
    [Fact]
    public async Task LoansAndDeviceRequests_ListAndExport_UkTimesNamesCsv_BadStateRefused()
    {
        (await RunAsync("policy", "load", RepoPaths.Policy("example.yaml"))).Exit.ShouldBe(0);
        var import = await RunAsync("devices", "import", Write("devices.csv", "kind,model,name,asset_tag\ntablet,Apple iPad,Suite iPad 1,LOAN-001\n"));
        import.Exit.ShouldBe(0, import.Err);

        // A loan to 3 Oak that was due back at 15:15 on 25/11/2026 and is still out (written as the loan book stores it).
        var binary = new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter();
        await using (var connection = new SqliteConnection($"Data Source={Database}"))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                INSERT INTO device_loans ("SchoolId", "DeviceId", "BorrowerClass", "Purpose", "OutAt", "DueAt", "OutBy")
                SELECT "SchoolId", "Id", '3 Oak', 'Phonics', $out, $due, 'teacher@school.test' FROM devices WHERE "AssetTag" = 'LOAN-001'
                """;
            cmd.Parameters.AddWithValue("$out", binary.ConvertToProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero)));
            cmd.Parameters.AddWithValue("$due", binary.ConvertToProvider(new DateTimeOffset(2026, 11, 25, 15, 15, 0, TimeSpan.Zero)));
            (await cmd.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        SqliteConnection.ClearAllPools();
        var list = await RunAsync("loans", "list");
        list.Exit.ShouldBe(0, list.Err);
        list.Out.ShouldContain("Suite iPad 1 (LOAN-001)  to 3 Oak: Phonics");
        list.Out.ShouldContain("25/11/2026 09:00");
        list.Out.ShouldContain("1 loan.");
        (await RunAsync("loans", "list", "--overdue")).Out.ShouldContain("1 loan.");
        var path = Path.Combine(_dir, "loans.csv");
        var export = await RunAsync("loans", "export", "--overdue", "--output", path);
        export.Exit.ShouldBe(0, export.Err);
        var csv = File.ReadAllText(path);
        csv.ShouldStartWith("Device,Asset tag,Borrower,Purpose,Out,Signed out by,Due,Returned,Signed in by,Back in the suite,On charge,Outcome");
        csv.ShouldContain("Suite iPad 1,LOAN-001,3 Oak,Phonics,25/11/2026 09:00,teacher@school.test,25/11/2026 15:15");
        (await RunAsync("loans", "list", "--school", "nowhere")).Exit.ShouldBe(2);

        var requests = await RunAsync("devices", "requests", "list");
        requests.Exit.ShouldBe(0, requests.Err);
        requests.Out.ShouldContain("0 requests.");
        var requestsCsv = await RunAsync("devices", "requests", "export", "--state", "approved");
        requestsCsv.Exit.ShouldBe(0, requestsCsv.Err);
        requestsCsv.Out.ShouldStartWith("Whose,Kind,Device,Make and model,Asked,Asked by,State,Decided by,Decided,Until,Requirement");
        var bad = await RunAsync("devices", "requests", "list", "--state", "maybe");
        bad.Exit.ShouldBe(2);
        bad.Err.ShouldContain("'maybe' is not a request state");
        // The register's own verbs are still there beside `requests`.
        (await RunAsync("devices", "list")).Out.ShouldContain("1 device.");
    }

    [Fact]
    public async Task RadiusDevices_ImportReportsBadLinesAndStoresNothing_ThenImportsListsAndRemoves()
    {
        (await RunAsync("policy", "load", RepoPaths.Policy("example.yaml"))).Exit.ShouldBe(0);

        // O21, C3: every bad line is named with its number, and nothing is stored.
        var bad = await RunAsync("radius", "devices", "import", Write("bad.csv", "mac,name,group\naa-bb-cc-00-00-01,iPad 1,ipads\nnot-a-mac,iPad 2,ipads\naa-bb-cc-00-00-03,iPad 3,tablets\n"));
        bad.Exit.ShouldBe(2);
        bad.Err.ShouldContain("bad.csv:line 3: 'not-a-mac' is not a MAC address");
        bad.Err.ShouldContain("bad.csv:line 4: 'tablets' is not a device group (the policy's device groups are ipads, chromebooks)");
        bad.Err.ShouldContain("Nothing was stored: 2 lines are wrong.");
        (await RunAsync("radius", "devices", "list")).Out.ShouldContain("0 devices.");

        var good = await RunAsync("radius", "devices", "import", Write("good.csv", "mac,name,group\nAA-BB-CC-00-00-01,iPad 1,ipads\naabbcc000002,Chromebook 2,chromebooks\n"));
        good.Exit.ShouldBe(0, good.Err);
        good.Out.ShouldContain("2 added, 0 updated");
        var list = await RunAsync("radius", "devices", "list");
        list.Out.ShouldContain("aa:bb:cc:00:00:01");
        list.Out.ShouldContain("iPad 1");
        list.Out.ShouldContain("2 devices.");
        (await RunAsync("radius", "devices", "remove", "AABBCC000001")).Exit.ShouldBe(0);
        (await RunAsync("radius", "devices", "remove", "AABBCC000001")).Exit.ShouldBe(1);
        (await RunAsync("radius", "devices", "list")).Out.ShouldContain("1 device.");
    }

    [Fact]
    public async Task DevicesFoundAndLeavers_ListAndExport_BadTabIsAMistakeInWords()
    {
        // H15, C19: the lost-property and leavers lists from the command line, under `devices` like the register's verbs.
        (await RunAsync("policy", "load", RepoPaths.Policy("example.yaml"))).Exit.ShouldBe(0);
        var found = await RunAsync("devices", "found", "list");
        found.Exit.ShouldBe(0, found.Err);
        found.Out.ShouldContain("0 devices (found).");
        var bad = await RunAsync("devices", "found", "list", "--tab", "lost");
        bad.Exit.ShouldBe(2);
        bad.Err.ShouldContain("'lost' is not a lost-property tab; use one of found, held, due, closed.");
        var export = await RunAsync("devices", "found", "export", "--tab", "closed");
        export.Exit.ShouldBe(0, export.Err);
        export.Out.ShouldStartWith("Description,Kind,Serial,State,Found,Found where,Found by,");
        var leavers = await RunAsync("devices", "leavers", "list", "--closed");
        leavers.Exit.ShouldBe(0, leavers.Err);
        leavers.Out.ShouldContain("0 checklists (closed).");
        var file = Path.Combine(_dir, "leavers.csv");
        (await RunAsync("devices", "leavers", "export", "--output", file)).Exit.ShouldBe(0);
        File.ReadAllText(file).ShouldBe("Person,Reason,From,Until,Opened,Opened by,Items,Still to come back,Closed\r\n");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
