using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.People;
using Brightline.Policy;
using Brightline.Portal;
using Brightline.Safeguarding;
using Brightline.Tests.Email;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Incidents;

/// <summary>The registers end to end: routing by policy (W5, W11, F7, F13, O6, F4), redaction per reader, evidence, the ICO clock, retention.</summary>
public sealed class IncidentRegisterTests
{
    private const string Dsl = "s.okafor@example-primary.example.org";
    private const string Deputy = "t.hughes@example-primary.example.org";
    private const string HeadHolder = "head@example-primary.example.org";
    private const string HelenMarsh = "h.marsh@school.test";
    private const string ComputingLeadHolder = "p.shah@example-primary.example.org";
    private const string PriyaPatel = "priya.patel@school.test";
    private const string BusinessManager = "sbm@example-primary.example.org";
    private const string ItProvider = "support@example-it.example.com";

    /// <summary>The example school, with staff allegations readable by head, DSL and deputy, and the deputy reporting to the head.</summary>
    private static string PolicyYaml(string? extra = null) => TestSchool.ExampleYaml.TrimEnd() + """


        incidents:
          kinds:
            staff_violation:
              read: [head, dsl, deputy_dsl]
            behaviour:
              retention_days: 30
          line_reports:
            head: [deputy_dsl]
        """ + (extra ?? "") + "\n";

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider)
    {
        // The background passes are driven by hand here, so a test decides when the clock's reminders go.
        var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Brightline:Incidents:Worker"] = "false",
            ["Brightline:Monitoring:Worker"] = "false",
        });
        await TestSchool.LoadPolicyAsync(server, PolicyYaml());
        await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        return server;
    }

    private static async Task<Incident> CreateAsync(BrightlineServer server, NewIncident request)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IncidentService>().CreateAsync(request, CancellationToken.None);
    }

    private static List<string> MailsAbout(BrightlineServer server, Guid incident) =>
        server.Smtp.Messages().Where(m => m.Contains($"/incidents/{incident}", StringComparison.Ordinal)).ToList();

    private static List<string> Recipients(IEnumerable<string> mails) =>
        mails.Select(m => m.Split('\n').First(l => l.StartsWith("X-Rcpt-Args: <", StringComparison.Ordinal))["X-Rcpt-Args: <".Length..].Split('>')[0]).Order(StringComparer.Ordinal).ToList();

    private static async Task<List<T>> AllAsync<T>(BrightlineServer server)
        where T : class
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<T>().AsNoTracking().ToListAsync();
    }

    private static async Task<HttpClient> SignInAsync(BrightlineServer server, string email, string role, Guid? person = null)
    {
        await CreateUserAsync(server, email, role, person);
        var client = server.CreateClient();
        (await LoginAsync(client, email)).ShouldRedirectTo("/");
        return client;
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Routing_EachKindEmailsThePolicyRoles_WithOnlyALink(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var priya = await TestSchool.PersonAsync(server, "S01");
        var helen = await TestSchool.PersonAsync(server, "S02");

        var safeguarding = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.Safeguarding, "Secret title about Amelia", [amelia.Id], [], "Amelia said something worrying.", "teacher@school.test"));
        var security = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.Security, "Phishing email opened", [], [], "Clicked a link.", "teacher@school.test"));
        var lost = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.LostDevice, "Laptop left on a train", [], [], "Lost on the 17:10.", "teacher@school.test", DeviceDescription: "Dell Latitude, asset EX-0042"));
        var aboutPriya = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.StaffViolation, "Allegation", [priya.Id], [], "Shared a pupil photo.", "teacher@school.test"));
        var aboutHead = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.StaffViolation, "Allegation about the head", [helen.Id], [], "Something about the head.", "teacher@school.test"));
        var serious = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.Behaviour, "Hacking attempt", [], [], "Tried to get admin access.", "teacher@school.test", Serious: true));

        // Safeguarding → DSL and deputies (the head holds dsl in the staff import; the policy names Sarah and Tom).
        await server.DeliverEmailAsync();
        Recipients(MailsAbout(server, safeguarding.Id)).ShouldBe([Deputy, Dsl, HelenMarsh], ignoreOrder: true);
        // F13, F7: security and lost devices → the IT provider, the head and the business manager.
        Recipients(MailsAbout(server, security.Id)).ShouldBe([HeadHolder, HelenMarsh, BusinessManager, ItProvider], ignoreOrder: true);
        Recipients(MailsAbout(server, lost.Id)).ShouldBe([HeadHolder, HelenMarsh, BusinessManager, ItProvider], ignoreOrder: true);
        // Allegations about staff → the head only; never the subject, whichever address the school knows them by.
        Recipients(MailsAbout(server, aboutPriya.Id)).ShouldBe([HeadHolder, HelenMarsh], ignoreOrder: true);
        Recipients(MailsAbout(server, aboutHead.Id)).ShouldBeEmpty("the head is the subject, the policy names her as head@…, and its chair of governors has no address");
        // W11: a serious breach → the kind's list (computing lead) and both the ICT coordinator and the DSL.
        Recipients(MailsAbout(server, serious.Id)).ShouldBe([HelenMarsh, ComputingLeadHolder, PriyaPatel, Dsl], ignoreOrder: true);

        foreach (var mail in server.Smtp.Messages())
        {
            mail.ShouldContain(IncidentNotifier.CreatedSubject, Case.Sensitive);
            foreach (var secret in new[] { "Amelia", "Secret", "Phishing", "Laptop", "Allegation", "Hacking", "safeguarding", "photo" })
            {
                mail.ShouldNotContain(secret, Case.Insensitive);
            }
        }

        // Who was told is on the timeline, restricted to the register's readers.
        var told = (await AllAsync<IncidentEntry>(server)).Where(e => e.Kind == IncidentEntryKind.Notified).ToList();
        told.ShouldAllBe(e => e.Restricted);
        told.Single(e => e.IncidentId == safeguarding.Id).Text.ShouldContain($"{Dsl} (dsl)");
        // Nobody could be told about the head: the record says so, so its readers do not assume someone was emailed.
        told.Single(e => e.IncidentId == aboutHead.Id).Text.ShouldStartWith("Nobody was told", Case.Sensitive);
    }

    /// <summary>KCSIE part four: an allegation about the head goes to the chair of governors when everyone the register names is the subject.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AllegationAboutTheHead_WithOnlyTheHeadToTell_GoesToTheChairOfGovernors(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        const string chair = "chair@example-primary.example.org";
        var withChair = PolicyYaml().Replace("    name: Margaret Ellis\n    title: Chair of Governors\n", $"    name: Margaret Ellis\n    title: Chair of Governors\n    email: {chair}\n", StringComparison.Ordinal);
        withChair.ShouldContain(chair);
        await TestSchool.LoadPolicyAsync(server, withChair);
        var helen = await TestSchool.PersonAsync(server, "S02");
        var priya = await TestSchool.PersonAsync(server, "S01");

        var aboutHead = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.StaffViolation, "Allegation about the head", [helen.Id], [], "Something about the head.", "teacher@school.test"));
        var aboutPriya = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.StaffViolation, "Allegation", [priya.Id], [], "Shared a pupil photo.", "teacher@school.test"));

        await server.DeliverEmailAsync();
        Recipients(MailsAbout(server, aboutHead.Id)).ShouldBe([chair]);
        Recipients(MailsAbout(server, aboutPriya.Id)).ShouldBe([HeadHolder, HelenMarsh], ignoreOrder: true, "the head can be told, so the chair is not");
        var told = (await AllAsync<IncidentEntry>(server)).Single(e => e.IncidentId == aboutHead.Id && e.Kind == IncidentEntryKind.Notified);
        told.Restricted.ShouldBeTrue();
        told.Text.ShouldContain($"{chair} (chair_of_governors, because");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Persistent_ThirdIncidentAboutOnePersonWithin30Days_IsSeriousAndToldToCoordinatorAndDsl(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var leo = await TestSchool.PersonAsync(server, "A004");
        var first = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.Behaviour, "Game in lesson", [leo.Id], [], "Playing games.", "t@school.test"));
        server.Clock.Advance(TimeSpan.FromDays(10));
        var second = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.Behaviour, "Game again", [leo.Id], [], "Playing games again.", "t@school.test"));
        server.Clock.Advance(TimeSpan.FromDays(10));
        var third = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.FilterReport, "Proxy site", [leo.Id], [], "Tried a proxy.", "t@school.test"));

        first.Serious.ShouldBeFalse();
        second.Serious.ShouldBeFalse();
        third.Serious.ShouldBeTrue();
        await server.DeliverEmailAsync();
        Recipients(MailsAbout(server, second.Id)).ShouldBe([ComputingLeadHolder, PriyaPatel], ignoreOrder: true);
        // Filter reports go to the computing lead and IT provider (O20); persistence adds the DSL (W11).
        Recipients(MailsAbout(server, third.Id)).ShouldBe([HelenMarsh, ComputingLeadHolder, PriyaPatel, Dsl, ItProvider], ignoreOrder: true);
        (await AllAsync<IncidentEntry>(server)).Single(e => e.IncidentId == third.Id && e.Kind == IncidentEntryKind.Serious).Text.ShouldContain("Persistent");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Redaction_ReaderSeesAll_ReporterSeesOwnReportAndStatus_SubjectAndLineReportsSeeNothing(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var helen = await TestSchool.PersonAsync(server, "S02");
        var priya = await TestSchool.PersonAsync(server, "S01");

        // A teacher records a concern through the portal (an account without a person record, so no agreement gate).
        var teacher = await SignInAsync(server, "teacher@school.test", PortalRoles.Teacher);
        var (formResponse, form) = await GetAsync(teacher, "/incidents/new");
        formResponse.StatusCode.ShouldBe(HttpStatusCode.OK, form.DocumentElement.OuterHtml);
        form.QuerySelectorAll("#Kind option").Select(o => o.GetAttribute("value")).ShouldContain(IncidentKinds.Safeguarding);
        var created = await SubmitAsync(teacher, form, "/incidents/new", new Dictionary<string, string>
        {
            ["Kind"] = IncidentKinds.Safeguarding, ["Title"] = "Worrying drawing", ["Text"] = "Amelia drew something worrying in art.",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var detail = created.Headers.Location!.ToString().Split('?')[0];

        // The DSL adds a restricted note and moves it on.
        using var dsl = await SignInWithTwoFactorAsync(server, "dsl@school.test", PortalRoles.Dsl);
        var (_, page) = await GetAsync(dsl, detail);
        (await SubmitAsync(dsl, page, detail, new Dictionary<string, string> { ["Text"] = "DSL note: known to children's social care.", ["Restricted"] = "true" }, "#entry-form"))
            .ShouldRedirectTo($"{detail}?done=entry");
        (await SubmitAsync(dsl, page, $"{detail}?handler=Status", new Dictionary<string, string> { ["Status"] = IncidentStatus.Referred.Key(), ["StatusText"] = "Referred to the local authority." }, "#status-form"))
            .ShouldRedirectTo($"{detail}?done=status");

        var (_, full) = await GetAsync(dsl, detail);
        var dslText = full.QuerySelector("main")!.TextContent;
        dslText.ShouldContain("drew something worrying");
        dslText.ShouldContain("known to children's social care");
        dslText.ShouldContain("Referred to the local authority");
        dslText.ShouldContain("People told");

        // The teacher sees their own report and the status, not the DSL's note, the status note or who was told.
        var (ownResponse, own) = await GetAsync(teacher, detail);
        ownResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        var teacherText = own.QuerySelector("main")!.TextContent;
        teacherText.ShouldContain("drew something worrying");
        own.QuerySelector("#status")!.TextContent.ShouldContain(IncidentStatus.Referred.Describe());
        teacherText.ShouldNotContain("social care");
        teacherText.ShouldNotContain("local authority");
        teacherText.ShouldNotContain("People told");
        own.QuerySelector("#status-form").ShouldBeNull();
        own.QuerySelector("#Restricted").ShouldBeNull();
        // A reporter may correct only their own entries.
        var dslEntry = (await AllAsync<IncidentEntry>(server)).Single(e => e.Restricted && e.Kind == IncidentEntryKind.Note);
        var refused = await SubmitAsync(teacher, own, detail, new Dictionary<string, string> { ["Text"] = "Not so.", ["Corrects"] = dslEntry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "#entry-form");
        (await refused.Content.ReadAsStringAsync()).ShouldContain("You can correct only your own entries.");

        // Another teacher sees nothing; the list shows each only what they may see.
        var other = await SignInAsync(server, "other@school.test", PortalRoles.Teacher);
        (await other.GetAsync(detail)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var (_, otherList) = await GetAsync(other, "/incidents");
        otherList.QuerySelectorAll("#incidents tbody tr").Length.ShouldBe(0);
        var (_, teacherList) = await GetAsync(teacher, "/incidents");
        teacherList.QuerySelectorAll("#incidents tbody tr").Select(r => r.QuerySelector("a")!.TextContent).ShouldBe(["Worrying drawing"]);

        // Allegations: the subject never sees one about themselves, nor (by the policy's line_reports) a deputy one about the head.
        var aboutHead = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.StaffViolation, "About the head", [helen.Id], [], "Alleged misuse.", "governor@school.test"));
        var aboutPriya = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.StaffViolation, "About Priya", [priya.Id], [], "Alleged misuse.", "governor@school.test"));
        // Helen's account stands for her person record, so the staff agreement and acknowledgement (H13) come first.
        await Brightline.Tests.Agreements.AgreementTestData.SignAsync(server, helen, helen, "staff", "Headteacher");
        using var head = await SignInWithTwoFactorAsync(server, "helen@school.test", PortalRoles.Head, helen.Id);
        (await head.GetAsync("/incidents")).ShouldRedirectTo("/acknowledge");
        var (_, ack) = await GetAsync(head, "/acknowledge");
        (await SubmitAsync(head, ack, "/acknowledge", new Dictionary<string, string>())).ShouldRedirectTo("/");
        (await head.GetAsync($"/incidents/{aboutHead.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await head.GetAsync($"/incidents/{aboutPriya.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var (_, headList) = await GetAsync(head, "/incidents?kind=staff_violation");
        headList.QuerySelectorAll("#incidents tbody tr").Select(r => r.QuerySelector("a")!.TextContent).ShouldBe(["About Priya"]);

        using var deputy = await SignInWithTwoFactorAsync(server, "deputy@school.test", PortalRoles.DeputyDsl);
        (await deputy.GetAsync($"/incidents/{aboutHead.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await deputy.GetAsync($"/incidents/{aboutPriya.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await dsl.GetAsync($"/incidents/{aboutHead.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Every view that showed something is audited, with who saw how much.
        var views = (await AllAsync<AuditEntry>(server)).Where(a => a.Action == IncidentService.AuditViewed).ToList();
        views.ShouldContain(a => a.Actor == "teacher@school.test" && a.Detail == "own report");
        views.ShouldContain(a => a.Actor == "dsl@school.test" && a.Detail == "full record");
        views.ShouldNotContain(a => a.Actor == "other@school.test");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Corrections_AreAppended_OriginalUnchanged_StatusAndOutcomeAreTimelineEntries(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var incident = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.Safeguarding, "Concern", [], [], "At 10:15 on Tuesday.", "dsl@school.test"));
        using var dsl = await SignInWithTwoFactorAsync(server, "dsl@school.test", PortalRoles.Dsl);
        var detail = $"/incidents/{incident.Id}";
        var (_, page) = await GetAsync(dsl, detail);
        var original = (await AllAsync<IncidentEntry>(server)).Single(e => e.Kind == IncidentEntryKind.Report);

        (await SubmitAsync(dsl, page, detail, new Dictionary<string, string> { ["Text"] = "It was 10:50.", ["Corrects"] = original.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "#entry-form"))
            .ShouldRedirectTo(detail);
        // People can be added later (never removed); the list then finds the record by their name.
        (await SubmitAsync(dsl, page, $"{detail}?handler=Person", new Dictionary<string, string> { ["PersonWho"] = "a001" }, "#person-form"))
            .ShouldRedirectTo($"{detail}?done=person");
        (await (await SubmitAsync(dsl, page, $"{detail}?handler=Person", new Dictionary<string, string> { ["PersonWho"] = "Amelia Jones" }, "#person-form")).Content.ReadAsStringAsync())
            .ShouldContain("Amelia Jones is already one of the people involved.");
        (await (await SubmitAsync(dsl, page, $"{detail}?handler=Person", new Dictionary<string, string> { ["PersonWho"] = "Nobody Here" }, "#person-form")).Content.ReadAsStringAsync())
            .ShouldContain("Nobody at the school");
        var (_, byName) = await GetAsync(dsl, "/incidents?name=amelia");
        byName.QuerySelectorAll("#incidents tbody tr").Select(r => r.QuerySelector("a")!.TextContent).ShouldBe(["Concern"]);
        var (_, byOtherName) = await GetAsync(dsl, "/incidents?name=leo");
        byOtherName.QuerySelectorAll("#incidents tbody tr").Length.ShouldBe(0);
        var closing = await SubmitAsync(dsl, page, $"{detail}?handler=Status", new Dictionary<string, string> { ["Status"] = IncidentStatus.Closed.Key(), ["StatusText"] = "" }, "#status-form");
        (await closing.Content.ReadAsStringAsync()).ShouldContain("Write the outcome before closing");
        (await SubmitAsync(dsl, page, $"{detail}?handler=Status", new Dictionary<string, string> { ["Status"] = IncidentStatus.Closed.Key(), ["StatusText"] = "Parents spoken to; no further action." }, "#status-form"))
            .ShouldRedirectTo(detail);

        var entries = (await AllAsync<IncidentEntry>(server)).Where(e => e.Kind != IncidentEntryKind.Notified).OrderBy(e => e.Id).ToList();
        entries.Select(e => e.Kind).ShouldBe([IncidentEntryKind.Report, IncidentEntryKind.Note, IncidentEntryKind.Person, IncidentEntryKind.Outcome]);
        entries[0].Text.ShouldBe("At 10:15 on Tuesday.", "the corrected entry stays as written");
        entries[1].CorrectsEntryId.ShouldBe(original.Id);
        entries[2].Text.ShouldBe("Added Amelia Jones (A001) to the people involved.");
        entries[3].Text.ShouldContain("Parents spoken to");
        var stored = (await AllAsync<Incident>(server)).Single();
        stored.Status.ShouldBe(IncidentStatus.Closed);
        stored.Outcome.ShouldBe("Parents spoken to; no further action.");

        var (_, after) = await GetAsync(dsl, detail);
        after.QuerySelector($"#entry-{original.Id}")!.TextContent.ShouldContain("Corrected by a later entry");
        after.QuerySelector("#outcome")!.TextContent.ShouldContain("no further action");
        (await AllAsync<AuditEntry>(server)).Count(a => a.Action == IncidentService.AuditStatus).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task EscalateFromAlert_OpensSafeguardingIncidentWithAlertLinked_AndClosesTheAlert(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var token = await Brightline.Tests.Monitoring.MonitoringTestKit.IssueTokenAsync(server);
        using var agent = Brightline.Tests.Monitoring.MonitoringTestKit.DeviceClient(server, token);
        var leo = await TestSchool.PersonAsync(server, "A004");
        await Brightline.Tests.Monitoring.MonitoringTestKit.PostAsync(agent, Brightline.Tests.Monitoring.MonitoringTestKit.Event("l1", text: "i want to die tonight", person: leo.Id));
        await Brightline.Tests.Monitoring.MonitoringTestKit.ScoreAsync(server); // alerts are raised after the batch is committed
        var alert = (await AllAsync<MonitoringAlert>(server)).Single();

        using var dsl = await SignInWithTwoFactorAsync(server, "dsl@school.test", PortalRoles.Dsl);
        var path = $"/monitoring/alerts/{alert.Id}";
        var (_, page) = await GetAsync(dsl, path);
        (await SubmitAsync(dsl, page, $"{path}?handler=Outcome", new Dictionary<string, string> { ["Outcome"] = AlertOutcome.Escalated.Key(), ["Note"] = "Phoned parents; referred to social care." }, "#outcome-form"))
            .ShouldRedirectTo($"{path}?done=outcome");

        var incident = (await AllAsync<Incident>(server)).Single();
        incident.Kind.ShouldBe(IncidentKinds.Safeguarding);
        incident.Serious.ShouldBeTrue("a critical alert");
        (await AllAsync<IncidentPerson>(server)).Single().PersonId.ShouldBe(leo.Id);
        var link = (await AllAsync<IncidentLink>(server)).Single();
        (link.Kind, link.TargetId, link.IncidentId).ShouldBe((IncidentLinkKind.Alert, alert.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), incident.Id));
        var closed = (await AllAsync<MonitoringAlert>(server)).Single();
        closed.Outcome.ShouldBe(AlertOutcome.Escalated);
        closed.Status.ShouldBe(MonitoringAlertStatus.Closed);
        closed.OutcomeNote!.ShouldContain($"/incidents/{incident.Id}");

        var (_, back) = await GetAsync(dsl, path);
        back.QuerySelector("#incident-link")!.GetAttribute("href").ShouldBe($"/incidents/{incident.Id}");
        var (_, record) = await GetAsync(dsl, $"/incidents/{incident.Id}");
        record.QuerySelector("#links a")!.GetAttribute("href").ShouldBe(path);
        record.QuerySelector("main")!.TextContent.ShouldContain("Phoned parents");

        // Escalating again (e.g. a second tab) does not open a second incident.
        await using (var scope = server.CreateScope())
        {
            var again = await scope.ServiceProvider.GetRequiredService<IncidentService>()
                .EscalateAlertAsync(TestSchool.Id, alert.Id, "again", new IncidentActor("dsl@school.test", null, [PortalRoles.Dsl]), CancellationToken.None);
            again.Id.ShouldBe(incident.Id);
        }

        (await AllAsync<Incident>(server)).Count.ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DataBreach_DeadlineShown_ChasedAt48And70Hours_UntilTheIcoDecision(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var discovered = server.Clock.GetUtcNow().AddHours(-1);
        var breach = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.DataBreach, "Class list emailed to the wrong parent", [], ["staff-data"],
            "Sent at 09:00 to the wrong address.", "office@school.test", DiscoveredAt: discovered));
        breach.DecisionDueAt.ShouldBe(discovered.AddHours(72));
        // O6, F4: the head, the business manager and the computing lead are told at once.
        await server.DeliverEmailAsync();
        Recipients(MailsAbout(server, breach.Id)).ShouldBe([HelenMarsh, HeadHolder, PriyaPatel, ComputingLeadHolder, BusinessManager], ignoreOrder: true);

        using var head = await SignInWithTwoFactorAsync(server, "head@school.test", PortalRoles.Head);
        var (_, page) = await GetAsync(head, $"/incidents/{breach.Id}");
        page.QuerySelector("#ico-deadline")!.TextContent.ShouldContain("28 November 2026, 09:00", Case.Sensitive);
        var (_, list) = await GetAsync(head, "/incidents");
        list.QuerySelector("#decisions-due")!.TextContent.ShouldContain("Class list emailed");
        var (_, dashboard) = await GetAsync(head, "/");
        dashboard.QuerySelector("#dashboard-decisions-due")!.TextContent.ShouldContain("28 November 2026, 09:00", Case.Sensitive);
        using var teacher = await SignInAsync(server, "teacher@school.test", PortalRoles.Teacher);
        var (_, teacherDashboard) = await GetAsync(teacher, "/");
        teacherDashboard.QuerySelector("#dashboard-decisions-due").ShouldBeNull("only the data-breach register's readers are reminded");

        async Task<int> ChaseAsync()
        {
            await using var scope = server.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<IncidentBackground>().ChaseDecisionsAsync(CancellationToken.None);
        }

        int Chases() => server.Smtp.Messages().Count(m => m.Contains(IncidentNotifier.ChaseSubject, StringComparison.Ordinal));

        server.Clock.Advance(TimeSpan.FromHours(46)); // 47 hours after discovery
        (await ChaseAsync()).ShouldBe(0);
        server.Clock.Advance(TimeSpan.FromHours(1)); // 48 hours
        // The head's own account (signed in above) is told now too.
        (await ChaseAsync()).ShouldBe(6);
        (await ChaseAsync()).ShouldBe(0, "each reminder goes once");
        await server.DeliverEmailAsync();
        Chases().ShouldBe(6);
        server.Smtp.Messages().Where(m => m.Contains(IncidentNotifier.ChaseSubject, StringComparison.Ordinal)).ShouldAllBe(m => !m.Contains("Class list", StringComparison.Ordinal));
        server.Clock.Advance(TimeSpan.FromHours(22)); // 70 hours
        (await ChaseAsync()).ShouldBe(6);
        await server.DeliverEmailAsync();
        Chases().ShouldBe(12);

        // Closing needs the decision first; recording it stops the chase. (The first session has expired by now.)
        using var later = await SignInWithTwoFactorAsync(server, "head.later@school.test", PortalRoles.Head);
        var (_, again) = await GetAsync(later, $"/incidents/{breach.Id}");
        var early = await SubmitAsync(later, again, $"/incidents/{breach.Id}?handler=Status", new Dictionary<string, string> { ["Status"] = IncidentStatus.Closed.Key(), ["StatusText"] = "Done." }, "#status-form");
        (await early.Content.ReadAsStringAsync()).ShouldContain("Record the decision on reporting to the ICO");
        (await SubmitAsync(later, again, $"/incidents/{breach.Id}?handler=Decision", new Dictionary<string, string> { ["Decision"] = "no_report", ["DecisionReason"] = "Recalled within the hour; no sensitive data." }, "#decision-form"))
            .ShouldRedirectTo($"/incidents/{breach.Id}?done=decision");
        server.Clock.Advance(TimeSpan.FromHours(10));
        (await ChaseAsync()).ShouldBe(0);
        var stored = (await AllAsync<Incident>(server)).Single();
        stored.DecisionAt.ShouldNotBeNull();
        (await AllAsync<IncidentEntry>(server)).Single(e => e.Kind == IncidentEntryKind.IcoDecision).Text.ShouldStartWith("Not reportable to the ICO. Reasons: Recalled", Case.Sensitive);
        (await AllAsync<AuditEntry>(server)).Count(a => a.Action == IncidentBackground.AuditChased).ShouldBe(2);
        var (_, after) = await GetAsync(later, "/incidents");
        after.QuerySelector("#decisions-due").ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Attachments_HashedAndDownloadedAsFiles_OnlyByPermittedReaders(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var teacher = await SignInAsync(server, "teacher@school.test", PortalRoles.Teacher);
        var incident = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.Safeguarding, "Concern", [], [], "Screenshot attached.", "teacher@school.test"));
        var detail = $"/incidents/{incident.Id}";
        var pdf = "%PDF-1.4\n% evidence\n"u8.ToArray();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

        async Task<HttpResponseMessage> UploadAsync(HttpClient client, string name, string type, byte[] bytes, bool restricted = false)
        {
            var (_, page) = await GetAsync(client, detail);
            var token = page.QuerySelector("#file-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
            using var content = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
                { new StringContent(restricted ? "true" : "false"), "FileRestricted" },
            };
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue(type);
            content.Add(file, "Upload", name);
            return await client.PostAsync($"{detail}?handler=File", content);
        }

        (await UploadAsync(teacher, "chat.pdf", "application/pdf", pdf)).ShouldRedirectTo($"{detail}?done=file");
        (await (await UploadAsync(teacher, "page.html", "text/html", "<script>alert(1)</script>"u8.ToArray())).Content.ReadAsStringAsync())
            .ShouldContain("That kind of file cannot be attached");
        (await (await UploadAsync(teacher, "fake.png", "image/png", "not a picture"u8.ToArray())).Content.ReadAsStringAsync())
            .ShouldContain("does not match its type");
        using var dsl = await SignInWithTwoFactorAsync(server, "dsl@school.test", PortalRoles.Dsl);
        (await UploadAsync(dsl, "notes.png", "image/png", png, restricted: true)).ShouldRedirectTo($"{detail}?done=file");

        var files = (await AllAsync<IncidentAttachment>(server)).OrderBy(a => a.Id).ToList();
        files.Count.ShouldBe(2);
        files[0].Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(pdf)));
        files[0].Content.ShouldBe(pdf);
        files[1].Restricted.ShouldBeTrue();

        string Url(IncidentAttachment a) => $"{detail}?handler=Attachment&attachment={a.Id}";
        var mine = await teacher.GetAsync(Url(files[0]));
        mine.StatusCode.ShouldBe(HttpStatusCode.OK);
        mine.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        mine.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        (await mine.Content.ReadAsByteArrayAsync()).ShouldBe(pdf);
        (await teacher.GetAsync(Url(files[1]))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var (_, teacherPage) = await GetAsync(teacher, detail);
        teacherPage.QuerySelectorAll("#attachments tbody tr").Length.ShouldBe(1);

        var other = await SignInAsync(server, "other@school.test", PortalRoles.Teacher);
        (await other.GetAsync(Url(files[0]))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await dsl.GetAsync(Url(files[0]))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var notes = await dsl.GetAsync(Url(files[1]));
        notes.StatusCode.ShouldBe(HttpStatusCode.OK);
        notes.Content.Headers.ContentDisposition!.FileName!.Trim('"').ShouldBe("notes.png");

        var downloads = (await AllAsync<AuditEntry>(server)).Where(a => a.Action == IncidentAttachments.AuditAttachmentViewed).OrderBy(a => a.Id).ToList();
        downloads.Select(a => a.Actor).ShouldBe(["teacher@school.test", "dsl@school.test", "dsl@school.test"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Retention_RemovesOnlyClosedIncidentsPastTheirKindsPeriod_AndAuditsTheCounts(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var actor = new IncidentActor("head@school.test", null, [PortalRoles.Head]);
        var behaviour = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.Behaviour, "Old behaviour", [], [], "First.", "head@school.test"));
        var stillOpen = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.Behaviour, "Open behaviour", [], [], "Open.", "head@school.test"));
        var safeguarding = await CreateAsync(server, new NewIncident(TestSchool.Id, IncidentKinds.Safeguarding, "Kept for ever", [], [], "Kept.", "head@school.test"));
        await using (var scope = server.CreateScope())
        {
            var service = scope.ServiceProvider.GetRequiredService<IncidentService>();
            var first = (await service.FindAsync(TestSchool.Id, behaviour.Id, CancellationToken.None))!.Entries[0];
            var correction = await service.AddEntryAsync(TestSchool.Id, behaviour.Id, "Correction.", first.Id, "head@school.test", CancellationToken.None);
            await service.AddEntryAsync(TestSchool.Id, behaviour.Id, "Correction of the correction.", correction.Id, "head@school.test", CancellationToken.None);
            await service.ChangeStatusAsync(TestSchool.Id, behaviour.Id, IncidentStatus.Closed.Key(), "Warned.", actor, CancellationToken.None);
            await service.ChangeStatusAsync(TestSchool.Id, safeguarding.Id, IncidentStatus.Closed.Key(), "Resolved.", actor, CancellationToken.None);
        }

        async Task<int> SweepAsync()
        {
            await using var scope = server.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<IncidentBackground>().SweepRetentionAsync(CancellationToken.None);
        }

        server.Clock.Advance(TimeSpan.FromDays(29));
        (await SweepAsync()).ShouldBe(0);
        server.Clock.Advance(TimeSpan.FromDays(2));
        (await SweepAsync()).ShouldBe(1);

        (await AllAsync<Incident>(server)).Select(i => i.Id).ShouldBe([stillOpen.Id, safeguarding.Id], ignoreOrder: true);
        (await AllAsync<IncidentEntry>(server)).ShouldNotContain(e => e.IncidentId == behaviour.Id);
        var removal = (await AllAsync<AuditEntry>(server)).Single(a => a.Action == IncidentBackground.AuditRetention);
        removal.Subject.ShouldBe(IncidentKinds.Behaviour);
        removal.Detail!.ShouldContain("1 incident(s)");
        removal.Detail!.ShouldContain("30-day retention");
        removal.Detail!.ShouldContain("5 timeline entries", customMessage: "report, notified, two corrections, outcome");
        (await SweepAsync()).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task PolicyLoad_BadIncidentsSection_IsRefusedAtItsLine_AndNothingIsStored(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        var yaml = TestSchool.ExampleYaml.TrimEnd() + "\n\nincidents:\n  kinds:\n    safeguarding:\n      notify: [dsl, safeguarding_team]\n";
        var refused = await Should.ThrowAsync<PolicyInvalidException>(() => TestSchool.LoadPolicyAsync(server, yaml));
        var notifyLine = yaml.Split('\n').Length - 1;
        refused.Errors.ShouldHaveSingleItem().ToString()
            .ShouldStartWith($"example.yaml:{notifyLine}:21: incidents.kinds.safeguarding.notify[2] must be one of dsl, deputy_dsl, head,", Case.Sensitive);
        (await AllAsync<PolicyVersion>(server)).ShouldBeEmpty("nothing is stored");
    }

    [Fact]
    public void Settings_BadValues_AreReportedAtTheirPositions_AndDefaultsFollowTheIssue()
    {
        var defaults = IncidentSettings.From(PolicyLoader.LoadValid(TestSchool.ExampleYaml, "example.yaml"));
        defaults.Find(IncidentKinds.Safeguarding)!.Notify.ShouldBe(["dsl", "deputy_dsl"]);
        defaults.Find(IncidentKinds.StaffViolation)!.Read.ShouldBe(["head"]);
        defaults.Find(IncidentKinds.Security)!.Notify.ShouldBe(["it_provider", "head", "business_manager"]);
        defaults.BreachDeadline.ShouldBe(TimeSpan.FromHours(72));
        defaults.Kinds.ShouldAllBe(k => k.RetentionDays == null);

        var badYaml = TestSchool.ExampleYaml.TrimEnd() + """


            incidents:
              kinds:
                safeguarding:
                  notify: [dsl, safeguarding_team]
                  retention_days: forever
                gossip:
                  read: [head]
              serious:
                count: 0
              data_breach:
                chase_hours: [48, 80]
              colour: blue
            """ + "\n";
        // The policy library checks the section like the rest of the file: every problem, each at its position.
        var errors = PolicyLoader.Load(badYaml, "bad.yaml").Errors.Select(d => d.ToString()).ToList();
        var lines = badYaml.Split('\n');
        int LineOf(string text) => Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal)) + 1;
        errors.ShouldBe(
        [
            $"bad.yaml:{LineOf("safeguarding_team")}:21: incidents.kinds.safeguarding.notify[2] must be one of dsl, deputy_dsl, head, computing_lead, business_manager, it_provider, chair_of_governors, bursar, head_of_year, senior_leadership, it_support, not 'safeguarding_team'",
            $"bad.yaml:{LineOf("forever")}:23: incidents kind 'safeguarding' 'retention_days' must be a whole number of days or 'keep', not 'forever'",
            $"bad.yaml:{LineOf("gossip")}:5: unknown key 'gossip' in incidents.kinds",
            $"bad.yaml:{LineOf("count: 0")}:12: 'count' must be at least 1, not 0",
            $"bad.yaml:{LineOf("chase_hours")}:23: incidents data_breach 'chase_hours': a reminder at 80 hours is not before the 72-hour deadline; each must come before it",
            $"bad.yaml:{LineOf("colour")}:3: unknown key 'colour' in incidents",
        ]);
    }
}
