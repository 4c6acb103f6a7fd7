using Brightline.AccessChanges;
using Brightline.Data;
using Brightline.Kernel;
using Brightline.Network;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Brightline.Tests.Nodes;

/// <summary>
/// Issue 18 part 3: with several portal nodes on one PostgreSQL database, every node hears every access change, so
/// only the node holding the <c>DisconnectWorker</c> lease acts on them (sends Disconnect-Requests). Another node
/// takes over when the holder stops, and a holder whose lease connection ended stops acting. On SQLite (one node)
/// the worker always acts.
/// </summary>
public sealed class DisconnectLeaderTests
{
    private static readonly AccessChange Sanction = new("example-primary", Guid.NewGuid(), AccessChangeReasons.SanctionImposed);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task OneNodeActsOnAccessChanges_AnotherTakesOver_WhenItStopsOrLosesItsLease(DatabaseProvider provider)
    {
        var database = new DatabaseTarget(provider, await TestDatabases.CreateAsync(provider));
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var (queueOne, workerOne) = Node(database, time);
        var (queueTwo, workerTwo) = Node(database, time);

        await workerOne.StartAsync(CancellationToken.None);
        await workerTwo.StartAsync(CancellationToken.None);
        try
        {
            queueOne.Running.ShouldBeTrue("the first node to start takes the lease");
            if (provider == DatabaseProvider.Sqlite)
            {
                queueTwo.Running.ShouldBeTrue("SQLite is one node: the lease is always granted");
                return;
            }

            queueTwo.Running.ShouldBeFalse("node one holds the lease");
            queueTwo.OnChanged(Sanction);
            queueTwo.Pending.ShouldBe(0, "a node without the lease does not act on a change");

            // The holder stops: the other node takes the lease at its next try.
            await workerOne.StopAsync(CancellationToken.None);
            queueOne.Running.ShouldBeFalse();
            (await Eventually(time, () => queueTwo.Running)).ShouldBeTrue("node two takes the lease once node one let it go");

            // The holder's lease connection ends (the database restarted it): it stops acting at its next check, and
            // (nobody else holding it) takes the lease again at the try after.
            await using (var connection = new NpgsqlConnection(database.ConnectionString))
            {
                await connection.OpenAsync();
                await using var kill = new NpgsqlCommand(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'brightline lease' AND datname = current_database()",
                    connection);
                ((long)(await kill.ExecuteScalarAsync())!).ShouldBe(1L);
            }

            (await Eventually(time, () => !queueTwo.Running)).ShouldBeTrue("node two noticed its lease had gone");
            (await Eventually(time, () => queueTwo.Running)).ShouldBeTrue("and took it again, nobody else holding it");
        }
        finally
        {
            await workerTwo.StopAsync(CancellationToken.None);
            await workerOne.StopAsync(CancellationToken.None);
            workerOne.Dispose();
            workerTwo.Dispose();
        }
    }

    private static (DisconnectQueue Queue, DisconnectWorker Worker) Node(DatabaseTarget database, TimeProvider time)
    {
        var queue = new DisconnectQueue(NullLogger<DisconnectQueue>.Instance);
        var scopes = new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>();
        var worker = new DisconnectWorker(queue, scopes, new WorkLeases(database, NullLogger<WorkLeases>.Instance), time,
            NullLogger<DisconnectWorker>.Instance);
        return (queue, worker);
    }

    /// <summary>Moves the clock on one lease interval at a time until <paramref name="condition"/> holds (at most 10 s of real time).</summary>
    private static async Task<bool> Eventually(FakeTimeProvider time, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            time.Advance(DisconnectWorker.LeaderRetry);
            await Task.Delay(50);
        }

        return condition();
    }
}
