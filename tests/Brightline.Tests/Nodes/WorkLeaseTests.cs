using Brightline.Data;
using Brightline.Kernel;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brightline.Tests.Nodes;

/// <summary>
/// A run-once pass takes a lease (issue 18 part 3): on PostgreSQL an advisory lock that a second node cannot take
/// while the first holds it, and can once it is released; on SQLite (one node) always granted.
/// </summary>
public sealed class WorkLeaseTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Lease_HeldByOneNode_IsRefusedToAnother_UntilReleased(DatabaseProvider provider)
    {
        var database = new DatabaseTarget(provider, await TestDatabases.CreateAsync(provider));
        // Two nodes: each its own WorkLeases, so nothing is shared but the database.
        var nodeOne = new WorkLeases(database, NullLogger<WorkLeases>.Instance);
        var nodeTwo = new WorkLeases(database, NullLogger<WorkLeases>.Instance);

        var held = await nodeOne.TryTakeAsync("WeeklyDigest", CancellationToken.None);
        held.ShouldNotBeNull();
        var other = await nodeTwo.TryTakeAsync("WeeklyDigest", CancellationToken.None);
        await using (var different = await nodeTwo.TryTakeAsync("LeaversWorker", CancellationToken.None))
        {
            different.ShouldNotBeNull("a different pass has a lease of its own");
        }

        if (provider == DatabaseProvider.Postgres)
        {
            other.ShouldBeNull("node one holds the digest's lease");
        }
        else
        {
            other.ShouldNotBeNull("SQLite is one node: the lease is always granted");
            await other.DisposeAsync();
        }

        await held.DisposeAsync();
        await using var after = await nodeTwo.TryTakeAsync("WeeklyDigest", CancellationToken.None);
        after.ShouldNotBeNull("released by node one, so node two may run the pass");
    }
}
