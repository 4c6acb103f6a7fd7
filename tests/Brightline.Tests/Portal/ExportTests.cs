using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.People;
using Brightline.Policies;
using Brightline.Portal;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Portal;

/// <summary>
/// Issue 17 (export): the CSV of every list and the PDFs of an incident's chronology and of the written policy, each for
/// the caller's school only, with formula cells neutralised, and each leaving one audit entry (who, what, rows, filter).
/// </summary>
public sealed partial class ExportTests
{
    private const string OtherPupils = """
        Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
        B001,,Zara,Otherschool,Year 3,3 Oak,01/09/2023,Yusuf Otherschool,yusuf@parents.test,Father
        """;

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider)
    {
        var server = await TestSchool.StartWithPupilsAsync(provider, staff: true);
        await TestSchool.LoadOtherSchoolAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Pupils, OtherPupils, schoolId: TestSchool.OtherId);
        return server;
    }

    private static async Task WithDbAsync(BrightlineServer server, Func<BrightlineDbContext, Task> action)
    {
        await using var scope = server.CreateScope();
        await action(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }

    private static async Task<List<AuditEntry>> ExportEntriesAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditActions.Export).OrderBy(e => e.Id).ToListAsync();
    }

    private static async Task<string> CsvAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv", path);
        return Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
    }

    private static string[] Lines(string csv) => csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task NewLists_AreTheCallersSchoolOnly_NeutraliseFormulae_AndEachExportIsAudited(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var zara = await TestSchool.PersonAsync(server, "B001");
        var now = server.Clock.GetUtcNow();
        Guid device = Guid.Empty;
        await WithDbAsync(server, async db =>
        {
            // A pupil whose name a spreadsheet would run as a formula (names come from the MIS, typed by anyone).
            db.People.Add(new Person
            {
                Id = Guid.NewGuid(), SchoolId = TestSchool.Id, ExternalId = "A099", Source = "test", GivenName = "=HYPERLINK(\"http://x\")", FamilyName = "Formula",
                ClassName = "3 Oak", YearGroup = "Year 3", KindMask = PersonGroups.Mask(Brightline.Policy.Model.PersonKind.Pupil),
            });

            // One alert and one filter decision at each school.
            foreach (var (school, person) in new[] { (TestSchool.Id, amelia.Id), (TestSchool.OtherId, zara.Id) })
            {
                var d = new MonitoringDevice
                {
                    Id = Guid.NewGuid(), SchoolId = school, Name = "Class laptop " + school, TokenHash = Convert.ToHexString(Guid.NewGuid().ToByteArray()),
                    TokenPrefix = school[..4], CreatedAt = now, CreatedBy = "test",
                };
                db.Add(d);
                await db.SaveChangesAsync();
                var seen = new MonitoringEvent
                {
                    SchoolId = school, DeviceId = d.Id, ClientEventId = school + "-e1", Kind = MonitoringEventKind.TypedText, OccurredAt = now, ReceivedAt = now,
                    PersonId = person, Text = "secret typed words", ScannedAt = now,
                };
                db.Add(seen);
                await db.SaveChangesAsync();
                db.Add(new MonitoringAlert
                {
                    EventId = seen.Id, SchoolId = school, PersonId = person, DeviceId = d.Id, Category = "self-harm", Severity = "high", SeverityRank = 3,
                    Status = MonitoringAlertStatus.Open, Score = 60, HitCount = 2, FirstAt = now, LastAt = now, CreatedAt = now,
                    Phrase = "secret typed words", Context = "secret typed words in context",
                });
                db.Add(new DnsDecisionEntry
                {
                    SchoolId = school, At = now, ClientAddress = "10.20.21.5", PersonId = person, Name = school + ".blocked.example", QueryType = "A",
                    Decision = "blocked", Category = "gambling", Reason = "@SUM(1+1) via the category", // a reason a spreadsheet would run
                });
                device = d.Id;
            }

            await db.SaveChangesAsync();
        });

        var head = await SignInWithTwoFactorAsync(server, "head@school.test", "head");

        // People: the filter as on screen (class 3 Oak), names and the school's own ID; the other school's 3 Oak is not there.
        var people = await CsvAsync(head, "/people?handler=csv&class=3%20Oak");
        var rows = Lines(people);
        rows[0].ShouldBe("Name,ID,Year,Class,Groups,Agreements,Left on");
        rows.Length.ShouldBe(4, people);
        people.ShouldContain("Amelia Jones,A001,3,3 Oak,Lower Key Stage 2 (Years 3–4),1 due,");
        people.ShouldContain("Priya Patel,S01,,3 Oak,", Case.Sensitive, "the class's teacher is in the class too");
        people.ShouldContain("\"'=HYPERLINK(\"\"http://x\"\") Formula\",A099", Case.Sensitive, "the formula is text");
        people.ShouldNotContain("Zara");
        people.ShouldNotContain(amelia.Id.ToString());

        // Export selected (bulk action): only the ticked people; another school's person's ID ticked by hand is ignored.
        var zaraId = Guid.Empty;
        await WithDbAsync(server, async db => zaraId = await db.People.Where(p => p.GivenName == "Zara").Select(p => p.Id).FirstAsync());
        var selected = await CsvAsync(head, $"/people?handler=csv&class=3%20Oak&id={amelia.Id}&id={zaraId}");
        Lines(selected).Length.ShouldBe(2, selected);
        selected.ShouldContain("Amelia Jones,A001");
        selected.ShouldNotContain("Zara");

        // The alert queue: the queue's columns, never the captured words; the other school's alert is not there.
        var alerts = await CsvAsync(head, "/monitoring?handler=csv&status=all");
        Lines(alerts).Length.ShouldBe(2, alerts);
        alerts.ShouldContain("Amelia Jones");
        alerts.ShouldContain("high");
        alerts.ShouldContain("New");
        UkDateTime().IsMatch(alerts).ShouldBeTrue(alerts);
        alerts.ShouldNotContain("secret typed words");
        alerts.ShouldNotContain("Zara");

        // The decision log, filtered by decision; the reason's formula is neutralised.
        var log = await CsvAsync(head, "/filtering/log?handler=csv&decision=blocked");
        Lines(log).Length.ShouldBe(2, log);
        log.ShouldContain(TestSchool.Id + ".blocked.example");
        log.ShouldContain(",Amelia Jones,'@SUM(1+1) via the category");
        log.ShouldNotContain(TestSchool.OtherId);

        // Agreements: everyone who must sign, signed or not (not only the signatures of one agreement).
        var status = await CsvAsync(head, "/agreements?handler=statuscsv");
        Lines(status)[0].ShouldBe("Agreement,Person,ID,Class,Status,Signed by them,Signed by a parent,Waiting for,Due by");
        status.ShouldContain(",Amelia Jones,A001,3 Oak,");
        status.ShouldNotContain("Zara");
        Regex.IsMatch(status, @",\d{2}/\d{2}/\d{4}\r\n").ShouldBeTrue("due dates are dd/MM/yyyy");

        // Each export above is one audit entry at this school: who, what, how many rows, which filter.
        var entries = await ExportEntriesAsync(server);
        entries.Select(e => e.Subject).ShouldBe(["people list", "people list", "safeguarding alerts", "filter decision log", "agreements status"]);
        entries.ShouldAllBe(e => e.Actor == "head@school.test" && e.SchoolId == TestSchool.Id);
        entries[0].Detail.ShouldBe("3 rows; filter: class=3 Oak; file people.csv");
        entries[1].Detail!.ShouldStartWith("1 row; filter: class=3 Oak");
        entries[2].Detail.ShouldBe("1 row; filter: status=all; file safeguarding-alerts.csv");
        entries[3].Detail!.ShouldStartWith("1 row; filter: decision=blocked");

        // The audit log: this school's entries (the exports above among them), a formula in a detail neutralised.
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AuditLog>().AppendAsync(TestSchool.Id, "test", "note", null, "=1+1");
            await scope.ServiceProvider.GetRequiredService<AuditLog>().AppendAsync(TestSchool.OtherId, "other@school.test", "note", null, "other school's note");
        }

        var audit = await CsvAsync(head, "/audit?handler=csv");
        audit.ShouldContain("'=1+1");
        audit.ShouldContain("people list");
        audit.ShouldNotContain("other school's note");
        var filtered = await CsvAsync(head, "/audit?handler=csv&action=export");
        Lines(filtered).Length.ShouldBe(7, filtered);
        (await ExportEntriesAsync(server)).Select(e => e.Detail).TakeLast(2).ShouldBe([
            $"{Lines(audit).Length - 1} rows; filter: none; file audit-log.csv", "6 rows; filter: action=export; file audit-log.csv"]);

        // The alert queue's CSV is the monitoring viewers' only.
        await CreateUserAsync(server, "teacher@school.test", "teacher");
        var teacher = server.CreateClient();
        await LoginAsync(teacher, "teacher@school.test");
        (await teacher.GetAsync("/monitoring?handler=csv")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await teacher.GetAsync("/audit?handler=csv")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ExistingCsvExports_AreAuditedToo(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var head = await SignInWithTwoFactorAsync(server, "head@school.test", "head");
        await CsvAsync(head, "/incidents?handler=csv&status=all");
        await CsvAsync(head, "/agreements?handler=csv&agreement=staff");
        var entries = await ExportEntriesAsync(server);
        entries.Select(e => e.Subject).ShouldBe(["incidents list", "agreement signatures"]);
        entries[1].Detail.ShouldBe("0 rows; filter: agreement=staff; file signatures-staff.csv");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task IncidentChronologyAndWrittenPolicy_PrintToPdf_AndAreAudited(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        Incident incident;
        await using (var scope = server.CreateScope())
        {
            var incidents = scope.ServiceProvider.GetRequiredService<IncidentService>();
            incident = await incidents.CreateAsync(new NewIncident(TestSchool.Id, IncidentKinds.Behaviour, "Unkind messages in the class chat", [amelia.Id], [],
                "Amelia reported unkind messages.", "h.marsh@school.test"), CancellationToken.None);
        }

        var head = await SignInWithTwoFactorAsync(server, "head@school.test", "head");
        var (_, page) = await GetAsync(head, $"/incidents/{incident.Id}");
        var link = page.QuerySelector("#chronology-pdf")!.GetAttribute("href")!;
        var response = await head.GetAsync(link);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var text = PdfText.Of(await response.Content.ReadAsByteArrayAsync());
        text.ShouldContain("Brightline Example Primary");
        text.ShouldContain("Unkind messages in the class chat");
        text.ShouldContain("Amelia Jones");
        text.ShouldContain("Amelia reported unkind messages.");
        text.ShouldContain("1.");
        UkDateTime().IsMatch(text).ShouldBeTrue(text);
        text.ShouldNotContain(amelia.Id.ToString());

        // Another school's incident is not found.
        var otherHead = await SignInWithTwoFactorAsync(server, "head@other.test", "head", schoolId: TestSchool.OtherId);
        (await otherHead.GetAsync(link)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The written policy, for anyone signed in.
        (_, page) = await GetAsync(head, "/policy");
        var policyLink = page.QuerySelector("#policy-pdf")!.GetAttribute("href")!;
        var policy = await head.GetAsync(policyLink);
        policy.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var policyText = PdfText.Of(await policy.Content.ReadAsByteArrayAsync());
        policyText.ShouldContain("Brightline Example Primary");
        policyText.ShouldContain("ICT and Internet Acceptable Use Policy");
        policyText.ShouldContain("Rules");

        var entries = await ExportEntriesAsync(server);
        entries.Select(e => e.Subject).ShouldBe(["incident chronology: Unkind messages in the class chat", "written policy"]);
        entries[0].Detail!.ShouldMatch(@"^\d+ rows?; filter: none; file incident-chronology-\d{4}-\d{2}-\d{2}\.pdf$");
        entries[1].Detail.ShouldBe("filter: none; file online-safety-policy.pdf");
        entries.ShouldAllBe(e => e.SchoolId == TestSchool.Id && e.Actor == "head@school.test");
    }

    [Fact]
    public void CsvRecords_CountsRecordsNotLines()
    {
        ExportAuditFilter.CsvRecords("a,b\r\n1,\"two\r\nlines\"\r\n3,4"u8).ShouldBe(3);
        ExportAuditFilter.CsvRecords("a,b\r\n"u8).ShouldBe(1);
        ExportAuditFilter.CsvRecords(""u8).ShouldBe(0);
    }

    /// <summary>Every page handler that answers with a CSV or a PDF names what it exports for the audit log.</summary>
    [Fact]
    public void EveryPageThatExports_NamesItsExport()
    {
        var pages = Path.Combine(RepoPaths.Root, "src", "Brightline", "Pages");
        foreach (var file in Directory.EnumerateFiles(pages, "*.cshtml.cs", SearchOption.AllDirectories))
        {
            var code = File.ReadAllText(file);
            var exports = Regex.Matches(code, "\"(text/csv|application/pdf)").Count;
            // The stored review pack is audited by ReviewPackService.RecordDownloadAsync as it is downloaded.
            if (exports == 0 || file.EndsWith("ReviewFile.cshtml.cs", StringComparison.Ordinal))
            {
                continue;
            }

            Regex.Matches(code, @"\[AuditedExport\(").Count.ShouldBeGreaterThan(0, $"{Path.GetFileName(file)} exports without [AuditedExport]");
        }
    }

    [GeneratedRegex(@"\b\d{2}/\d{2}/\d{4} \d{2}:\d{2}\b")]
    private static partial Regex UkDateTime();
}
