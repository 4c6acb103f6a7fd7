using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Dns.Logging;
using Brightline.Dns.Wire;
using Brightline.DnsFiltering;
using Brightline.Policy.Model;
using Brightline.Tests.Data;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Brightline.Tests.Data.TestSql;

namespace Brightline.Tests.Filtering;

/// <summary>
/// Issue 18 part 4, the decision log at trust volume: on PostgreSQL a table partitioned by day with a default partition,
/// written by binary COPY and purged by dropping whole days; on SQLite one table written in one transaction a batch and
/// purged in bounded batches. Both keep every field and audit each school's purge with its count.
/// </summary>
public sealed class DnsDecisionLogScaleTests
{
    private static readonly Dictionary<string, string?> s_noWorker = new() { ["Brightline:Dns:PurgeWorker"] = "false" };

    private static string PolicyWithRetention(int days) => TestSchool.ExampleYaml
        .Replace("filtering:\n", $"filtering:\n  decision_log:\n    retention_days: {days}\n", StringComparison.Ordinal);

    /// <summary>A server on PostgreSQL without the purge worker; null where no PostgreSQL is configured (BRIGHTLINE_TEST_POSTGRES) outside CI.</summary>
    private static async Task<BrightlineServer?> StartPostgresAsync() =>
        TestDatabases.PostgresAdmin is null && !TestDatabases.InCi
            ? null // PostgreSQL only: SQLite has no partitions and no COPY.
            : await BrightlineServer.StartAsync(DatabaseProvider.Postgres, settings: s_noWorker);

    private static DnsDecisionRecord Record(string? school, DateTimeOffset at, string name) => new(
        at, IPAddress.Parse("10.20.1.5"), name, DnsRecordType.A, DnsTransport.Udp, DnsDecision.Forwarded, DnsResponseCode.NoError,
        null, null, null, null, TimeSpan.FromMilliseconds(1), school);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Store_Batch_KeepsEveryField_IncludingNullsAndNonAsciiText(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: s_noWorker);
        var now = server.Clock.GetUtcNow();
        var person = Guid.NewGuid();
        var full = new DnsDecisionRecord(
            now.AddMilliseconds(-1234), IPAddress.Parse("2001:db8::5"), "bücher.日本.test", DnsRecordType.HTTPS, DnsTransport.Tcp,
            DnsDecision.BlockedNxDomain, DnsResponseCode.NXDomain, "social-networking", "Règle « réseaux sociaux » — bloqué 🚫", "Année-7 Élèves",
            person.ToString(), TimeSpan.FromMilliseconds(3), TestSchool.Id);
        var bare = new DnsDecisionRecord(
            now.AddSeconds(-1), IPAddress.Parse("192.0.2.9"), "x.test", (DnsRecordType)65280, DnsTransport.Udp,
            DnsDecision.Forwarded, DnsResponseCode.NoError, null, null, null, "not a person", TimeSpan.Zero, null);
        var store = server.Services.GetRequiredService<DnsDecisionStore>();
        await store.WriteAsync([full, bare], CancellationToken.None);

        await using var scope = server.CreateScope();
        var rows = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().DnsDecisions.AsNoTracking().OrderBy(d => d.At).ToListAsync();
        rows.Count.ShouldBe(2);
        var a = rows[0];
        (a.SchoolId, a.At, a.ClientAddress, a.PersonId, a.Name, a.QueryType, a.Decision, a.Category, a.Profile, a.Reason).ShouldBe(
            (TestSchool.Id, now.AddMilliseconds(-1234), "2001:db8::5", (Guid?)person, "bücher.日本.test", "HTTPS", "blocked_nx_domain",
             (string?)"social-networking", (string?)"Année-7 Élèves", (string?)"Règle « réseaux sociaux » — bloqué 🚫"));
        var b = rows[1];
        (b.SchoolId, b.At, b.ClientAddress, b.PersonId, b.Name, b.QueryType, b.Decision, b.Category, b.Profile, b.Reason).ShouldBe(
            ((string?)null, now.AddSeconds(-1), "192.0.2.9", (Guid?)null, "x.test", "65280", "forwarded", (string?)null, (string?)null, (string?)null));
        b.Id.ShouldBeGreaterThan(a.Id);

        // Stored as EF stores them, so EF's own filters find them (the SQLite path binds values itself; issue 18 part 5).
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.DnsDecisions.CountAsync(d => d.PersonId == person)).ShouldBe(1);
        (await db.DnsDecisions.CountAsync(d => d.At == now.AddMilliseconds(-1234) && d.Name == "bücher.日本.test")).ShouldBe(1);
        (await db.DnsDecisions.CountAsync(d => d.At >= now.AddSeconds(-1) && d.SchoolId == null)).ShouldBe(1);
    }

    [Fact]
    public async Task Postgres_TheLogIsPartitionedByDay_AndTheDefaultPartitionCatchesADayWithoutOne()
    {
        await using var server = await StartPostgresAsync();
        if (server is null)
        {
            return;
        }

        var now = server.Clock.GetUtcNow();
        var today = DnsDecisionPartitions.DayOf(now);
        var store = server.Services.GetRequiredService<DnsDecisionStore>();
        // A device whose clock is three weeks ahead: no partition for that day, so the default one takes the row.
        await store.WriteAsync([Record(TestSchool.Id, now, "today.test"), Record(TestSchool.Id, now.AddDays(21), "ahead.test")], CancellationToken.None);

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        (await ScalarAsync(connection, "SELECT relkind::text FROM pg_class WHERE relname = 'dns_decisions'")).ShouldBe("p");
        // (The migration also made the real today's week, by the database's clock; the server's clock is the test's.)
        var days = await DnsDecisionPartitions.DaysAsync(connection, CancellationToken.None);
        foreach (var day in Enumerable.Range(0, DnsDecisionPartitions.DaysAhead + 1).Select(today.AddDays))
        {
            days.ShouldContain(day);
        }

        days.ShouldNotContain(today.AddDays(21));
        (await ScalarAsync(connection, $"SELECT \"Name\" FROM {DnsDecisionPartitions.NameOf(today)}")).ShouldBe("today.test");
        (await ScalarAsync(connection, "SELECT \"Name\" FROM dns_decisions_default")).ShouldBe("ahead.test");

        // The next upkeep gives the caught row its own day and empties the default partition.
        (await DnsDecisionPartitions.EnsureAsync(connection, now, CancellationToken.None)).ShouldBe(1);
        (await ScalarAsync(connection, "SELECT count(*) FROM dns_decisions_default")).ShouldBe(0L);
        (await ScalarAsync(connection, $"SELECT \"Name\" FROM {DnsDecisionPartitions.NameOf(today.AddDays(21))}")).ShouldBe("ahead.test");
        (await db.DnsDecisions.CountAsync()).ShouldBe(2);
    }

    [Fact]
    public async Task Postgres_ABatchOfManySchools_IsWrittenSchoolBySchool_InArrivalOrderWithinEach()
    {
        await using var server = await StartPostgresAsync();
        if (server is null)
        {
            return;
        }

        var now = server.Clock.GetUtcNow();
        // A node answering three schools (and a client no school claims), their queries interleaved as they arrive.
        string?[] schools = ["school-b", "school-a", null, "school-c"];
        var batch = Enumerable.Range(0, 40).Select(i => Record(schools[i % 4], now.AddMilliseconds(i), $"q{i}.test")).ToList();
        await server.Services.GetRequiredService<DnsDecisionStore>().WriteAsync(batch, CancellationToken.None);

        await using var scope = server.CreateScope();
        var rows = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().DnsDecisions.AsNoTracking()
            .OrderBy(d => d.Id).Select(d => new { d.SchoolId, d.Name }).ToListAsync();
        // Stored (and numbered) school by school, so a school's rows of a batch share heap pages; no school's rows last.
        rows.Select(r => r.SchoolId).Distinct().ShouldBe(["school-a", "school-b", "school-c", null]);
        foreach (var school in schools)
        {
            rows.Where(r => r.SchoolId == school).Select(r => r.Name).ShouldBe(batch.Where(b => b.School == school).Select(b => b.QueryName));
        }
    }

    [Fact]
    public async Task Postgres_MovingCaughtRowsIntoTheirDay_NeverHidesThemFromAReader()
    {
        await using var server = await StartPostgresAsync();
        if (server is null)
        {
            return;
        }

        var now = server.Clock.GetUtcNow();
        var store = server.Services.GetRequiredService<DnsDecisionStore>();
        // Rows of 30 days with no partition (devices with clocks weeks ahead): the default partition catches them all.
        const int Days = 30, PerDay = 50;
        await store.WriteAsync(
            [.. Enumerable.Range(0, Days * PerDay).Select(i => Record(TestSchool.Id, now.AddDays(21 + (i / PerDay)).AddSeconds(i), $"n{i}.test"))],
            CancellationToken.None);

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var connectionString = db.Database.GetConnectionString();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var expected = (long)(await ScalarAsync(connection, "SELECT count(*) FROM dns_decisions"))!;
        expected.ShouldBe(Days * PerDay);

        // Readers count the whole log, statement after statement, while the upkeep moves each day out of the default
        // partition into its own: every count must see every row, in one place or the other.
        using var moving = new CancellationTokenSource();
        var reading = Enumerable.Range(0, 2).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var readers = reading.Select(started => Task.Run(async () =>
        {
            var counts = new List<long>();
            await using var reader = new NpgsqlConnection(connectionString);
            await reader.OpenAsync();
            while (!moving.IsCancellationRequested && counts.Count < 100_000)
            {
                counts.Add((long)(await ScalarAsync(reader, "SELECT count(*) FROM dns_decisions"))!);
                started.TrySetResult();
            }

            return counts;
        })).ToList();

        await Task.WhenAll(reading.Select(r => r.Task)).WaitAsync(TimeSpan.FromSeconds(30)); // both readers count before the first move
        (await DnsDecisionPartitions.EnsureAsync(connection, now, CancellationToken.None)).ShouldBeGreaterThan(0);
        await moving.CancelAsync();
        var seen = (await Task.WhenAll(readers)).SelectMany(c => c).ToList();

        seen.ShouldNotBeEmpty();
        seen.Where(c => c != expected).ShouldBeEmpty();
        (await ScalarAsync(connection, "SELECT count(*) FROM dns_decisions_default")).ShouldBe(0L);
    }

    [Fact]
    public async Task Postgres_MigrationV0045_KeepsExistingDecisionsAndTheirNumbers()
    {
        if (TestDatabases.PostgresAdmin is null && !TestDatabases.InCi)
        {
            return; // PostgreSQL only (BRIGHTLINE_TEST_POSTGRES).
        }

        var connectionString = await TestDatabases.CreateAsync(DatabaseProvider.Postgres);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // The schema as V0044 left it, recorded as applied, with two decisions of three days ago.
        await OlderSchema.ApplyBeforeAsync(connection, DatabaseProvider.Postgres, 45);

        await ExecuteAsync(connection, """
            INSERT INTO dns_decisions ("Id", "SchoolId", "At", "ClientAddress", "Name", "QueryType", "Decision")
            VALUES (41, 'school-a', now() - interval '3 days', '10.0.0.1', 'one.test', 'A', 'forwarded'),
                   (42, NULL, now() - interval '3 days', '10.0.0.2', 'two.test', 'A', 'blocked')
            """);

        await using (var db = BrightlineDbContextOptions.Create(DatabaseProvider.Postgres, connectionString))
        {
            (await DatabaseMigrator.MigrateAsync(db, DatabaseProvider.Postgres, CancellationToken.None)).ShouldBe(DatabaseMigrator.Scripts(DatabaseProvider.Postgres).Count(s => s.Version >= 45));
        }

        var threeDaysAgo = DnsDecisionPartitions.DayOf(DateTimeOffset.UtcNow.AddDays(-3));
        (await ScalarAsync(connection, $"SELECT string_agg(\"Id\" || ' ' || \"Name\", ', ' ORDER BY \"Id\") FROM {DnsDecisionPartitions.NameOf(threeDaysAgo)}"))
            .ShouldBe("41 one.test, 42 two.test");
        // The numbering carries on after the moved rows (an incident links a decision by its number).
        (await ScalarAsync(connection, """
            INSERT INTO dns_decisions ("At", "ClientAddress", "Name", "QueryType", "Decision") VALUES (now(), '10.0.0.3', 'three.test', 'A', 'forwarded') RETURNING "Id"
            """)).ShouldBe(43L);
        (await ScalarAsync(connection, "SELECT to_regclass('dns_decisions_unpartitioned') IS NULL")).ShouldBe(true);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Purge_DropsOnlyDaysPastEveryRetention_AndDeletesWhatAShorterSchoolRetentionHasPassed(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: s_noWorker);
        await TestSchool.LoadPolicyAsync(server, PolicyWithRetention(7));
        var now = server.Clock.GetUtcNow();
        var store = server.Services.GetRequiredService<DnsDecisionStore>();
        // The school keeps 7 days; decisions no school claimed keep the default 30, the longest, so only days older than
        // 30 days may go whole; the school's 10-day-old decision goes by the batched delete from a day that stays.
        await store.WriteAsync(
        [
            Record(TestSchool.Id, now.AddDays(-40), "school-40.test"),
            Record(null, now.AddDays(-40), "unclaimed-40.test"),
            Record(TestSchool.Id, now.AddDays(-40).AddMinutes(5), "school-40b.test"),
            Record(TestSchool.Id, now.AddDays(-10), "school-10.test"),
            Record(null, now.AddDays(-10), "unclaimed-10.test"),
            Record(TestSchool.Id, now.AddDays(-1), "school-1.test"),
        ], CancellationToken.None);

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await scope.ServiceProvider.GetRequiredService<DnsDecisionRetention>().PurgeAsync(CancellationToken.None)).ShouldBe(4);

        (await db.DnsDecisions.AsNoTracking().OrderBy(d => d.Name).Select(d => d.Name).ToListAsync()).ShouldBe(["school-1.test", "unclaimed-10.test"]);
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.Action == DnsDecisionRetention.AuditAction).ToListAsync();
        audit.Count.ShouldBe(2);
        audit.Single(a => a.SchoolId == TestSchool.Id).Detail.ShouldNotBeNull().ShouldStartWith("3 DNS decision(s) logged before 18/11/2026 10:00 deleted under the policy's 7-day");
        audit.Single(a => a.SchoolId == null).Detail.ShouldNotBeNull().ShouldStartWith("1 DNS decision(s) logged before 26/10/2026 10:00 deleted under the default 30-day");

        if (provider == DatabaseProvider.Postgres)
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            var days = await DnsDecisionPartitions.DaysAsync(connection, CancellationToken.None);
            days.ShouldNotContain(DnsDecisionPartitions.DayOf(now.AddDays(-40)));
            days.ShouldContain(DnsDecisionPartitions.DayOf(now.AddDays(-10)));
            days.ShouldContain(DnsDecisionPartitions.DayOf(now.AddDays(DnsDecisionPartitions.DaysAhead)));
            (await ScalarAsync(connection, "SELECT count(*) FROM dns_decisions_default")).ShouldBe(0L);
            await db.Database.CloseConnectionAsync();
        }

        // A pass with nothing to delete writes nothing.
        (await scope.ServiceProvider.GetRequiredService<DnsDecisionRetention>().PurgeAsync(CancellationToken.None)).ShouldBe(0);
        (await db.AuditEntries.CountAsync(a => a.Action == DnsDecisionRetention.AuditAction)).ShouldBe(2);
    }
}
