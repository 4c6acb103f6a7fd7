using System.Net;
using System.Text;
using System.Text.Json;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Safeguarding;
using Brightline.Tests.Email;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Monitoring.MonitoringTestKit;

namespace Brightline.Tests.Monitoring;

/// <summary>
/// The ingestion pipeline of issue 4: a batch is committed before it is acknowledged and scored afterwards
/// by the background worker, which finds unscanned events in the database (so restarts lose nothing) and
/// scores one batch after another (so concurrent batches for one person join one alert).
/// </summary>
public sealed class IngestionPipelineTests
{
    private const string Critical = "i want to die tonight";

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Batch_ResentConcurrentlyAndAgain_IsStoredOnceAndEveryCopyIsAccountedFor(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var events = Enumerable.Range(0, 100).Select(i => Event($"dup-{i}", text: $"note {i} about fractions")).ToArray();

        // Eight copies at once (a client retrying after a timeout), then one more after they are all answered.
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(agent, events)));
        var late = await PostAsync(agent, events);
        answers = [.. answers, late];

        answers.ShouldAllBe(a => a.Response.StatusCode == HttpStatusCode.OK);
        answers.Sum(a => a.Body.GetProperty("accepted").GetInt32()).ShouldBe(100, "each event is accepted by exactly one copy");
        answers.Sum(a => a.Body.GetProperty("duplicates").GetInt32()).ShouldBe(800);
        late.Body.GetProperty("accepted").GetInt32().ShouldBe(0);
        var stored = await AllAsync<MonitoringEvent>(server);
        stored.Count.ShouldBe(100);
        stored.Select(e => e.ClientEventId).Distinct(StringComparer.Ordinal).Count().ShouldBe(100);

        // The same client ID from another device is a different event.
        using var other = DeviceClient(server, await IssueTokenAsync(server, "ICT suite PC 2"));
        (await PostAsync(other, events[0])).Body.GetProperty("accepted").GetInt32().ShouldBe(1);
        (await AllAsync<MonitoringEvent>(server)).Count.ShouldBe(101);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Batch_OneMalformedEventAmongAHundred_StoresTheOthersAndNamesTheBadOneByIndex(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var pupil = await TestSchool.PersonAsync(server, "A001");
        var good = Enumerable.Range(0, 100).Select(i => JsonSerializer.Serialize(Event($"m-{i}", text: $"reading log {i}", person: pupil.Id))).ToArray();
        good[37] = "{\"id\": \"m-37\", \"occurredAt\": \"2026-11-25T09:00:00Z\", \"text\": \"no kind\"}";
        var json = "{\"events\": [" + string.Join(',', good) + "]}";

        var response = await agent.PostAsync("/api/v1/monitoring/events", new StringContent(json, Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("accepted").GetInt32().ShouldBe(99);
        body.GetProperty("rejected").GetInt32().ShouldBe(1);
        var bad = body.GetProperty("results")[37];
        bad.GetProperty("index").GetInt32().ShouldBe(37);
        bad.GetProperty("id").GetString().ShouldBe("m-37");
        bad.GetProperty("status").GetString().ShouldBe("rejected");
        bad.GetProperty("error").GetString()!.ShouldStartWith("kind:", Case.Sensitive);

        var stored = await AllAsync<MonitoringEvent>(server);
        stored.Count.ShouldBe(99);
        stored.ShouldNotContain(e => e.ClientEventId == "m-37");
        stored.ShouldAllBe(e => e.PersonId == pupil.Id && e.ScannedAt == null, "stored now, scored later");
        (await ScoreAsync(server)).ShouldBe(99);
        (await AllAsync<MonitoringEvent>(server)).ShouldAllBe(e => e.ScannedAt != null);
        (await ScoreAsync(server)).ShouldBe(0, "nothing is scored twice");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Event_AcknowledgedThenServerRestartedBeforeScoring_IsScoredAndEmailedAfterRestart(DatabaseProvider provider)
    {
        string connectionString;
        var pupil = Guid.Empty;
        await using (var first = await StartSchoolAsync(provider))
        {
            connectionString = first.Services.GetRequiredService<DatabaseTarget>().ConnectionString;
            using var agent = DeviceClient(first, await IssueTokenAsync(first));
            pupil = (await TestSchool.PersonAsync(first, "A001")).Id;
            var (response, body) = await PostAsync(agent, Event("r1", text: Critical, person: pupil), Event("r2", text: "spelling test"));
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            body.GetProperty("accepted").GetInt32().ShouldBe(2);
            (await AllAsync<MonitoringAlert>(first)).ShouldBeEmpty("this server's worker is off: it stops before scoring");
            first.Smtp.Messages().ShouldBeEmpty();
        }

        // A new process on the same database, with its background worker on: its first pass finds the events.
        await using var second = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Brightline:Database:ConnectionString"] = connectionString,
            ["Brightline:Monitoring:Worker"] = "true",
        });
        var alert = await WaitForAsync(async () => (await AllAsync<MonitoringAlert>(second)).SingleOrDefault());
        alert.PersonId.ShouldBe(pupil);
        alert.Severity.ShouldBe("critical");
        (await AllAsync<MonitoringEvent>(second)).ShouldAllBe(e => e.ScannedAt != null);
        await WaitForAsync(() => Task.FromResult(second.Smtp.Messages().Count == 3 ? "sent" : null));
        (await second.Services.GetRequiredService<ScoringWorker>().ProcessPendingAsync(CancellationToken.None)).ShouldBe(0);
        second.Smtp.Messages().Count.ShouldBe(3, "the DSL and the two deputies, once each");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ConcurrentBatches_ForOnePerson_JoinOneOpenAlert_EmailedOnce(DatabaseProvider provider)
    {
        // The background worker is on and the test scores at the same time, so passes overlap with each other and with ingestion.
        await using var server = await StartSchoolAsync(provider, worker: true);
        var pupil = await TestSchool.PersonAsync(server, "A004");
        using var pc1 = DeviceClient(server, await IssueTokenAsync(server, "ICT suite PC 1"));
        using var pc2 = DeviceClient(server, await IssueTokenAsync(server, "Library laptop 3"));
        var at = server.Clock.GetUtcNow().AddMinutes(-10);

        var posts = Enumerable.Range(0, 12).Select(i => PostAsync(i % 2 == 0 ? pc1 : pc2,
            Event($"c{i}-a", text: Critical, person: pupil.Id, at: at.AddSeconds(i)),
            Event($"c{i}-b", text: "and the maths homework", person: pupil.Id, at: at.AddSeconds(i))));
        var scores = Enumerable.Range(0, 4).Select(_ => Task.Run(() => ScoreAsync(server)));
        var answers = await Task.WhenAll(posts);
        await Task.WhenAll(scores);
        await ScoreAsync(server);

        answers.ShouldAllBe(a => a.Response.StatusCode == HttpStatusCode.OK && a.Body.GetProperty("accepted").GetInt32() == 2);
        var alerts = (await AllAsync<MonitoringAlert>(server)).Where(a => a.PersonId == pupil.Id && a.Category == "self-harm").ToList();
        alerts.Count.ShouldBe(1, "twelve concurrent batches for one person and category are one alert");
        alerts[0].HitCount.ShouldBeGreaterThanOrEqualTo(12);
        (await AllAsync<MonitoringEvent>(server)).ShouldAllBe(e => e.ScannedAt != null);
        var notified = (await AllAsync<MonitoringAlertEntry>(server)).Where(e => e.Kind == AlertEntryKind.Notified).ToList();
        notified.Count.ShouldBe(3, "each recipient is told once");
        await server.DeliverEmailAsync();
        server.Smtp.Messages().Count.ShouldBe(3);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task BackgroundWorker_AfterABatchIsAcknowledged_RaisesTheAlertUnasked(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider, worker: true);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var pupil = await TestSchool.PersonAsync(server, "A001");

        (await PostAsync(agent, Event("w1", text: Critical, person: pupil.Id))).Response.StatusCode.ShouldBe(HttpStatusCode.OK);

        // No clock is advanced and nothing is called: the batch's signal wakes the worker.
        var alert = await WaitForAsync(async () => (await AllAsync<MonitoringAlert>(server)).SingleOrDefault());
        alert.PersonId.ShouldBe(pupil.Id);
        await WaitForAsync(() => Task.FromResult(server.Smtp.Messages().Count == 3 ? "sent" : null));
    }

    /// <summary>Polls (real time, at most 30 s) until <paramref name="probe"/> returns something.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The background worker did not finish within 30 seconds.");
            }

            await Task.Delay(50);
        }
    }
}
