using System.Net;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Portal;
using Brightline.Tests.Email;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Agreements;

/// <summary>
/// Issue 18 part 3, several nodes: a parent chase sending in the background is a <c>chase_runs</c> row, not an object in
/// one node's memory. Its progress page answers on another server on the same database; the same confirmation sent to
/// either sends once; one school has one unfinished run (the unique index decides, whichever node inserts second); a
/// run whose node went silent is reported stopped, with the counts it reached; another school's run is not found.
/// </summary>
public sealed class ChaseRunTests
{
    private const string Manager = "sbm@school.test";

    private static async Task<HttpClient> ManagerAsync(BrightlineServer server, CookieContainer? jar = null)
    {
        await CreateUserAsync(server, Manager, PortalRoles.BusinessManager);
        var client = jar is null ? server.CreateClient() : Client(server, jar);
        (await LoginAsync(client, Manager)).ShouldRedirectTo("/");
        return client;
    }

    /// <summary>A browser's client for <paramref name="server"/> holding <paramref name="jar"/>'s cookies (one browser, two nodes).</summary>
    private static HttpClient Client(BrightlineServer server, CookieContainer jar) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = jar }) { BaseAddress = server.BaseAddress };

    /// <summary>A second server (another node) on <paramref name="first"/>'s database.</summary>
    private static Task<BrightlineServer> SecondNodeAsync(BrightlineServer first) =>
        BrightlineServer.StartAsync(first.Provider, first.Clock.GetUtcNow(), new Dictionary<string, string?>
        {
            ["Brightline:Database:ConnectionString"] = first.Services.GetRequiredService<DatabaseTarget>().ConnectionString,
        });

    /// <summary>Chase emails sent, after the outbox has delivered what it holds.</summary>
    private static async Task<int> ChaseEmailsAsync(BrightlineServer server)
    {
        await server.DeliverEmailAsync();
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().EmailRecords.CountAsync(m => m.Purpose == AgreementService.ChasePurpose);
    }

    private static async Task AddRunAsync(BrightlineServer server, ChaseRunRecord run)
    {
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        db.Add(run);
        await db.SaveChangesAsync();
    }

    private static ChaseRunRecord Unfinished(string schoolId, DateTimeOffset heartbeat) => new()
    {
        Id = Guid.NewGuid(), SchoolId = schoolId, Actor = Manager, StartedAt = heartbeat.AddMinutes(-1), Total = 70, Countersignatures = 75,
        Unreachable = 0, Done = 40, Node = "node-that-died:1234", HeartbeatAt = heartbeat,
    };

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Run_StartedOnOneNode_IsShownByAnother_AndTheSameConfirmationThereSendsNothingMore(DatabaseProvider provider)
    {
        await using var nodeOne = await TestSchool.StartWithPupilsAsync(provider);
        await using var nodeTwo = await SecondNodeAsync(nodeOne);
        // One browser behind a load balancer: signed in through node one, its cookies go to either node.
        var jar = new CookieContainer();
        using var one = await ManagerAsync(nodeOne, jar);
        using var two = Client(nodeTwo, jar);

        var (_, confirm) = await GetAsync(one, "/agreements/chase");
        confirm.QuerySelector("#chase-confirm h2")!.TextContent.ShouldBe("Send 4 reminders?");
        var sent = await SubmitAsync(one, confirm, "/agreements/chase", new Dictionary<string, string>());
        sent.ShouldRedirectTo("/agreements/chase/");
        var progressPath = sent.Headers.Location!.ToString();

        // Node two never held this run in memory: it reads the row.
        var (seen, progress) = await GetAsync(two, progressPath);
        seen.StatusCode.ShouldBe(HttpStatusCode.OK);
        progress.QuerySelector("#chase-progress")!.TextContent.ShouldContain("4 reminders");

        // The same confirmation submitted to the other node (a retry through the load balancer) watches the same run.
        var again = await SubmitAsync(two, confirm, "/agreements/chase", new Dictionary<string, string>());
        again.Headers.Location!.ToString().ShouldBe(progressPath);

        var done = await CountAgreementTests.WaitForFinishedAsync(two, progressPath);
        done.QuerySelector("#chase-progress")!.TextContent.ShouldContain("Sent 4 reminders");
        (await CountAgreementTests.WaitForFinishedAsync(one, progressPath)).QuerySelector("#chase-progress")!.TextContent.ShouldContain("Sent 4 reminders");
        (await ChaseEmailsAsync(nodeOne)).ShouldBe(4, "one email per parent, sent once");

        await using var scope = nodeTwo.CreateScope();
        var row = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<ChaseRunRecord>().AsNoTracking().SingleAsync();
        (row.Id.ToString(), row.Total, row.Done, row.Sent, row.Failed, row.Error).ShouldBe((progressPath.Split('/')[^1], 4, 4, (int?)4, (int?)0, (string?)null));
        row.FinishedAt.ShouldNotBeNull();
        row.Node.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TwoNodesStartingTheSchoolsChaseAtOnce_OneSends_TheOtherWatchesIt(DatabaseProvider provider)
    {
        await using var nodeOne = await TestSchool.StartWithPupilsAsync(provider);
        await using var nodeTwo = await SecondNodeAsync(nodeOne);
        ChasePlan plan;
        await using (var scope = nodeOne.CreateScope())
        {
            plan = await scope.ServiceProvider.GetRequiredService<AgreementService>().PlanChaseAsync(TestSchool.Id, null, CancellationToken.None);
        }

        // Two confirmations (two keys) taken by two nodes at the same moment.
        var started = await Task.WhenAll(
            nodeOne.Services.GetRequiredService<ChaseRuns>().StartRunAsync(Guid.NewGuid(), TestSchool.Id, Manager, plan, CancellationToken.None),
            nodeTwo.Services.GetRequiredService<ChaseRuns>().StartRunAsync(Guid.NewGuid(), TestSchool.Id, Manager, plan, CancellationToken.None));

        started.Count(s => s.Started).ShouldBe(1);
        started[0].Run.Id.ShouldBe(started[1].Run.Id, "the node that lost watches the run that won");
        var runs = nodeOne.Services.GetRequiredService<ChaseRuns>();
        for (var i = 0; i < 600 && !(await runs.FindAsync(TestSchool.Id, started[0].Run.Id, CancellationToken.None))!.Finished; i++)
        {
            await Task.Delay(50);
        }

        (await runs.FindAsync(TestSchool.Id, started[0].Run.Id, CancellationToken.None))!.Outcome.ShouldBe(new ChaseOutcome(4, 0));
        (await ChaseEmailsAsync(nodeOne)).ShouldBe(4, "sent once, not once per node");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task OneUnfinishedRunPerSchool_AnotherConfirmationWatchesIt_AndTheDatabaseRefusesASecond(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        using var client = await ManagerAsync(server);
        var (_, confirm) = await GetAsync(client, "/agreements/chase");

        // Another node is sending this school's chase (its heartbeat is fresh).
        var running = Unfinished(TestSchool.Id, server.Clock.GetUtcNow());
        await AddRunAsync(server, running);

        (await client.GetAsync("/agreements/chase")).ShouldRedirectTo($"/agreements/chase/{running.Id}");
        var submitted = await SubmitAsync(client, confirm, "/agreements/chase", new Dictionary<string, string>());
        submitted.ShouldRedirectTo($"/agreements/chase/{running.Id}");
        var (_, progress) = await GetAsync(client, $"/agreements/chase/{running.Id}");
        progress.QuerySelector("#chase-progress[data-state=sending]")!.TextContent.ShouldContain("Sending 40 of 70 reminders");
        (await ChaseEmailsAsync(server)).ShouldBe(0, "a second confirmation sends nothing while one is sending");

        // Two nodes inserting at the same moment: the unique index on the unfinished run refuses the second.
        await Should.ThrowAsync<DbUpdateException>(() => AddRunAsync(server, Unfinished(TestSchool.Id, server.Clock.GetUtcNow())));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task RunWhoseNodeWentSilent_IsReportedStoppedWithItsCounts_AndTheSchoolCanChaseAgain(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        using var client = await ManagerAsync(server);
        var lost = Unfinished(TestSchool.Id, server.Clock.GetUtcNow() - ChaseRuns.Silence - TimeSpan.FromSeconds(1));
        await AddRunAsync(server, lost);

        var (response, page) = await GetAsync(client, $"/agreements/chase/{lost.Id}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var status = page.QuerySelector("#chase-progress[data-state=finished]")!.TextContent;
        status.ShouldContain("The server stopped while sending.");
        status.ShouldContain("40 of 70 reminders were sent");
        status.ShouldContain("Chase again to send the rest");

        await using (var scope = server.CreateScope())
        {
            var row = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<ChaseRunRecord>().AsNoTracking().SingleAsync(r => r.Id == lost.Id);
            row.FinishedAt.ShouldNotBeNull();
            row.Error.ShouldBe(ChaseRuns.ServerStopped);
            row.Done.ShouldBe(40);
        }

        // No longer "sending": the confirmation is offered again instead of the dead run.
        var (again, confirm) = await GetAsync(client, "/agreements/chase");
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        confirm.QuerySelector("#chase-confirm h2")!.TextContent.ShouldBe("Send 4 reminders?");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SilentRun_SeenByTheConfirmationFirst_DoesNotBlockANewChase(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        using var client = await ManagerAsync(server);
        var lost = Unfinished(TestSchool.Id, server.Clock.GetUtcNow() - ChaseRuns.Silence - TimeSpan.FromSeconds(1));
        await AddRunAsync(server, lost);

        var (_, confirm) = await GetAsync(client, "/agreements/chase");
        confirm.QuerySelector("#chase-confirm h2")!.TextContent.ShouldBe("Send 4 reminders?");
        var sent = await SubmitAsync(client, confirm, "/agreements/chase", new Dictionary<string, string>());
        sent.ShouldRedirectTo("/agreements/chase/");
        sent.Headers.Location!.ToString().ShouldNotBe($"/agreements/chase/{lost.Id}");
        (await CountAgreementTests.WaitForFinishedAsync(client, sent.Headers.Location!.ToString()))
            .QuerySelector("#chase-progress")!.TextContent.ShouldContain("Sent 4 reminders");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AnotherSchoolsRun_IsNotFound(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        using var client = await ManagerAsync(server);
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            db.Schools.Add(new School { Id = "st-other", Name = "St Other Primary", CreatedAt = server.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        var theirs = Unfinished("st-other", server.Clock.GetUtcNow());
        await AddRunAsync(server, theirs);

        (await client.GetAsync($"/agreements/chase/{theirs.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync($"/agreements/chase/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Their chase sending does not stop this school's.
        (await client.GetAsync("/agreements/chase")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
