using System.Diagnostics;
using System.Net;
using Brightline.Data;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Policies;

/// <summary>
/// Issue 15's calendar where a school meets it: the dashboard warns the head when the calendar is running out, and
/// `brightline policy calendar` lists what a policy (with its calendar file) holds; `policy check` names the default region.
/// </summary>
public sealed class CalendarPortalTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Dashboard_CalendarRunningOut_ComputingLeadIsWarned_TeacherIsNot(DatabaseProvider provider)
    {
        // Saturday 1 May 2027: example.yaml's last term ends 21/07/2027, within a term (its longest is 107 days).
        await using var server = await BrightlineServer.StartAsync(provider, new DateTimeOffset(2027, 5, 1, 10, 0, 0, TimeSpan.Zero));
        await TestSchool.LoadPolicyAsync(server);
        await CreateUserAsync(server, "lead@example.test", "computing_lead");
        await CreateUserAsync(server, "teacher@example.test", "teacher");
        var head = server.CreateClient();
        (await LoginAsync(head, "lead@example.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var teacher = server.CreateClient();
        (await LoginAsync(teacher, "teacher@example.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (_, home) = await GetAsync(head, "/");
        home.QuerySelector("#dashboard-calendar")!.TextContent.ShouldContain("The calendar runs out on 21/07/2027, within a term of today (01/05/2027)");
        var (_, teacherHome) = await GetAsync(teacher, "/");
        teacherHome.QuerySelector("#dashboard-calendar").ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Dashboard_TermTime_NoCalendarWarning(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await CreateUserAsync(server, "lead@example.test", "computing_lead");
        var head = server.CreateClient();
        (await LoginAsync(head, "lead@example.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (response, home) = await GetAsync(head, "/");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        home.QuerySelector("#dashboard-calendar").ShouldBeNull();
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "brightline.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task PolicyCalendar_ExampleWithItsIcsFile_ListsTermsHalfTermsInsetClosuresAndBankHolidaysInUkDates()
    {
        var dir = Directory.CreateTempSubdirectory("brightline-calendar-");
        try
        {
            var policy = Path.Combine(dir.FullName, "example-with-file.yaml");
            var ics = Path.Combine(RepoPaths.Root, "policies", "calendars", "example.ics");
            File.WriteAllText(policy, File.ReadAllText(RepoPaths.Policy("example.yaml"))
                .Replace("    bank_holidays: england-and-wales", "    bank_holidays: england-and-wales\n    file: " + ics, StringComparison.Ordinal));

            var (exit, stdout, stderr) = await RunAsync("policy", "calendar", policy, "--from", "2027-08-01", "--to", "31/12/2027");

            exit.ShouldBe(0, stderr);
            stdout.ShouldContain("Bank holidays: England and Wales\n");
            stdout.ShouldContain("Imported from: " + ics);
            stdout.ShouldContain("term          Thu 02/09/2027 to Fri 17/12/2027  Autumn Term 2027");
            stdout.ShouldContain("half term     Mon 25/10/2027 to Fri 29/10/2027  Autumn Term 2027");
            stdout.ShouldContain("INSET day     Thu 02/09/2027");
            stdout.ShouldContain("bank holiday  Mon 30/08/2027                   Summer bank holiday");
            stdout.ShouldContain("bank holiday  Mon 27/12/2027                   Christmas Day (substitute day)");
            stdout.ShouldNotContain("Summer 2027");
            // Summer Term 2028: DTEND 20280721 is exclusive, so the last day is 20/07/2028.
            stdout.ShouldContain("The listed terms end on 20/07/2028.");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PolicyCheck_Seeds_NameTheDefaultBankHolidayRegion_O7()
    {
        var (exit, stdout, stderr) = await RunAsync("policy", "check", RepoPaths.Policy("omnicom-primary.yaml"));

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("bank holidays: England and Wales (the default; set school.calendar.bank_holidays to change it)");
    }
}
