using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using Brightline.Data;
using Brightline.Data.Entities;
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

namespace Brightline.Tests.Filtering;

/// <summary>
/// Issue 18 part 4, the decision log at trust volume: the daily summaries DnsDecisionStore keeps beside the log
/// (dns_decision_days' counts, dns_decision_names' names) always hold exactly what the log holds, and the pages that now read them
/// (the trends chart, the log's "name contains" search) answer exactly what they answered from the log alone: the same
/// rows in the same order, page after page, and the same counts. On SQLite and PostgreSQL.
/// </summary>
public sealed class DnsDecisionSummaryTests
{
    private static readonly Dictionary<string, string?> s_noWorker = new() { ["Brightline:Dns:PurgeWorker"] = "false" };

    private static readonly string[] s_categories = ["games", "gambling", "social-networking"];
    private static readonly string?[] s_profiles = ["bench-a", "bench-b", null];

    /// <summary>
    /// A log shaped like a school's: names repeated with a skewed distribution, a rare name on three days, sixty names
    /// containing "page" on one day (more than one read takes), one instant shared by several decisions (the order then
    /// rests on the number), decisions of another school and of no school, days in British Summer Time, and records
    /// out of time order within a batch (the numbers then do not follow the times).
    /// </summary>
    internal static List<DnsDecisionRecord> Records(DateTimeOffset now)
    {
        var random = new Random(18);
        var records = new List<DnsDecisionRecord>();
        var i = 0;
        DnsDecisionRecord Make(DateTimeOffset at, string name, string? school)
        {
            i++;
            var blocked = random.Next(4) == 0;
            var decision = blocked ? (random.Next(2) == 0 ? DnsDecision.Blocked : DnsDecision.BlockedNxDomain) : DnsDecision.Forwarded;
            var category = blocked ? random.Next(5) == 0 ? null : s_categories[random.Next(s_categories.Length)] : null;
            // Every record has its own client address, so a test can tell the rows apart on the page.
            var client = IPAddress.Parse($"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}");
            return new DnsDecisionRecord(at, client, name, DnsRecordType.A, DnsTransport.Udp, decision, DnsResponseCode.NoError,
                category, blocked ? "category blocked" : null, s_profiles[random.Next(s_profiles.Length)], null, TimeSpan.Zero, school);
        }

        for (var n = 0; n < 2400; n++)
        {
            // Skewed: name k with a weight about 1/k, 120 names.
            var k = (int)Math.Min(119, Math.Floor(Math.Exp(random.NextDouble() * Math.Log(120))));
            var at = now.AddSeconds(-random.Next(40 * 86400));
            var school = random.Next(10) switch { 0 => TestSchool.OtherId, 1 => null, _ => TestSchool.Id };
            records.Add(Make(at, $"n{k}.example.test", school));
        }

        foreach (var days in new[] { 2, 9, 23 })
        {
            records.Add(Make(now.AddDays(-days).AddMinutes(-37), "rare-x.test", TestSchool.Id));
        }

        for (var p = 0; p < 60; p++)
        {
            records.Add(Make(now.AddDays(-4).AddMinutes(-p), $"page{p}.school.test", TestSchool.Id));
        }

        var same = now.AddHours(-5);
        for (var s = 0; s < 5; s++)
        {
            records.Add(Make(same, "n1.example.test", TestSchool.Id));
        }

        // 11 July 00:30 in the UK is still 10 July in UTC; 25 October 00:30 UTC is 01:30 BST, 01:30 UTC is 01:30 GMT.
        foreach (var at in new[] { "2026-07-10T23:30:00Z", "2026-07-11T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", "2026-10-24T23:10:00Z" })
        {
            records.Add(Make(DateTimeOffset.Parse(at, CultureInfo.InvariantCulture), "summer.test", TestSchool.Id));
        }

        return [.. records.OrderBy(_ => random.Next())];
    }

    internal static async Task<List<DnsDecisionEntry>> WriteAsync(BrightlineServer server, List<DnsDecisionRecord> records)
    {
        var store = server.Services.GetRequiredService<DnsDecisionStore>();
        foreach (var batch in records.Chunk(200))
        {
            await store.WriteAsync(batch, CancellationToken.None);
        }

        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().DnsDecisions.AsNoTracking().ToListAsync();
    }

    /// <summary>The summaries as the log's rows count them (schools only; "" for no profile or category).</summary>
    private static async Task SummariesShouldCountTheLogAsync(BrightlineServer server, Func<DateOnly, bool>? days = null)
    {
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var log = (await db.DnsDecisions.AsNoTracking().Where(d => d.SchoolId != null).ToListAsync())
            .Where(d => days?.Invoke(SchoolClock.DateOf(d.At)) ?? true).ToList();
        var expectedDays = log.GroupBy(d => $"{d.SchoolId} {SchoolClock.DateOf(d.At):yyyy-MM-dd} {d.Decision} {d.Profile ?? ""} {d.Category ?? ""}")
            .Select(g => $"{g.Key} = {g.Count()}").Order(StringComparer.Ordinal).ToList();
        var expectedNames = log.Select(d => $"{d.SchoolId} {SchoolClock.DateOf(d.At):yyyy-MM-dd} {d.Name}").Distinct().Order(StringComparer.Ordinal).ToList();
        var actualDays = (await db.DnsDecisionDays.AsNoTracking().ToListAsync()).Where(d => days?.Invoke(d.Day) ?? true)
            .Select(d => $"{d.SchoolId} {d.Day:yyyy-MM-dd} {d.Decision} {d.Profile} {d.Category} = {d.Count}").Order(StringComparer.Ordinal).ToList();
        var actualNames = (await db.DnsDecisionNames.AsNoTracking().ToListAsync()).Where(d => days?.Invoke(d.Day) ?? true)
            .Select(d => $"{d.SchoolId} {d.Day:yyyy-MM-dd} {d.Name}").Order(StringComparer.Ordinal).ToList();
        actualDays.ShouldBe(expectedDays);
        actualNames.ShouldBe(expectedNames);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Store_KeepsBothSummaries_CountingExactlyTheLoggedRows_ByUkDay(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: s_noWorker);
        var records = Records(server.Clock.GetUtcNow());
        await WriteAsync(server, records);
        await SummariesShouldCountTheLogAsync(server);

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        // The UK day, not the UTC one: 23:30 UTC on 10 July is 00:30 on 11 July in London.
        (await db.DnsDecisionNames.Where(n => n.Name == "summer.test").OrderBy(n => n.Day).Select(n => n.Day).ToListAsync())
            .ShouldBe([new DateOnly(2026, 7, 11), new DateOnly(2026, 10, 25)]);
        (await db.DnsDecisionNames.CountAsync(n => n.Name == "n1.example.test")).ShouldBeLessThan(records.Count(r => r.QueryName == "n1.example.test"), "a name is stored once a day, not once a decision");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Store_TodaysNamesWrittenOnce_ThenRemembered_WhileTheCountsGoOn(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: s_noWorker);
        var now = server.Clock.GetUtcNow();
        var store = server.Services.GetRequiredService<DnsDecisionStore>();
        DnsDecisionRecord At(DateTimeOffset at, string name) => new(at, IPAddress.Parse("10.20.1.5"), name, DnsRecordType.A, DnsTransport.Udp,
            DnsDecision.Forwarded, DnsResponseCode.NoError, null, null, "pupils", null, TimeSpan.Zero, TestSchool.Id);

        // Today's names, again and again (remembered after the first batch), and an old day's (never remembered).
        for (var i = 0; i < 3; i++)
        {
            await store.WriteAsync([At(now.AddSeconds(-i), "a.test"), At(now.AddSeconds(-i), "b.test"), At(now.AddDays(-5), "old.test")], CancellationToken.None);
        }

        await store.WriteAsync([At(now, "a.test"), At(now, "c.test")], CancellationToken.None);
        await SummariesShouldCountTheLogAsync(server);
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.DnsDecisionDays.Where(d => d.Day == SchoolClock.DateOf(now)).SumAsync(d => d.Count)).ShouldBe(8);
        (await db.DnsDecisionNames.OrderBy(n => n.Name).Select(n => n.Name).ToListAsync()).ShouldBe(["a.test", "b.test", "c.test", "old.test"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task LogSearch_NameContains_GivesTheSameRowsInTheSameOrderAsFilteringTheWholeLog(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: s_noWorker);
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.LoadOtherSchoolAsync(server);
        var now = server.Clock.GetUtcNow();
        var log = await WriteAsync(server, Records(now));
        using var lead = await PortalTestKit.SignInWithTwoFactorAsync(server, "lead@test.example", PortalRoles.ComputingLead);

        // The log without the summary: the school's rows whose name contains the text, in the window, newest first.
        List<string> Expected(string q, DateTimeOffset from, DateTimeOffset? to = null, string? decision = null) =>
            [.. log.Where(d => d.SchoolId == TestSchool.Id && d.Name.ToLowerInvariant().Contains(q.ToLowerInvariant(), StringComparison.Ordinal)
                    && d.At >= from && (to is null || d.At < to) && (decision is null || d.Decision == decision))
                .OrderByDescending(d => d.At).ThenByDescending(d => d.Id).Select(d => d.ClientAddress)];

        var window = now - TimeSpan.FromDays(Brightline.Policy.Model.DecisionLogSettings.DefaultRetentionDays + 1);
        var cases = new (string Query, List<string> Expected)[]
        {
            ("q=rare-x", Expected("rare-x", window)),                 // one name on three days: one read of those days
            ("q=N1.EXAMPLE", Expected("n1.example", window)),         // the commonest name, and the names n10–n119 besides
            ("q=n7.", Expected("n7.", window)),                       // one common name: stops at the page's end
            ("q=page", Expected("page", window)),                     // 60 names on one day: read with the text itself
            ("q=example", Expected("example", window)),               // every common name
            ("q=nobody-asked", Expected("nobody-asked", window)),     // no name: nothing read
            ("q=n3&decision=blocked", Expected("n3", window, decision: "blocked")),
            ("q=n2&from=10%2F11%2F2026&to=20%2F11%2F2026", Expected("n2", SchoolClock.StartOf(new DateOnly(2026, 11, 10)), SchoolClock.StartOf(new DateOnly(2026, 11, 21)))),
            ("q=summer&from=11%2F07%2F2026&to=11%2F07%2F2026", Expected("summer", SchoolClock.StartOf(new DateOnly(2026, 7, 11)), SchoolClock.StartOf(new DateOnly(2026, 7, 12)))),
            ("q=summer&from=25%2F10%2F2026&to=25%2F10%2F2026", Expected("summer", SchoolClock.StartOf(new DateOnly(2026, 10, 25)), SchoolClock.StartOf(new DateOnly(2026, 10, 26)))),
        };

        cases.Single(c => c.Query == "q=rare-x").Expected.Count.ShouldBe(3);
        cases.Single(c => c.Query == "q=example").Expected.Count.ShouldBeGreaterThan(3 * PortalHtml.PageSize, "the walk crosses pages");
        cases.Single(c => c.Query.StartsWith("q=summer&from=11", StringComparison.Ordinal)).Expected.Count.ShouldBe(2);
        foreach (var (query, expected) in cases)
        {
            // Page after page through "Older decisions" (the keyset), up to four pages.
            var shown = new List<string>();
            var path = "/filtering/log?" + query;
            for (var page = 0; page < 4 && path is not null; page++)
            {
                var document = await PageAsync(lead, path);
                shown.AddRange(document.QuerySelectorAll("main table tbody tr").Select(r => r.QuerySelectorAll("td")[5].TextContent));
                path = document.QuerySelector("a[rel=next]")?.GetAttribute("href");
            }

            shown.ShouldBe(expected.Take(4 * PortalHtml.PageSize).ToList(), query);

            // The CSV export: all of them, in order.
            var csv = await (await lead.GetAsync("/filtering/log?handler=csv&" + query)).Content.ReadAsStringAsync();
            csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[6]).ToList().ShouldBe(expected, query);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Trends_FromTheSummary_CountWhatTheLogCounts(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: s_noWorker);
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.LoadOtherSchoolAsync(server);
        var now = server.Clock.GetUtcNow();
        var log = await WriteAsync(server, Records(now));
        using var lead = await PortalTestKit.SignInWithTwoFactorAsync(server, "lead@test.example", PortalRoles.ComputingLead);

        // The trends page's old query on the log: blocked with a category, since midnight (UK) 29 days before today.
        var since = SchoolClock.StartOf(SchoolClock.Today(server.Clock).AddDays(-29));
        static string Display(string c) => Brightline.Filtering.Categories.TryParse(c, out var k) ? Brightline.Filtering.Categories.Get(k).DisplayName : c;
        var expected = log.Where(d => d.SchoolId == TestSchool.Id && d.At >= since && d.Decision.StartsWith("blocked", StringComparison.Ordinal) && d.Category != null)
            .GroupBy(d => $"{d.Profile ?? "Not known"} / {Display(d.Category!)}")
            .Select(g => $"{g.Key} = {g.Count()}").Order(StringComparer.Ordinal).ToList();
        expected.Count.ShouldBeGreaterThan(6);
        // Decisions just outside the window do not count.
        log.Count(d => d.SchoolId == TestSchool.Id && d.At < since && d.Category != null).ShouldBeGreaterThan(0);

        var page = await PageAsync(lead, "/filtering/trends");
        var table = page.QuerySelector("main table")!;
        var series = table.QuerySelectorAll("thead th").Skip(1).Select(t => t.TextContent).ToList();
        var shown = new List<string>();
        foreach (var row in table.QuerySelectorAll("tbody tr"))
        {
            var group = row.QuerySelector("th")!.TextContent;
            var cells = row.QuerySelectorAll("td").Select(t => t.TextContent).ToList();
            for (var s = 0; s < series.Count; s++)
            {
                if (series[s] != "Total" && cells[s] != "0")
                {
                    shown.Add($"{group} / {series[s]} = {cells[s]}");
                }
            }
        }

        shown.Order(StringComparer.Ordinal).ToList().ShouldBe(expected);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Purge_TakesTheSummaryDaysWithTheirRows_NeverADayTheLogStillHolds(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: s_noWorker);
        await TestSchool.LoadPolicyAsync(server, TestSchool.ExampleYaml.Replace("filtering:\n", "filtering:\n  decision_log:\n    retention_days: 7\n", StringComparison.Ordinal));
        var now = server.Clock.GetUtcNow();
        await WriteAsync(server, Records(now));
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await scope.ServiceProvider.GetRequiredService<DnsDecisionRetention>().PurgeAsync(CancellationToken.None)).ShouldBeGreaterThan(0);

        // This school keeps 7 days: its summary keeps the day the cut-off falls in and after, which count what is left
        // of the log (the cut-off's own day also counted what went that day). The other school (no policy here, so the
        // default 30 days) keeps its own.
        var cutoffDay = SchoolClock.DateOf(now.AddDays(-7));
        (await db.DnsDecisionDays.CountAsync(d => d.SchoolId == TestSchool.Id && d.Day < cutoffDay)).ShouldBe(0);
        (await db.DnsDecisionNames.CountAsync(d => d.SchoolId == TestSchool.Id && d.Day < cutoffDay)).ShouldBe(0);
        (await db.DnsDecisionNames.CountAsync(d => d.SchoolId == TestSchool.Id && d.Day == cutoffDay)).ShouldBeGreaterThan(0);
        (await db.DnsDecisions.CountAsync(d => d.SchoolId == TestSchool.Id && d.At < SchoolClock.StartOf(cutoffDay.AddDays(1)))).ShouldBeLessThan(
            (int)await db.DnsDecisionDays.Where(d => d.SchoolId == TestSchool.Id && d.Day == cutoffDay).SumAsync(d => d.Count));
        await SummariesShouldCountTheLogAsync(server, day => day > cutoffDay);
        (await db.DnsDecisionNames.CountAsync(d => d.SchoolId == TestSchool.OtherId && d.Day < cutoffDay)).ShouldBeGreaterThan(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task MigrationV0048_SummarisesTheDecisionsAlreadyLogged_ByUkDay(DatabaseProvider provider)
    {
        var connectionString = await TestDatabases.CreateAsync(provider);
        await using var db = BrightlineDbContextOptions.Create(provider, connectionString);
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();

        // The schema as V0047 left it, recorded as applied, and decisions either side of the clock changes.
        await OlderSchema.ApplyBeforeAsync(connection, provider, 48);

        var times = new[]
        {
            "2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z", "2026-03-28T23:30:00Z", "2026-07-10T23:30:00Z", "2026-07-10T22:59:00Z",
            "2026-10-24T23:30:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", "2026-11-20T23:59:00Z", "2025-12-31T23:59:59Z",
        }.Select(t => DateTimeOffset.Parse(t, CultureInfo.InvariantCulture)).ToList();
        var rows = new List<DnsDecisionEntry>();
        for (var i = 0; i < times.Count; i++)
        {
            rows.Add(new DnsDecisionEntry
            {
                SchoolId = i % 4 == 3 ? null : "school-a", At = times[i], ClientAddress = "10.0.0." + i, Name = i % 2 == 0 ? "even.test" : "odd.test",
                QueryType = "A", Decision = i % 3 == 0 ? "blocked" : "forwarded", Category = i % 3 == 0 ? "games" : null, Profile = i % 5 == 0 ? null : "pupils",
            });
        }

        // Through EF, so "At" is stored as the model stores it (on SQLite, the converter's 64-bit value).
        db.DnsDecisions.AddRange(rows);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        (await DatabaseMigrator.MigrateAsync(db, provider, CancellationToken.None)).ShouldBe(DatabaseMigrator.Scripts(provider).Count(s => s.Version >= 48));

        var claimed = rows.Where(r => r.SchoolId != null).ToList();
        (await db.DnsDecisionNames.AsNoTracking().ToListAsync()).Select(n => $"{n.SchoolId} {n.Day:yyyy-MM-dd} {n.Name}").Order(StringComparer.Ordinal).ShouldBe(
            claimed.Select(r => $"{r.SchoolId} {SchoolClock.DateOf(r.At):yyyy-MM-dd} {r.Name}").Distinct().Order(StringComparer.Ordinal));
        (await db.DnsDecisionDays.AsNoTracking().ToListAsync()).Select(n => $"{n.SchoolId} {n.Day:yyyy-MM-dd} {n.Decision} {n.Profile} {n.Category} {n.Count}").Order(StringComparer.Ordinal).ShouldBe(
            claimed.GroupBy(r => $"{r.SchoolId} {SchoolClock.DateOf(r.At):yyyy-MM-dd} {r.Decision} {r.Profile ?? ""} {r.Category ?? ""}").Select(g => $"{g.Key} {g.Count()}").Order(StringComparer.Ordinal));
        // The clock changes are where a day is easy to get wrong: 00:30 UTC on 29 March is 29 March; 23:30 UTC on
        // 10 July is 11 July (BST); 00:30 UTC on 25 October is 01:30 BST, still 25 October.
        (await db.DnsDecisionNames.AsNoTracking().Select(n => n.Day).Distinct().CountAsync()).ShouldBeGreaterThan(5);
    }

    private static async Task<IDocument> PageAsync(HttpClient client, string path)
    {
        var (response, document) = await PortalTestKit.GetAsync(client, path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        return document;
    }
}
