using System.Globalization;
using System.Net;
using Brightline.Data;
using Brightline.Dns.Logging;
using Brightline.Dns.Wire;
using Brightline.DnsFiltering;
using Brightline.Kernel;
using Brightline.Portal;
using Brightline.Tests.Data;
using Brightline.Tests.People;
using Brightline.Tests.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Brightline.Tests.Data.TestSql;

namespace Brightline.Tests.Filtering;

/// <summary>
/// Issue 18 part 4, the decision log's insert rate: on PostgreSQL the (SchoolId, Name, At) index the log's "name
/// contains" search reads is no longer on the partitioned table (kept row by row, it cost ~47 % more database CPU per
/// logged row) but on each day partition, built by the hourly purge pass an hour after the day ends (V0049 for the days
/// already over at the upgrade). PostgreSQL only: SQLite has no partitions and never had the index.
/// </summary>
public sealed class DnsDecisionNameIndexTests
{
    private static readonly Dictionary<string, string?> s_noWorker = new() { ["Brightline:Dns:PurgeWorker"] = "false" };

    private static bool NoPostgres => TestDatabases.PostgresAdmin is null && !TestDatabases.InCi;

    private static DnsDecisionRecord Record(DateTimeOffset at, string name) => new(
        at, IPAddress.Parse("10.20.1.5"), name, DnsRecordType.A, DnsTransport.Udp, DnsDecision.Forwarded, DnsResponseCode.NoError,
        null, null, "pupils", null, TimeSpan.Zero, TestSchool.Id);

    [Fact]
    public async Task Postgres_PurgePass_IndexesNamesOfEndedDays_NotTodayNorTheComingDaysNorTheDefault_AndTwiceIsHarmless()
    {
        if (NoPostgres)
        {
            return; // PostgreSQL only (BRIGHTLINE_TEST_POSTGRES).
        }

        await using var server = await BrightlineServer.StartAsync(DatabaseProvider.Postgres, settings: s_noWorker);
        await TestSchool.LoadPolicyAsync(server);
        var now = server.Clock.GetUtcNow(); // 25/11/2026 10:00 UTC
        var today = DnsDecisionPartitions.DayOf(now);
        await server.Services.GetRequiredService<DnsDecisionStore>().WriteAsync(
            [Record(now.AddDays(-3), "three-days-ago.test"), Record(now.AddDays(-1), "yesterday.test"), Record(now, "today.test")], CancellationToken.None);

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var retention = scope.ServiceProvider.GetRequiredService<DnsDecisionRetention>();
        // The pass moves the two older rows out of the default partition into their days, then indexes the ended days.
        await retention.PurgeAsync(CancellationToken.None);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        (await IndexedPartitionsAsync(connection)).ShouldBe([DnsDecisionPartitions.NameOf(today.AddDays(-3)), DnsDecisionPartitions.NameOf(today.AddDays(-1))]);
        (await ScalarAsync(connection, $"SELECT indexdef FROM pg_indexes WHERE indexname = '{DnsDecisionPartitions.NameIndexOf(today.AddDays(-3))}'"))
            .ShouldBe($"CREATE INDEX {DnsDecisionPartitions.NameIndexOf(today.AddDays(-3))} ON public.{DnsDecisionPartitions.NameOf(today.AddDays(-3))} USING btree (\"SchoolId\", \"Name\", \"At\")");
        // Nothing of it on the partitioned table, so nothing on today's, the coming days' or the default partition.
        (await ScalarAsync(connection, "SELECT count(*) FROM pg_indexes WHERE tablename IN ('dns_decisions', 'dns_decisions_default') AND indexdef LIKE '%\"Name\"%'")).ShouldBe(0L);

        // Running it again builds nothing and fails on nothing.
        await db.Database.CloseConnectionAsync();
        await retention.PurgeAsync(CancellationToken.None);
        await db.Database.OpenConnectionAsync();
        (await DnsDecisionPartitions.IndexNamesAsync(connection, now, CancellationToken.None)).ShouldBe(0);
        (await IndexedPartitionsAsync(connection)).Count.ShouldBe(2);

        // Today's day gets it once it has been over for an hour, not before: a late batch may still be on its way.
        var midnight = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        (await DnsDecisionPartitions.IndexNamesAsync(connection, midnight + DnsDecisionPartitions.NameIndexDelay - TimeSpan.FromSeconds(1), CancellationToken.None)).ShouldBe(0);
        (await DnsDecisionPartitions.IndexNamesAsync(connection, midnight + DnsDecisionPartitions.NameIndexDelay, CancellationToken.None)).ShouldBe(1);
        (await IndexedPartitionsAsync(connection)).ShouldContain(DnsDecisionPartitions.NameOf(today));

        // A late row of an indexed day is still taken, and the planner reads that day's name through its own index.
        await server.Services.GetRequiredService<DnsDecisionStore>().WriteAsync([Record(now.AddDays(-3).AddMinutes(1), "late.test")], CancellationToken.None);
        await using (var tx = await connection.BeginTransactionAsync())
        {
            // The tables hold a few rows, so without this the cheapest plan is to read them whole.
            await using (var off = new NpgsqlCommand("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off", connection, tx))
            {
                await off.ExecuteNonQueryAsync();
            }

            var from = (now.AddDays(-4)).ToString("yyyy-MM-dd HH:mm:ss+00", CultureInfo.InvariantCulture);
            await using var explain = new NpgsqlCommand(
                $"EXPLAIN (COSTS OFF) SELECT * FROM dns_decisions WHERE \"SchoolId\" = '{TestSchool.Id}' AND \"Name\" = 'late.test' AND \"At\" >= '{from}' ORDER BY \"At\" DESC LIMIT 51",
                connection, tx);
            var plan = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetString(0));
                }
            }

            string.Join('\n', plan).ShouldContain($"using {DnsDecisionPartitions.NameIndexOf(today.AddDays(-3))} on {DnsDecisionPartitions.NameOf(today.AddDays(-3))}");
        }

        (await db.DnsDecisions.CountAsync(d => d.Name == "late.test")).ShouldBe(1);
    }

    [Fact]
    public async Task Postgres_NameSearch_GivesTheSameRowsInTheSameOrder_WithAndWithoutTheDayIndexes()
    {
        if (NoPostgres)
        {
            return; // PostgreSQL only (BRIGHTLINE_TEST_POSTGRES).
        }

        await using var server = await BrightlineServer.StartAsync(DatabaseProvider.Postgres, settings: s_noWorker);
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.LoadOtherSchoolAsync(server);
        var now = server.Clock.GetUtcNow();
        var log = await DnsDecisionSummaryTests.WriteAsync(server, DnsDecisionSummaryTests.Records(now));
        using var lead = await PortalTestKit.SignInWithTwoFactorAsync(server, "lead@test.example", PortalRoles.ComputingLead);

        var window = now - TimeSpan.FromDays(Brightline.Policy.Model.DecisionLogSettings.DefaultRetentionDays + 1);
        List<string> Expected(string q, DateTimeOffset from, DateTimeOffset? to = null) =>
            [.. log.Where(d => d.SchoolId == TestSchool.Id && d.Name.Contains(q, StringComparison.OrdinalIgnoreCase) && d.At >= from && (to is null || d.At < to))
                .OrderByDescending(d => d.At).ThenByDescending(d => d.Id).Select(d => d.ClientAddress)];
        var cases = new (string Query, List<string> Expected)[]
        {
            ("q=rare-x", Expected("rare-x", window)),          // one name on three ended days (then through their indexes)
            ("q=n7.", Expected("n7.", window)),                // one common name
            ("q=n1.example", Expected("n1.example", window)),  // several names a day, today's rows first
            ("q=page", Expected("page", window)),              // 60 names on one day: read with the text itself
            ("q=n2&from=10%2F11%2F2026&to=20%2F11%2F2026", Expected("n2", SchoolClock.StartOf(new DateOnly(2026, 11, 10)), SchoolClock.StartOf(new DateOnly(2026, 11, 21)))),
        };
        cases[0].Expected.Count.ShouldBe(3);
        cases[2].Expected.Take(PortalHtml.PageSize).Count(a => log.Single(d => d.ClientAddress == a).At >= new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero))
            .ShouldBeGreaterThan(0, "today's rows, which have no name index, are on the first page");

        // Without: the rows are still in the default partition (the store's first batch made only today's week), unindexed.
        foreach (var (query, expected) in cases)
        {
            (await WalkAsync(lead, query)).ShouldBe(expected.Take(4 * PortalHtml.PageSize).ToList(), "without the day indexes: " + query);
        }

        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            await DnsDecisionPartitions.EnsureAsync(connection, now, CancellationToken.None);
            (await ScalarAsync(connection, "SELECT count(*) FROM dns_decisions_default")).ShouldBe(0L);
            // Every day of the 40 but today has been over for more than an hour (it is 10:00).
            (await DnsDecisionPartitions.IndexNamesAsync(connection, now, CancellationToken.None)).ShouldBeGreaterThan(30);
            await using var analyze = new NpgsqlCommand("ANALYZE dns_decisions", connection);
            await analyze.ExecuteNonQueryAsync();
        }

        foreach (var (query, expected) in cases)
        {
            (await WalkAsync(lead, query)).ShouldBe(expected.Take(4 * PortalHtml.PageSize).ToList(), "with the day indexes: " + query);
        }
    }

    [Fact]
    public async Task Postgres_MigrationV0049_MovesTheNameIndexToTheEndedDays()
    {
        if (NoPostgres)
        {
            return; // PostgreSQL only (BRIGHTLINE_TEST_POSTGRES); SQLite's V0049 changes nothing (MigrationTests compares its schema).
        }

        var connectionString = await TestDatabases.CreateAsync(DatabaseProvider.Postgres);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // The schema as V0048 left it, recorded as applied, with decisions of three days ago (in their own day, made as the
        // upkeep makes it, so it carries V0048's index) and of today, by the database's clock as the migration reads it.
        await OlderSchema.ApplyBeforeAsync(connection, DatabaseProvider.Postgres, 49);

        var utcNow = DateTimeOffset.UtcNow;
        await ExecuteAsync(connection, """
            INSERT INTO dns_decisions ("SchoolId", "At", "ClientAddress", "Name", "QueryType", "Decision")
            VALUES ('school-a', now() - interval '3 days', '10.0.0.1', 'old.test', 'A', 'forwarded'),
                   ('school-a', now(), '10.0.0.2', 'new.test', 'A', 'forwarded')
            """);
        await DnsDecisionPartitions.EnsureAsync(connection, utcNow, CancellationToken.None);
        var old = DnsDecisionPartitions.DayOf(utcNow.AddDays(-3));
        var today = DnsDecisionPartitions.DayOf(utcNow);
        (await ScalarAsync(connection, $"SELECT count(*) FROM pg_indexes WHERE tablename = '{DnsDecisionPartitions.NameOf(old)}' AND indexdef LIKE '%\"Name\"%'")).ShouldBe(1L);

        await using (var db = BrightlineDbContextOptions.Create(DatabaseProvider.Postgres, connectionString))
        {
            (await DatabaseMigrator.MigrateAsync(db, DatabaseProvider.Postgres, CancellationToken.None)).ShouldBe(DatabaseMigrator.Scripts(DatabaseProvider.Postgres).Count(s => s.Version >= 49));
        }

        (await ScalarAsync(connection, "SELECT to_regclass('\"IX_dns_decisions_SchoolId_Name_At\"') IS NULL")).ShouldBe(true);
        // The ended day has exactly one name index, under the name the upkeep looks for; today's has none.
        (await ScalarAsync(connection, $"SELECT string_agg(indexname, ', ') FROM pg_indexes WHERE tablename = '{DnsDecisionPartitions.NameOf(old)}' AND indexdef LIKE '%\"Name\"%'"))
            .ShouldBe(DnsDecisionPartitions.NameIndexOf(old));
        (await ScalarAsync(connection, $"SELECT count(*) FROM pg_indexes WHERE tablename = '{DnsDecisionPartitions.NameOf(today)}' AND indexdef LIKE '%\"Name\"%'")).ShouldBe(0L);
        (await ScalarAsync(connection, $"SELECT count(*) FROM pg_indexes WHERE tablename LIKE 'dns_decisions%' AND indexdef LIKE '%\"Name\"%'")).ShouldBe(1L);
        (await ScalarAsync(connection, "SELECT string_agg(\"Name\", ', ' ORDER BY \"At\") FROM dns_decisions")).ShouldBe("old.test, new.test");
        // The hourly upkeep finds nothing more to do.
        (await DnsDecisionPartitions.IndexNamesAsync(connection, utcNow, CancellationToken.None)).ShouldBe(0);
    }

    /// <summary>The decision log page for this query, up to four pages through "Older decisions": the client addresses shown.</summary>
    private static async Task<List<string>> WalkAsync(HttpClient client, string query)
    {
        var shown = new List<string>();
        var path = "/filtering/log?" + query;
        for (var page = 0; page < 4 && path is not null; page++)
        {
            var (response, document) = await PortalTestKit.GetAsync(client, path);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
            shown.AddRange(document.QuerySelectorAll("main table tbody tr").Select(r => r.QuerySelectorAll("td")[5].TextContent));
            path = document.QuerySelector("a[rel=next]")?.GetAttribute("href");
        }

        return shown;
    }

    /// <summary>The day partitions that have their name index, oldest first.</summary>
    private static async Task<List<string>> IndexedPartitionsAsync(NpgsqlConnection connection)
    {
        var days = await DnsDecisionPartitions.DaysAsync(connection, CancellationToken.None);
        var indexed = new List<string>();
        foreach (var day in days)
        {
            if ((bool)(await ScalarAsync(connection, $"SELECT to_regclass('{DnsDecisionPartitions.NameIndexOf(day)}') IS NOT NULL"))!)
            {
                indexed.Add(DnsDecisionPartitions.NameOf(day));
            }
        }

        return indexed;
    }
}
