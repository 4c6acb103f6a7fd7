using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Tests.Data;

/// <summary>
/// The SQLite write gate (security issue item 3): every write path releases it however it ends, a writer
/// waits for it instead of failing, and writers that nest the audit log inside their own transaction no
/// longer deadlock against plain appends. On PostgreSQL there is no gate; the same flows must still work.
/// </summary>
public sealed class SqliteWriteGateTests
{
    /// <summary>Generous: a free gate is taken in microseconds; the failure guarded against waited 30 s.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static async Task<string> MigratedAsync(DatabaseProvider provider)
    {
        var connectionString = await TestDatabases.CreateAsync(provider);
        await using var db = BrightlineDbContextOptions.Create(provider, connectionString);
        await DatabaseMigrator.MigrateAsync(db, provider, CancellationToken.None);
        return connectionString;
    }

    /// <summary>Fails unless <paramref name="action"/> throws a <typeparamref name="T"/> or a subclass of it.</summary>
    private static async Task FailsAsync<T>(Func<Task> action)
        where T : Exception
    {
        try
        {
            await action();
        }
        catch (T)
        {
            return;
        }

        throw new ShouldAssertException($"expected {typeof(T).Name}");
    }

    private static School NewSchool(string id) => new() { Id = id, Name = "School " + id, CreatedAt = DateTimeOffset.UnixEpoch };

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task EveryWritePath_ReleasesTheGate_CommitRollbackDisposeErrorAndCancellation(DatabaseProvider provider)
    {
        var connectionString = await MigratedAsync(provider);
        var gate = provider == DatabaseProvider.Sqlite ? SqliteWriteGate.For(connectionString) : null;
        BrightlineDbContext Open() => BrightlineDbContextOptions.Create(provider, connectionString);
        var probes = 0;

        // After each path: the gate is free, and a fresh context can write at once.
        async Task ShouldBeFreeAsync(string after)
        {
            gate?.IsFree.ShouldBeTrue($"the gate is still held after {after}");
            await using var probe = Open();
            probe.Schools.Add(NewSchool($"probe-{++probes}"));
            await probe.SaveChangesAsync().WaitAsync(Bound);
        }

        await using (var db = Open())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            gate?.IsFree.ShouldBeFalse("a transaction holds the gate");
            db.Schools.Add(NewSchool("committed"));
            await db.SaveChangesAsync();
            await tx.CommitAsync();
            gate?.IsFree.ShouldBeTrue("released at commit, before the transaction is disposed");
        }

        await ShouldBeFreeAsync("commit");

        await using (var db = Open())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Schools.Add(NewSchool("rolled-back"));
            await db.SaveChangesAsync();
            await tx.RollbackAsync();
        }

        await ShouldBeFreeAsync("rollback");

        await using (var db = Open())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Schools.Add(NewSchool("disposed"));
            await db.SaveChangesAsync();
        }

        await ShouldBeFreeAsync("dispose without commit");

        await using (var db = Open())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Schools.Add(NewSchool("committed"));
            await FailsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        await ShouldBeFreeAsync("a failed statement inside a transaction");

        await using (var db = Open())
        {
            // The transaction is never disposed by its user: disposing the context ends it.
            await db.Database.BeginTransactionAsync();
            db.Schools.Add(NewSchool("abandoned"));
            await db.SaveChangesAsync();
        }

        await ShouldBeFreeAsync("disposing the context with the transaction open");

        await using (var db = Open())
        {
            db.Schools.Add(NewSchool("committed"));
            await FailsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        await ShouldBeFreeAsync("a failed SaveChanges");

        await using (var db = Open())
        {
            (await db.Schools.Where(s => s.Id == "probe-1").ExecuteUpdateAsync(u => u.SetProperty(s => s.Name, "Renamed"))).ShouldBe(1);
            await FailsAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("INSERT INTO schools (\"Id\", \"Name\", \"CreatedAt\") VALUES ('committed', 'Again', 0)"));
        }

        await ShouldBeFreeAsync("statements outside a transaction, one failing");

        using (var db = Open())
        {
            using var tx = db.Database.BeginTransaction();
            db.Schools.Add(NewSchool("synchronous"));
            db.SaveChanges();
            tx.Commit();
        }

        await ShouldBeFreeAsync("the synchronous APIs");

        if (gate is not null)
        {
            // A writer whose wait is cancelled takes nothing with it.
            await using var holder = Open();
            await using (var tx = await holder.Database.BeginTransactionAsync())
            {
                await using var waiter = Open();
                waiter.Schools.Add(NewSchool("cancelled"));
                using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                await FailsAsync<OperationCanceledException>(() => waiter.SaveChangesAsync(cancel.Token));
                await tx.CommitAsync();
            }

            await ShouldBeFreeAsync("a cancelled wait");
        }

        await using (var check = Open())
        {
            (await check.Schools.Select(s => s.Id).OrderBy(id => id).ToListAsync())
                .ShouldBe(new[] { "committed", "synchronous" }.Concat(Enumerable.Range(1, probes).Select(i => $"probe-{i}")).Order(StringComparer.Ordinal).ToList(),
                    ignoreOrder: true);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Writers_WhileAnotherHoldsATransaction_WaitAndThenSucceed(DatabaseProvider provider)
    {
        var connectionString = await MigratedAsync(provider);
        await using var holder = BrightlineDbContextOptions.Create(provider, connectionString);
        var tx = await holder.Database.BeginTransactionAsync();
        holder.Schools.Add(NewSchool("first"));
        await holder.SaveChangesAsync();

        var writers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            await using var db = BrightlineDbContextOptions.Create(provider, connectionString);
            db.Schools.Add(NewSchool($"queued-{i}"));
            await db.SaveChangesAsync();
        })).ToList();

        // Held for longer than a writer spinning on the file lock would like, shorter than any timeout.
        await Task.Delay(TimeSpan.FromSeconds(1));
        if (provider == DatabaseProvider.Sqlite)
        {
            writers.ShouldAllBe(w => !w.IsCompleted, "SQLite has one writer: the others queue behind the open transaction");
        }

        await tx.CommitAsync();
        await tx.DisposeAsync();
        await Task.WhenAll(writers).WaitAsync(Bound);
        (await holder.Schools.CountAsync()).ShouldBe(9);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AuditAppends_InsideAndOutsideTransactionsAtOnce_AllCommitPromptlyAndTheChainHolds(DatabaseProvider provider)
    {
        // The deadlock behind the 30-second pages: a plain append took the append lock and then asked
        // for the write lock, while an action inside its transaction held the write lock and asked for the append lock.
        var connectionString = await MigratedAsync(provider);
        var time = TimeProvider.System;

        var insideTransactions = Enumerable.Range(0, 3).Select(i => Task.Run(async () =>
        {
            await using var db = BrightlineDbContextOptions.Create(provider, connectionString);
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Schools.Add(NewSchool($"action-{i}"));
            await db.SaveChangesAsync();
            await Task.Delay(200);
            await new AuditLog(db, time).AppendAsync(null, "tester", "action", $"school action-{i}");
            await tx.CommitAsync();
        }));
        var plain = Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            await Task.Delay(50);
            await using var db = BrightlineDbContextOptions.Create(provider, connectionString);
            await new AuditLog(db, time).AppendAsync(null, "tester", AuditActions.SignIn, $"user {i}");
        }));

        await Task.WhenAll(insideTransactions.Concat(plain)).WaitAsync(Bound);

        await using var check = BrightlineDbContextOptions.Create(provider, connectionString);
        var verification = await AuditVerifier.VerifyAsync(check, CancellationToken.None);
        verification.Problems.ShouldBeEmpty();
        verification.Checked.ShouldBe(9);
        (await check.Schools.CountAsync()).ShouldBe(3);
    }
}
