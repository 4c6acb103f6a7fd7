using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Brightline.AccessChanges;
using Brightline.Agreements;
using Brightline.ClientBindings;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.People;
using Brightline.Sanctions;
using Brightline.Tests.Filtering;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.Nodes;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;

namespace Brightline.Tests.Access;

/// <summary>
/// Access changes are events (architecture issue, item 3): a sanction, a countersignature or a leaver is
/// published with the change and reaches the DNS filter at once in the same process, and a separate
/// <c>brightline dns</c> process through the database within <c>Brightline:Access:ChangePollMilliseconds</c>.
/// </summary>
public sealed class AccessChangeTests
{
    private static readonly IPAddress s_pupilLaptop = IPAddress.Parse("127.0.0.3");
    private static readonly IPAddress s_staffLaptop = IPAddress.Parse("127.0.0.5");
    private const string Portal = "10.0.0.10";
    private const string Allowed = "192.0.2.7";

    /// <summary>The example policy with its pupil VLAN moved to loopback.</summary>
    private static string PolicyYaml => TestSchool.ExampleYaml
        .Replace("cidr: 10.20.0.0/16, group: ks1", "cidr: 127.0.0.1/32, group: ks1", StringComparison.Ordinal);

    private static async Task<string?> AnswerAsync(IPAddress from, IPEndPoint dns) =>
        DnsTestClient.FirstA(await DnsTestClient.AskFromAsync(from, dns, "allowed.school.test"));

    private static async Task<T> WithAsync<T>(BrightlineServer server, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider);
    }

    private static Task<Sanction> WithdrawInternetAsync(BrightlineServer server, Guid personId) =>
        WithAsync(server, s => s.GetRequiredService<SanctionService>().ImposeAsync(
            new ImposeSanction(TestSchool.Id, personId, SanctionKind.WithdrawInternet, "Deliberately searched for unsuitable material", null, [], "h.marsh@school.test"),
            CancellationToken.None));

    /// <summary>Noah (Year 1), his KS1 agreement signed by his mother, bound to his laptop: his answers are forwarded.</summary>
    private static async Task<(BrightlineServer Server, IPEndPoint Dns, Person Noah)> NoahOnlineAsync(DatabaseProvider provider, FakeUpstream upstream, bool signed = true)
    {
        var server = await DnsTestSettings.StartAsync(provider, upstream, PolicyYaml);
        await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
        var noah = await TestSchool.PersonAsync(server, "A002");
        if (signed)
        {
            await SignAsync(server, noah, await MotherOfAsync(server, noah), "ks1-pupil");
        }

        server.Services.GetRequiredService<DnsClientBindings>().Bind(s_pupilLaptop, TestSchool.Id, noah.Id, server.Clock.GetUtcNow().AddMinutes(480));
        return (server, DnsTestSettings.EndPoint(server), noah);
    }

    private static async Task<Person> MotherOfAsync(BrightlineServer server, Person child)
    {
        var motherId = await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().ParentLinks.Where(l => l.ChildId == child.Id).Select(l => l.ParentId).FirstAsync());
        return (await TestSchool.PeopleAsync(server)).Single(p => p.Id == motherId);
    }

    /// <summary>The clock never moves here: each change must reach the DNS filter's cached gate answer without waiting for it to expire.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sanction_ChangesTheHostedDnsFiltersAnswer_AtOnce(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        upstream.AddA("allowed.school.test", Allowed, ttl: 300);
        var (server, dns, noah) = await NoahOnlineAsync(provider, upstream);
        await using var _ = server;
        (await AnswerAsync(s_pupilLaptop, dns)).ShouldBe(Allowed);

        await WithdrawInternetAsync(server, noah.Id);
        (await AnswerAsync(s_pupilLaptop, dns)).ShouldBe(Portal);

        // The change is also stored, for every other process.
        var stored = await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().AccessChanges.AsNoTracking().Where(c => c.PersonId == noah.Id).ToListAsync());
        stored.Select(c => c.Reason).ShouldContain(AccessChangeReasons.SanctionImposed);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ParentsCountersignature_ByEmailLink_GivesTheInternetBack_AtOnce(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        upstream.AddA("allowed.school.test", Allowed, ttl: 300);
        var (server, dns, noah) = await NoahOnlineAsync(provider, upstream, signed: false);
        await using var _ = server;
        (await AnswerAsync(s_pupilLaptop, dns)).ShouldBe(Portal, "the KS1 agreement is not signed yet");

        await WithAsync(server, async s =>
        {
            await s.GetRequiredService<AgreementService>().SendCountersignLinkAsync(TestSchool.Id, noah.Id, "ks1-pupil", "test", CancellationToken.None);
            return 0;
        });
        var message = await server.Smtp.WaitForAsync(m => m.Contains("sarah.jones@parents.test", StringComparison.OrdinalIgnoreCase));
        var token = Agreements.CountersignTests.LinkPattern().Match(Agreements.CountersignTests.DecodeBody(message)).Groups["token"].Value;
        token.ShouldNotBeEmpty();
        await WithAsync(server, s => s.GetRequiredService<AgreementService>().CountersignAsync(token, "sarah jones", null, CancellationToken.None));

        (await AnswerAsync(s_pupilLaptop, dns)).ShouldBe(Allowed);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Leaver_MarkedByAFullImport_LosesTheInternet_AtOnce(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        upstream.AddA("allowed.school.test", Allowed, ttl: 300);
        var (server, dns, _) = await NoahOnlineAsync(provider, upstream);
        await using var __ = server;
        (await AnswerAsync(s_pupilLaptop, dns)).ShouldBe(Allowed);

        var withoutNoah = string.Join('\n', TestSchool.PupilsCsv.Split('\n').Where(line => !line.TrimStart().StartsWith("A002,", StringComparison.Ordinal)));
        (await TestSchool.ImportAsync(server, ImportKind.Pupils, withoutNoah)).MarkedLeavers.ShouldBe(1);

        (await AnswerAsync(s_pupilLaptop, dns)).ShouldBe(Portal);
    }

    /// <summary>A change in a transaction that rolls back is told to nobody and stored nowhere; one that commits is told once.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Publish_IsToldOnlyOnCommit_AndNotAgainByTheReader(DatabaseProvider provider)
    {
        var heard = new RecordingSubscriber();
        await using var server = await BrightlineServer.StartAsync(provider, configure: b => b.Services.AddSingleton<IAccessChangeSubscriber>(heard));
        await TestSchool.LoadPolicyAsync(server);
        var person = Guid.NewGuid();
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var changes = scope.ServiceProvider.GetRequiredService<IAccessChanges>();
            await using (var tx = await db.Database.BeginTransactionAsync())
            {
                changes.Publish(db, TestSchool.Id, person, "rolled-back");
                await db.SaveChangesAsync();
                heard.Changes.ShouldBeEmpty("not committed yet");
                await tx.RollbackAsync();
            }

            db.ChangeTracker.Clear();
            await using (var tx = await db.Database.BeginTransactionAsync())
            {
                changes.Publish(db, TestSchool.Id, person, "committed");
                await db.SaveChangesAsync();
                heard.Changes.ShouldBeEmpty("not committed yet");
                await tx.CommitAsync();
            }

            heard.Changes.Select(c => c.Reason).ShouldBe(["committed"]);
            changes.Publish(db, TestSchool.Id, null, "saved-alone");
            await db.SaveChangesAsync();
            heard.Changes.Select(c => c.Reason).ShouldBe(["committed", "saved-alone"]);
            (await db.AccessChanges.AsNoTracking().Select(c => c.Reason).ToListAsync()).ShouldBe(["committed", "saved-alone"], ignoreOrder: true);
        }

        // The reader sees the rows, but this process told them already.
        await server.Services.GetRequiredService<AccessChangeReader>().ReadOnceAsync(CancellationToken.None);
        heard.Changes.Count.ShouldBe(2);

        // A row another process wrote (a context without this process's interceptor) is told by the reader.
        await using (var other = BrightlineDbContextOptions.Create(provider, server.Services.GetRequiredService<DatabaseTarget>().ConnectionString))
        {
            other.AccessChanges.Add(new AccessChangeRecord { SchoolId = TestSchool.Id, PersonId = person, Reason = "elsewhere", At = server.Clock.GetUtcNow() });
            await other.SaveChangesAsync();
        }

        heard.Changes.Count.ShouldBe(2);
        await server.Services.GetRequiredService<AccessChangeReader>().ReadOnceAsync(CancellationToken.None);
        heard.Changes.Select(c => c.Reason).ShouldBe(["committed", "saved-alone", "elsewhere"]);
        heard.Changes[^1].PersonId.ShouldBe(person);

        // The purge keeps a day's notices.
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            (await AccessChangePurgeWorker.PurgeAsync(db, server.Clock.GetUtcNow().AddHours(23), CancellationToken.None)).ShouldBe(0);
            (await AccessChangePurgeWorker.PurgeAsync(db, server.Clock.GetUtcNow().AddHours(25), CancellationToken.None)).ShouldBe(3);
        }
    }

    /// <summary>
    /// PostgreSQL hands out ids at insert, so a change can commit after one with a greater id: the reader asks
    /// again for the ids it skipped, and tells each change once. (Simulated with explicit ids, on both databases.)
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Reader_TellsAChangeThatCommitsAfterAGreaterId(DatabaseProvider provider)
    {
        var heard = new RecordingSubscriber();
        await using var server = await BrightlineServer.StartAsync(provider, configure: b => b.Services.AddSingleton<IAccessChangeSubscriber>(heard));
        await TestSchool.LoadPolicyAsync(server);
        var reader = server.Services.GetRequiredService<AccessChangeReader>();
        var start = reader.LastSeen;
        var connection = server.Services.GetRequiredService<DatabaseTarget>().ConnectionString;

        async Task WriteElsewhereAsync(long id, string reason)
        {
            await using var other = BrightlineDbContextOptions.Create(provider, connection);
            other.AccessChanges.Add(new AccessChangeRecord { Id = id, SchoolId = TestSchool.Id, Reason = reason, At = server.Clock.GetUtcNow() });
            await other.SaveChangesAsync();
        }

        await WriteElsewhereAsync(start + 2, "second");
        await reader.ReadOnceAsync(CancellationToken.None);
        heard.Changes.Select(c => c.Reason).ShouldBe(["second"]);

        await WriteElsewhereAsync(start + 1, "first, committed late");
        await reader.ReadOnceAsync(CancellationToken.None);
        await reader.ReadOnceAsync(CancellationToken.None);
        heard.Changes.Select(c => c.Reason).ShouldBe(["second", "first, committed late"]);
        heard.Changes.ShouldAllBe(c => c.PersonId == null);
    }

    /// <summary>
    /// A real <c>brightline dns</c> process on the same database as the portal: a sanction imposed through the
    /// portal's service changes that process's answer within the poll interval (1 s) plus slack — while its own
    /// gate cache is set to a minute, so only the published change can explain the new answer.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sanction_ImposedInThePortal_ReachesASeparateDnsProcess_WithinTheBound(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        upstream.AddA("allowed.school.test", Allowed, ttl: 300);
        // The portal's clock is real time (held still), so the other process, on the real clock, agrees on what is in force.
        var now = DateTimeOffset.UtcNow;
        await using var server = await BrightlineServer.StartAsync(provider, now: new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero), settings: new Dictionary<string, string?>
        {
            ["Brightline:Dns:InPortal"] = "false",
            ["Brightline:Filtering:ListRoot"] = Path.Combine(RepoPaths.Root, "policies"),
        });
        await TestSchool.LoadPolicyAsync(server, PolicyYaml);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var head = await TestSchool.PersonAsync(server, "S02");
        await SignAsync(server, head, head, "staff", "Headteacher");
        await WithAsync(server, async s =>
        {
            // A sign-in stored by the portal, as the sign-in page does; the other process reads it at start.
            await s.GetRequiredService<DnsClientBindings>().BindAndStoreAsync(
                s.GetRequiredService<BrightlineDbContext>(), s_staffLaptop, TestSchool.Id, head.Id, DateTimeOffset.UtcNow.AddHours(2), CancellationToken.None);
            return 0;
        });

        var target = server.Services.GetRequiredService<DatabaseTarget>();
        var dns = new IPEndPoint(IPAddress.Loopback, NodeProcess.FreePort());
        await using var dnsProcess = await NodeProcess.StartAsync("dns", target, ["dns"], new Dictionary<string, string>
        {
            ["Brightline__Dns__Listen__0"] = dns.ToString(),
            ["Brightline__Dns__Upstreams__0"] = upstream.Address,
            ["Brightline__Dns__GateCacheSeconds"] = "60",
            ["Brightline__Access__ChangePollMilliseconds"] = "1000",
            ["Brightline__Filtering__ListRoot"] = Path.Combine(RepoPaths.Root, "policies"),
            ["Brightline__Email__SmtpHost"] = "",
        }, node => Task.FromResult(node.Output.Contains("DNS filter listening", StringComparison.Ordinal)));
        (await EventuallyAnswersAsync(s_staffLaptop, dns, Allowed, TimeSpan.FromSeconds(20))).ShouldBeTrue($"the separate DNS process never forwarded for the head.\n{dnsProcess.Output}");

        var bound = TimeSpan.FromMilliseconds(server.Services.GetRequiredService<AccessChangeOptions>().ChangePollMilliseconds);
        await WithdrawInternetAsync(server, head.Id);
        var watch = Stopwatch.StartNew();
        (await EventuallyAnswersAsync(s_staffLaptop, dns, Portal, bound + TimeSpan.FromSeconds(3)))
            .ShouldBeTrue($"the sanction did not reach the separate DNS process within {bound.TotalSeconds:0.#} s + 3 s.\n{dnsProcess.Output}");
        watch.Elapsed.ShouldBeLessThan(bound + TimeSpan.FromSeconds(3));
    }

    private static async Task<bool> EventuallyAnswersAsync(IPAddress from, IPEndPoint dns, string expected, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            try
            {
                if (await AnswerAsync(from, dns) == expected)
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                // Not listening yet, or a query lost: ask again.
            }

            await Task.Delay(100);
        }

        return false;
    }

    private sealed class RecordingSubscriber : IAccessChangeSubscriber
    {
        private readonly ConcurrentQueue<AccessChange> _changes = new();

        public List<AccessChange> Changes => [.. _changes];

        public void OnChanged(AccessChange change) => _changes.Enqueue(change);
    }
}
