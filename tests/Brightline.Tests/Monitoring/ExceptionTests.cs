using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Portal;
using Brightline.Safeguarding;
using Brightline.Tests.People;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Monitoring.MonitoringTestKit;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Monitoring;

/// <summary>
/// Issue 16 part 4 (host half): a DSL's false positive proposes an exception to the school's own library, showing how
/// many past alerts it would have silenced; a second safeguarding lead reviews it; approved, it silences that text in
/// that school only; withdrawn, the text is flagged again.
/// </summary>
public sealed class ExceptionTests
{
    private const string Harmless = "in drama club we will kill him off in act two";

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ApprovedException_SilencesThatTextInThatSchoolOnly_UntilWithdrawn(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        await TestSchool.LoadOtherSchoolAsync(server);
        using var agentA = DeviceClient(server, await IssueTokenAsync(server));
        using var agentB = DeviceClient(server, await IssueTokenForAsync(server, TestSchool.OtherId));
        var pupil = await TestSchool.PersonAsync(server, "A001");
        await PostAsync(agentA, Event("a1", text: Harmless, person: pupil.Id));
        await ScoreAsync(server);
        var alert = (await AllAsync<MonitoringAlert>(server)).Single();
        alert.Category.ShouldBe("violence");

        using var dsl = await SignInWithTwoFactorAsync(server, "h.marsh@school.test", PortalRoles.Dsl);
        var (_, page) = await GetAsync(dsl, $"/monitoring/alerts/{alert.Id}");
        page.QuerySelector("#propose-exception").ShouldBeNull("only after a false positive");
        (await SubmitAsync(dsl, page, $"/monitoring/alerts/{alert.Id}?handler=Outcome",
            new Dictionary<string, string> { ["Outcome"] = AlertOutcome.FalsePositive.Key(), ["Note"] = "A drama lesson" }, "#outcome-form")).ShouldRedirectTo($"/monitoring/alerts/{alert.Id}");
        (_, page) = await GetAsync(dsl, $"/monitoring/alerts/{alert.Id}");
        page.QuerySelector("#propose-exception a")!.GetAttribute("href").ShouldBe($"/monitoring/alerts/{alert.Id}/exception");

        // Prefilled from the highlighted words and two words either side; the cost is shown before anything is submitted.
        var proposePath = $"/monitoring/alerts/{alert.Id}/exception";
        (_, page) = await GetAsync(dsl, proposePath);
        page.QuerySelector("#Phrase")!.GetAttribute("value").ShouldBe("we will kill him off in");
        page.QuerySelector("#silenced-count")!.TextContent.ShouldContain("1 past alert");
        page.QuerySelector("#silenced")!.TextContent.ShouldContain(alert.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        page.QuerySelector("#problems").ShouldBeNull();

        // Too short: refused, saying why.
        var refused = await SubmitAsync(dsl, page, proposePath + "?handler=Propose", new Dictionary<string, string> { ["Phrase"] = "kill him" }, "#exception-form");
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("at least 3 words long");

        var proposed = await SubmitAsync(dsl, page, proposePath + "?handler=Propose", new Dictionary<string, string> { ["Phrase"] = "we will kill him off" }, "#exception-form");
        proposed.ShouldRedirectTo("/monitoring/exceptions/");
        var exception = (await AllAsync<MonitoringException>(server)).Single();
        exception.State.ShouldBe(MonitoringExceptionState.Proposed);
        exception.SilencedAtProposal.ShouldBe(1);
        exception.SchoolId.ShouldBe(TestSchool.Id);

        // The proposer cannot review it; a second safeguarding lead can.
        (_, page) = await GetAsync(dsl, $"/monitoring/exceptions/{exception.Id}");
        page.QuerySelector("#review-form").ShouldBeNull();
        page.QuerySelector("#review-who")!.TextContent.ShouldContain("another safeguarding lead");
        using var head = await SignInWithTwoFactorAsync(server, "head@school.test", PortalRoles.Head);
        (_, page) = await GetAsync(head, $"/monitoring/exceptions/{exception.Id}");
        var noNote = await SubmitAsync(head, page, $"/monitoring/exceptions/{exception.Id}?handler=Approve", new Dictionary<string, string> { ["Note"] = "" }, "#review-form");
        (await noNote.Content.ReadAsStringAsync()).ShouldContain("Say why the exception is safe to approve.");
        (await SubmitAsync(head, page, $"/monitoring/exceptions/{exception.Id}?handler=Approve", new Dictionary<string, string> { ["Note"] = "Drama scripts only" }, "#review-form"))
            .ShouldRedirectTo($"/monitoring/exceptions/{exception.Id}?done=approved");

        // The list: school-scoped, names not account addresses.
        var (_, list) = await GetAsync(head, "/monitoring/exceptions");
        var row = list.QuerySelector("#exceptions tbody tr")!.TextContent;
        row.ShouldContain("we will kill him off");
        row.ShouldContain("Approved");
        row.ShouldContain("Helen Marsh", customMessage: "the proposer's name from the staff list");
        row.ShouldNotContain("h.marsh@school.test");

        // Approved: the same text no longer raises an alert in school A, and still does in school B.
        await PostAsync(agentA, Event("a2", text: Harmless, person: pupil.Id, at: new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero)));
        await PostAsync(agentB, Event("b1", text: Harmless, at: new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero)));
        await ScoreAsync(server);
        var alerts = await AllAsync<MonitoringAlert>(server);
        alerts.Count(a => a.SchoolId == TestSchool.Id).ShouldBe(1, "only the first, from before the approval");
        alerts.Count(a => a.SchoolId == TestSchool.OtherId).ShouldBe(1);
        // A real threat beside the harmless context in school A still counts.
        await PostAsync(agentA, Event("a3", text: Harmless + ". honestly i will kill him tomorrow", person: pupil.Id, at: new DateTimeOffset(2026, 11, 25, 7, 0, 0, TimeSpan.Zero)));
        await ScoreAsync(server);
        (await AllAsync<MonitoringAlert>(server)).Count(a => a.SchoolId == TestSchool.Id).ShouldBe(2);

        // Withdrawn (confirmed, with a note): flagged again.
        (_, page) = await GetAsync(head, $"/monitoring/exceptions/{exception.Id}");
        var unconfirmed = await SubmitAsync(head, page, $"/monitoring/exceptions/{exception.Id}?handler=Withdraw", new Dictionary<string, string> { ["Note"] = "Play is over" }, "#withdraw-form");
        (await unconfirmed.Content.ReadAsStringAsync()).ShouldContain("Tick the box to confirm");
        (await SubmitAsync(head, page, $"/monitoring/exceptions/{exception.Id}?handler=Withdraw", new Dictionary<string, string> { ["Note"] = "Play is over", ["Confirm"] = "true" }, "#withdraw-form"))
            .ShouldRedirectTo($"/monitoring/exceptions/{exception.Id}?done=withdrawn");
        await PostAsync(agentA, Event("a4", text: Harmless, person: pupil.Id, at: new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero)));
        await ScoreAsync(server);
        (await AllAsync<MonitoringAlert>(server)).Count(a => a.SchoolId == TestSchool.Id).ShouldBe(3);

        var actions = (await AllAsync<AuditEntry>(server)).Where(e => e.SchoolId == TestSchool.Id).Select(e => e.Action).ToList();
        actions.ShouldContain(MonitoringAuditActions.ExceptionProposed);
        actions.ShouldContain(MonitoringAuditActions.ExceptionApproved);
        actions.ShouldContain(MonitoringAuditActions.ExceptionWithdrawn);

        // School B's safeguarding lead sees none of school A's exceptions.
        using var otherDsl = await SignInWithTwoFactorAsync(server, "dsl@other.test", PortalRoles.Dsl, schoolId: TestSchool.OtherId);
        (await GetAsync(otherDsl, $"/monitoring/exceptions/{exception.Id}")).Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await GetAsync(otherDsl, "/monitoring/exceptions")).Document.QuerySelector("#no-exceptions").ShouldNotBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Propose_OverHelpSeekingOrARealConcern_IsRefusedSayingWhy(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var leo = await TestSchool.PersonAsync(server, "A004");
        await PostAsync(agent, Event("h1", text: "i need help with self harm", person: amelia.Id), Event("c1", text: Harmless, person: leo.Id));
        await ScoreAsync(server);
        await PostAsync(agent, Event("c2", text: Harmless, person: amelia.Id, at: new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero)));
        await ScoreAsync(server);
        var alerts = (await AllAsync<MonitoringAlert>(server)).OrderBy(a => a.Id).ToList();
        var helpSeeking = alerts.Single(a => a.Category == "self-harm");
        var concern = alerts.First(a => a.Category == "violence" && a.PersonId == leo.Id);
        var harmless = alerts.Single(a => a.Category == "violence" && a.PersonId == amelia.Id);
        await using (var scope = server.CreateScope())
        {
            // Recorded as the queue records them (outcomes are not this feature's).
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            foreach (var (id, outcome) in new[] { (helpSeeking.Id, AlertOutcome.FalsePositive), (concern.Id, AlertOutcome.Escalated), (harmless.Id, AlertOutcome.FalsePositive) })
            {
                var a = await db.Set<MonitoringAlert>().FindAsync(id);
                a!.Outcome = outcome;
                a.Status = MonitoringAlertStatus.Closed;
            }

            await db.SaveChangesAsync();
        }

        using var dsl = await SignInWithTwoFactorAsync(server, "dsl@school.test", PortalRoles.Dsl);
        var path = $"/monitoring/alerts/{helpSeeking.Id}/exception";
        var (_, page) = await GetAsync(dsl, path);
        var response = await SubmitAsync(dsl, page, path + "?handler=Propose", new Dictionary<string, string> { ["Phrase"] = "need help with self harm" }, "#exception-form");
        (await response.Content.ReadAsStringAsync()).ShouldContain("would also hide a child asking for help");

        path = $"/monitoring/alerts/{harmless.Id}/exception";
        (_, page) = await GetAsync(dsl, path);
        page.QuerySelector("#silenced-count")!.TextContent.ShouldContain("2 past alerts");
        page.QuerySelector("#problems")!.TextContent.ShouldContain($"silenced alert {concern.Id}");
        response = await SubmitAsync(dsl, page, path + "?handler=Propose", new Dictionary<string, string> { ["Phrase"] = "we will kill him off in" }, "#exception-form");
        (await response.Content.ReadAsStringAsync()).ShouldContain("whose outcome was a real concern");
        (await AllAsync<MonitoringException>(server)).ShouldBeEmpty();
    }

    private static async Task<string> IssueTokenForAsync(BrightlineServer server, string schoolId)
    {
        await using var scope = server.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<DeviceTokens>().IssueAsync(schoolId, "Other school PC", "test", null, CancellationToken.None)).Token;
    }
}
