using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Safeguarding;
using Brightline.Portal;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using static Brightline.Tests.Monitoring.MonitoringTestKit;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Monitoring;

/// <summary>Deleting one person's monitoring data on request: confirmed, audited, escalated concerns kept.</summary>
public sealed class ErasureTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Erase_AfterConfirmation_DeletesThePersonsEventsAndAlerts_ButKeepsEscalatedConcerns(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var leo = await TestSchool.PersonAsync(server, "A004");
        await PostAsync(agent,
            Event("a1", text: "i want to die tonight", person: amelia.Id),
            Event("a2", text: "you are a loser and everyone hates you", person: amelia.Id),
            Event("a3", kind: "url", url: "https://www.example.org/maths", person: amelia.Id),
            Event("l1", text: "i want to die tonight", person: leo.Id));
        await ScoreAsync(server);
        var alerts = await AllAsync<MonitoringAlert>(server);
        var selfHarm = alerts.Single(a => a.PersonId == amelia.Id && a.Category == "self-harm");
        alerts.Count(a => a.PersonId == amelia.Id).ShouldBe(2);

        using var dsl = await SignInWithTwoFactorAsync(server, "dsl@school.test", PortalRoles.Dsl);
        var (_, alertPage) = await GetAsync(dsl, $"/monitoring/alerts/{selfHarm.Id}");
        alertPage.QuerySelector("#erase-link")!.GetAttribute("href").ShouldBe($"/monitoring/erase/{amelia.Id}");
        (await SubmitAsync(dsl, alertPage, $"/monitoring/alerts/{selfHarm.Id}?handler=Outcome", new Dictionary<string, string> { ["Outcome"] = AlertOutcome.Escalated.Key(), ["Note"] = "Referred to children's social care." }, "#outcome-form"))
            .ShouldRedirectTo($"/monitoring/alerts/{selfHarm.Id}?done=outcome");

        var (_, page) = await GetAsync(dsl, $"/monitoring/erase/{amelia.Id}");
        page.QuerySelector("#preview")!.TextContent.ShouldContain("2 monitoring events", Case.Sensitive);
        page.QuerySelector("#kept")!.TextContent.ShouldContain("1 alert is kept", Case.Sensitive);

        var unconfirmed = await SubmitAsync(dsl, page, $"/monitoring/erase/{amelia.Id}", new Dictionary<string, string>(), "#erase-form");
        unconfirmed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await unconfirmed.Content.ReadAsStringAsync()).ShouldContain("Tick the box", Case.Sensitive);
        (await AllAsync<MonitoringEvent>(server)).Count.ShouldBe(4, "nothing deleted without confirmation");

        var done = await SubmitAsync(dsl, page, $"/monitoring/erase/{amelia.Id}", new Dictionary<string, string> { ["Confirm"] = "true" }, "#erase-form");
        done.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await done.Content.ReadAsStringAsync()).ShouldContain("Deleted 2 events and 1 alert.", Case.Sensitive);

        var events = await AllAsync<MonitoringEvent>(server);
        events.Select(e => e.ClientEventId).ShouldBe(["a1", "l1"], ignoreOrder: true);
        var left = await AllAsync<MonitoringAlert>(server);
        left.Where(a => a.PersonId == amelia.Id).Select(a => a.Id).ShouldBe([selfHarm.Id], "attached to an escalated concern");
        left.Count(a => a.PersonId == leo.Id).ShouldBe(1);
        (await AllAsync<AuditEntry>(server)).Single(e => e.Action == MonitoringErasure.AuditAction).Detail!
            .ShouldBe("2 event(s) and 1 alert(s) deleted; 1 alert(s) attached to an escalated concern kept, with 1 event(s)");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Erase_DeputyOrTeacher_IsForbidden(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        using var teacher = await SignInAsync(server, "teacher@school.test", PortalRoles.Teacher);
        (await teacher.GetAsync($"/monitoring/erase/{amelia.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var deputy = await SignInWithTwoFactorAsync(server, "deputy@school.test", PortalRoles.DeputyDsl);
        (await deputy.GetAsync($"/monitoring/erase/{amelia.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
