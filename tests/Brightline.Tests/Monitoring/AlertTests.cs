using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Portal;
using Brightline.Safeguarding;
using Brightline.Tests.Email;
using Brightline.Tests.People;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Monitoring.MonitoringTestKit;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Monitoring;

/// <summary>Scoring, grouping, routing, escalation and the DSL's queue (issue 4, section 3).</summary>
public sealed class AlertTests
{
    private const string Critical = "i want to die tonight";

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task CriticalPhrase_RaisesAlertAndEmailsDslAndDeputies_WithoutTheText(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var pupil = await TestSchool.PersonAsync(server, "A001");

        var (response, _) = await PostAsync(agent, Event("c1", text: $"homework done. {Critical}", person: pupil.Id));
        await ScoreAsync(server);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);

        var alert = (await AllAsync<MonitoringAlert>(server)).Single();
        alert.Category.ShouldBe("self-harm");
        alert.Severity.ShouldBe("critical");
        alert.PersonId.ShouldBe(pupil.Id);
        alert.Context!.Substring(alert.HighlightStart, alert.HighlightLength).ShouldBe("want to die");
        alert.EscalateAt.ShouldBe(server.Clock.GetUtcNow().AddMinutes(30));

        // DSL (the head holds dsl in the staff import and the policy names one) and the deputy, straight away.
        await server.DeliverEmailAsync();
        var messages = server.Smtp.Messages();
        foreach (var to in new[] { "h.marsh@school.test", "s.okafor@example-primary.example.org", "t.hughes@example-primary.example.org" })
        {
            var mail = messages.Single(m => m.Contains($"X-Rcpt-Args: <{to}>", StringComparison.Ordinal));
            mail.ShouldContain("A critical safeguarding alert needs your attention", Case.Sensitive);
            mail.ShouldContain($"/monitoring/alerts/{alert.Id}", Case.Sensitive);
            mail.ShouldNotContain("die", Case.Insensitive);
            mail.ShouldNotContain("self-harm", Case.Insensitive);
            mail.ShouldNotContain("Amelia", Case.Insensitive);
        }

        messages.Count.ShouldBe(3);
        var entries = await AllAsync<MonitoringAlertEntry>(server);
        entries.Where(e => e.Kind == AlertEntryKind.Notified).Select(e => e.Recipient).ShouldBe(
            ["h.marsh@school.test", "s.okafor@example-primary.example.org", "t.hughes@example-primary.example.org"], ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task RepeatedHits_ByOnePersonWithinTheWindow_GroupIntoOneAlert(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var pupil = await TestSchool.PersonAsync(server, "A001");
        var at = new DateTimeOffset(2026, 11, 25, 8, 30, 0, TimeSpan.Zero);

        await PostAsync(agent, Event("r1", text: Critical, person: pupil.Id, at: at));
        await ScoreAsync(server);
        await PostAsync(agent, Event("r2", text: Critical, person: pupil.Id, at: at.AddMinutes(5)), Event("r3", kind: "search", person: pupil.Id, at: at.AddMinutes(6), url: "https://www.bing.com/search?q=i+want+to+die"));
        await ScoreAsync(server);
        await PostAsync(agent, Event("r4", text: Critical, person: pupil.Id, at: at.AddMinutes(50)));
        await ScoreAsync(server);

        var alerts = (await AllAsync<MonitoringAlert>(server)).OrderBy(a => a.Id).ToList();
        alerts.Count.ShouldBe(2, "the first three within 15 minutes are one alert; the fourth, later, is another");
        alerts[0].HitCount.ShouldBe(3);
        alerts[1].HitCount.ShouldBe(1);
        await server.DeliverEmailAsync();
        server.Smtp.Messages().Count.ShouldBe(6, "three recipients per alert, not per hit");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task UnopenedCriticalAlert_AfterTheLimit_GoesToTheHeadAndIsRecorded(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var pupil = await TestSchool.PersonAsync(server, "A001");
        await PostAsync(agent, Event("c1", text: Critical, person: pupil.Id));
        await ScoreAsync(server);
        await server.DeliverEmailAsync();
        server.Smtp.Messages().Count.ShouldBe(3);

        server.Clock.Advance(TimeSpan.FromMinutes(29));
        (await RunPassAsync(server)).ShouldBe(0, "not yet");
        server.Clock.Advance(TimeSpan.FromMinutes(2));
        (await RunPassAsync(server)).ShouldBe(1);

        await server.DeliverEmailAsync();
        var messages = server.Smtp.Messages();
        messages.Count.ShouldBe(4);
        messages.Count(m => m.Contains("X-Rcpt-Args: <head@example-primary.example.org>", StringComparison.Ordinal)).ShouldBe(1);
        var entry = (await AllAsync<MonitoringAlertEntry>(server)).Single(e => e.Recipient == "head@example-primary.example.org");
        entry.Role.ShouldBe("head");
        entry.At.ShouldBe(server.Clock.GetUtcNow());

        server.Clock.Advance(TimeSpan.FromHours(2));
        (await RunPassAsync(server)).ShouldBe(0, "everyone on the list has been told");
        await server.DeliverEmailAsync();
        server.Smtp.Messages().Count.ShouldBe(4);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task OpeningTheAlert_StopsEscalationAndIsAudited_FalsePositiveNeedsAReason(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var pupil = await TestSchool.PersonAsync(server, "A001");
        var png = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 7, 7, 7]);
        await PostAsync(agent, Event("c1", text: Critical, person: pupil.Id, screenshot: png));
        await ScoreAsync(server);
        var alert = (await AllAsync<MonitoringAlert>(server)).Single();

        using var dsl = await SignInWithTwoFactorAsync(server, "dsl@school.test", PortalRoles.Dsl);
        var (queueResponse, queue) = await GetAsync(dsl, "/monitoring?severity=critical");
        queueResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        queue.QuerySelectorAll("#alerts tbody tr").Length.ShouldBe(1);

        var (opened, page) = await GetAsync(dsl, $"/monitoring/alerts/{alert.Id}");
        opened.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("#capture mark")!.TextContent.ShouldBe("want to die");
        var shot = await dsl.GetAsync(page.QuerySelector("#screenshot")!.GetAttribute("src"));
        shot.StatusCode.ShouldBe(HttpStatusCode.OK);
        shot.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");

        var audited = await AllAsync<AuditEntry>(server);
        audited.Count(e => e.Action == MonitoringAuditActions.CaptureViewed && e.Subject == $"monitoring-alert:{alert.Id}").ShouldBe(2, "the page and the screenshot");
        (await AllAsync<MonitoringAlert>(server)).Single().EscalateAt.ShouldBeNull();

        server.Clock.Advance(TimeSpan.FromHours(1));
        (await RunPassAsync(server)).ShouldBe(0);
        await server.DeliverEmailAsync();
        server.Smtp.Messages().Count.ShouldBe(3, "opened: nobody else is told");

        var refused = await SubmitAsync(dsl, page, $"/monitoring/alerts/{alert.Id}?handler=Outcome", new Dictionary<string, string> { ["Outcome"] = AlertOutcome.FalsePositive.Key(), ["Note"] = "" }, "#outcome-form");
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Give a reason", Case.Sensitive);
        (await AllAsync<MonitoringAlert>(server)).Single().Outcome.ShouldBeNull();

        (await SubmitAsync(dsl, page, $"/monitoring/alerts/{alert.Id}?handler=Outcome", new Dictionary<string, string> { ["Outcome"] = AlertOutcome.FalsePositive.Key(), ["Note"] = "Song lyrics in a music lesson" }, "#outcome-form"))
            .ShouldRedirectTo($"/monitoring/alerts/{alert.Id}?done=outcome");
        var closed = (await AllAsync<MonitoringAlert>(server)).Single();
        closed.Outcome.ShouldBe(AlertOutcome.FalsePositive);
        closed.Status.ShouldBe(MonitoringAlertStatus.Closed);
        closed.OutcomeNote.ShouldBe("Song lyrics in a music lesson");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Queue_IsTheDslsHome_WithHerDeadlinesSoonestFirst_OverdueSaidInWords_OwnSchoolOnly(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        await TestSchool.LoadOtherSchoolAsync(server);
        var now = server.Clock.GetUtcNow();
        // Two data breaches waiting for the ICO decision (one past its 72 hours, one not) and one at the other school.
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            foreach (var (school, title, due) in new[]
            {
                (TestSchool.Id, "Class list emailed to the wrong parent", now.AddHours(-1)),
                (TestSchool.Id, "Unencrypted memory stick lost on a trip", now.AddHours(30)),
                (TestSchool.OtherId, "Other school's breach", now.AddHours(-5)),
            })
            {
                db.Set<Incident>().Add(new Incident
                {
                    Id = Guid.NewGuid(), SchoolId = school, Kind = "data_breach", Title = title, Status = IncidentStatus.Open, CreatedAt = now.AddHours(-2),
                    CreatedBy = "office@school.test", DiscoveredAt = due.AddHours(-72), DecisionDueAt = due,
                });
            }

            await db.SaveChangesAsync();
        }

        using var dsl = await SignInWithTwoFactorAsync(server, "dsl@school.test", PortalRoles.Dsl);
        var (_, queue) = await GetAsync(dsl, "/monitoring");
        var items = queue.QuerySelectorAll("#deadlines li");
        // The policy's next review (1 July 2026 in the example policy) takes its place among them by date.
        var review = new DateOnly(2026, 7, 1);
        var reviewOverdue = Brightline.Kernel.SchoolClock.Today(server.Clock) > review;
        var expected = new[]
        {
            (Title: "Class list emailed to the wrong parent", Due: now.AddHours(-1), Overdue: true),
            (Title: "Unencrypted memory stick lost on a trip", Due: now.AddHours(30), Overdue: false),
            (Title: "ICT and Internet Acceptable Use Policy", Due: Brightline.Kernel.SchoolClock.StartOf(review), Overdue: reviewOverdue),
        }.OrderBy(e => e.Due).ToList();
        items.Select(i => i.QuerySelector("a")!.TextContent).ShouldBe(expected.Select(e => e.Title));
        items.Select(i => i.TextContent.StartsWith("Overdue", StringComparison.Ordinal)).ShouldBe(expected.Select(e => e.Overdue));
        var wrongParent = items.Single(i => i.TextContent.Contains("wrong parent", StringComparison.Ordinal));
        wrongParent.TextContent.ShouldContain("Decide whether to report this data breach to the ICO — was due " + Brightline.Kernel.UkFormat.DateTime(now.AddHours(-1)));
        wrongParent.QuerySelector("a")!.GetAttribute("href")!.ShouldStartWith("/incidents/");
        items.Single(i => i.TextContent.Contains("Acceptable Use", StringComparison.Ordinal)).TextContent.ShouldContain("1 July 2026");
        queue.QuerySelector("#deadlines")!.TextContent.ShouldNotContain("Other school");
        queue.QuerySelector("#no-deadlines").ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Queue_Teacher_CannotSeeItOrAnAlert(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        await PostAsync(agent, Event("c1", text: Critical));
        await ScoreAsync(server);
        var alert = (await AllAsync<MonitoringAlert>(server)).Single();

        using var teacher = await SignInAsync(server, "teacher@school.test", PortalRoles.Teacher);
        (await teacher.GetAsync("/monitoring")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await teacher.GetAsync($"/monitoring/alerts/{alert.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await AllAsync<AuditEntry>(server)).ShouldNotContain(e => e.Action == MonitoringAuditActions.CaptureViewed);
        (await AllAsync<MonitoringAlert>(server)).Single().OpenedAt.ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Queue_FiltersByGroup_NotesAndEscalatedOutcomeAreRecorded(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var leo = await TestSchool.PersonAsync(server, "A004");
        await PostAsync(agent, Event("a1", text: "you are a loser and everyone hates you", person: amelia.Id), Event("l1", text: Critical, person: leo.Id));
        await ScoreAsync(server);
        var alerts = await AllAsync<MonitoringAlert>(server);
        alerts.Count.ShouldBe(2);

        using var head = await SignInWithTwoFactorAsync(server, "head@school.test", PortalRoles.Head);
        var (_, oak) = await GetAsync(head, "/monitoring?group=3+Oak");
        oak.QuerySelectorAll("#alerts tbody tr").Select(r => r.QuerySelector("a")!.TextContent).ShouldBe([$"Alert {alerts.Single(a => a.PersonId == amelia.Id).Id}"]);

        var leoAlert = alerts.Single(a => a.PersonId == leo.Id);
        var (_, page) = await GetAsync(head, $"/monitoring/alerts/{leoAlert.Id}");
        (await SubmitAsync(head, page, $"/monitoring/alerts/{leoAlert.Id}?handler=Note", new Dictionary<string, string> { ["Note"] = "Spoke to Leo's class teacher." }, "#note-form"))
            .ShouldRedirectTo($"/monitoring/alerts/{leoAlert.Id}?done=note");
        var refused = await SubmitAsync(head, page, $"/monitoring/alerts/{leoAlert.Id}?handler=Outcome", new Dictionary<string, string> { ["Outcome"] = AlertOutcome.Escalated.Key() }, "#outcome-form");
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Say what was done", Case.Sensitive);
        (await SubmitAsync(head, page, $"/monitoring/alerts/{leoAlert.Id}?handler=Outcome", new Dictionary<string, string> { ["Outcome"] = AlertOutcome.Escalated.Key(), ["Note"] = "Referred to children's social care." }, "#outcome-form"))
            .ShouldRedirectTo($"/monitoring/alerts/{leoAlert.Id}?done=outcome");

        var timeline = (await AllAsync<MonitoringAlertEntry>(server)).Where(e => e.AlertId == leoAlert.Id).Select(e => e.Kind).ToList();
        timeline.ShouldContain(AlertEntryKind.Opened);
        timeline.ShouldContain(AlertEntryKind.Note);
        timeline.ShouldContain(AlertEntryKind.Outcome);
        var (_, closed) = await GetAsync(head, "/monitoring?status=closed");
        closed.QuerySelectorAll("#alerts tbody tr").Length.ShouldBe(1);
        // The queue is the safeguarding leads' home (issue 17): the incident the escalation opened is named as still open.
        closed.QuerySelector("#active-incidents").ShouldNotBeNull().TextContent.ShouldContain("1 incident is still open");
        (await AllAsync<AuditEntry>(server)).Count(e => e.Action == MonitoringAuditActions.AlertOutcome).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Purge_After45Days_RemovesCapturesExceptEscalatedAndIsAudited(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var png = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 7]);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var leo = await TestSchool.PersonAsync(server, "A004");
        await PostAsync(agent, Event("a1", text: Critical, person: amelia.Id, screenshot: png), Event("l1", text: Critical, person: leo.Id, screenshot: png));
        await ScoreAsync(server);
        var leoAlert = (await AllAsync<MonitoringAlert>(server)).Single(a => a.PersonId == leo.Id);
        await using (var scope = server.CreateScope())
        {
            var http = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>();
            http.HttpContext = new Microsoft.AspNetCore.Http.DefaultHttpContext
            {
                User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                    [new(System.Security.Claims.ClaimTypes.Name, "dsl"), new(System.Security.Claims.ClaimTypes.Role, PortalRoles.Dsl), new(PortalClaims.School, TestSchool.Id)], "test")),
            };
            await scope.ServiceProvider.GetRequiredService<AlertQueue>().RecordOutcomeAsync(leoAlert.Id, AlertOutcome.Escalated.Key(), "Referred.", CancellationToken.None);
        }

        server.Clock.Advance(TimeSpan.FromDays(44));
        (await PurgeAsync(server)).ShouldBe(0, "not yet 45 days");
        server.Clock.Advance(TimeSpan.FromDays(2));
        (await PurgeAsync(server)).ShouldBe(2, "Amelia's event and alert");

        var events = await AllAsync<MonitoringEvent>(server);
        events.Single(e => e.ClientEventId == "a1").Text.ShouldBeNull();
        events.Single(e => e.ClientEventId == "a1").Screenshot.ShouldBeNull();
        events.Single(e => e.ClientEventId == "l1").Text.ShouldBe(Critical, "attached to an escalated concern");
        var alerts = await AllAsync<MonitoringAlert>(server);
        alerts.Single(a => a.PersonId == amelia.Id).Context.ShouldBeNull();
        alerts.Single(a => a.PersonId == leo.Id).Context.ShouldNotBeNull();
        (await AllAsync<AuditEntry>(server)).Single(e => e.Action == MonitoringAuditActions.CapturesPurged).Detail!.ShouldContain("1 event(s) and 1 alert(s)", Case.Sensitive);
    }

    private static async Task<int> PurgeAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AlertProcessor>().PurgeAsync(CancellationToken.None);
    }

    private static async Task<int> RunPassAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AlertProcessor>().RunOnceAsync(CancellationToken.None);
    }
}
