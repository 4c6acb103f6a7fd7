using System.Diagnostics;
using System.Globalization;
using System.Net;
using Brightline.ClientBindings;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.People;
using Brightline.Safeguarding;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.Monitoring;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Nodes;

/// <summary>
/// Issue 18 part 3, several nodes: two <c>brightline serve</c> and two <c>brightline dns</c> processes on one PostgreSQL
/// database, as a trust would run them behind a load balancer (docs/deployment.md). A sign-in made on one portal node
/// is good on the other (the Data Protection key ring is in the database); a sanction imposed through the portal
/// reaches both DNS nodes within the change-poll bound; the weekly digest goes once, not once per node (the lease).
/// </summary>
public sealed class SeveralNodesTests
{
    private static readonly IPAddress s_staffLaptop = IPAddress.Parse("127.0.0.5");
    private const string Portal = "10.0.0.10";
    private const string Allowed = "192.0.2.7";
    private const string DigestSubject = "Weekly monitoring digest";
    private static readonly TimeZoneInfo s_london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    [Fact]
    public async Task TwoPortalAndTwoDnsNodes_ShareSignIns_SanctionsAndTheDigest()
    {
        if (TestDatabases.PostgresAdmin is null && !TestDatabases.InCi)
        {
            return; // several nodes means PostgreSQL; SQLite is one file on one machine.
        }

        await using var upstream = new FakeUpstream(origin: "school.test");
        upstream.AddA("allowed.school.test", Allowed, ttl: 300);

        // The database is made and filled through an in-process server whose clock is real time held still, so its own
        // workers never run a pass: every background pass in this test is one of the nodes'.
        var now = DateTimeOffset.UtcNow;
        await using var seed = await BrightlineServer.StartAsync(DatabaseProvider.Postgres,
            now: new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero),
            settings: new Dictionary<string, string?>
            {
                ["Brightline:Dns:InPortal"] = "false",
                ["Brightline:Filtering:ListRoot"] = Path.Combine(RepoPaths.Root, "policies"),
            });
        // The digest fell due two minutes ago (UK time), so each portal node's first monitoring pass finds it due.
        var due = TimeZoneInfo.ConvertTime(now.AddMinutes(-2), s_london);
        await TestSchool.LoadPolicyAsync(seed, PolicyYaml + $$"""

            monitoring:
              digest: { day: {{due.DayOfWeek.ToString().ToLowerInvariant()}}, time: "{{due.ToString("HH:mm", CultureInfo.InvariantCulture)}}", roles: [dsl] }
            """);
        await TestSchool.ImportAsync(seed, ImportKind.Staff, TestSchool.StaffCsv);
        await MonitoringTestKit.IssueTokenAsync(seed); // a school with a monitored device gets a digest
        var head = await TestSchool.PersonAsync(seed, "S02");
        await SignAsync(seed, head, head, "staff", "Headteacher");
        await using (var scope = seed.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<DnsClientBindings>().BindAndStoreAsync(
                scope.ServiceProvider.GetRequiredService<BrightlineDbContext>(), s_staffLaptop, TestSchool.Id, head.Id, DateTimeOffset.UtcNow.AddHours(2), CancellationToken.None);
        }

        var dsl = await CreateUserAsync(seed, "dsl.nodes@school.test", "dsl");
        var authenticatorKey = await EnrolAuthenticatorAsync(seed, dsl);
        var database = seed.Services.GetRequiredService<DatabaseTarget>();

        var portalSettings = new Dictionary<string, string>
        {
            ["Brightline__Dns__InPortal"] = "false",
            ["Brightline__Filtering__ListRoot"] = Path.Combine(RepoPaths.Root, "policies"),
            ["Brightline__Email__SmtpHost"] = "127.0.0.1",
            ["Brightline__Email__SmtpPort"] = seed.Smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Brightline__Email__From"] = "brightline@school.test",
            ["Brightline__RateLimits__SignInPerMinute"] = "100000",
            ["Brightline__PolicyReviews__RemindOwners"] = "false",
        };
        var dnsSettings = new Dictionary<string, string>
        {
            ["Brightline__Dns__Upstreams__0"] = upstream.Address,
            // A minute's gate cache: only the published change can explain a new answer within the bound.
            ["Brightline__Dns__GateCacheSeconds"] = "60",
            ["Brightline__Access__ChangePollMilliseconds"] = "1000",
            ["Brightline__Filtering__ListRoot"] = Path.Combine(RepoPaths.Root, "policies"),
            ["Brightline__Email__SmtpHost"] = "",
        };

        var nodes = new List<NodeProcess>();
        var homes = new List<DirectoryInfo>();
        try
        {
            // Started together, as after a deployment, so their minute-long monitoring passes fall due at the same moment.
            // Each has a home folder of its own, as on separate machines: a key ring in a profile folder would not be shared.
            var portals = new[] { new Uri($"http://127.0.0.1:{NodeProcess.FreePort()}"), new Uri($"http://127.0.0.1:{NodeProcess.FreePort()}") };
            var starting = portals.Select((url, i) => NodeProcess.StartAsync($"portal {i + 1}", database, ["serve", "--urls", url.ToString().TrimEnd('/'), "--no-demo"],
                new Dictionary<string, string>(portalSettings) { ["HOME"] = Home(homes) },
                async _ => await IsReadyAsync(url))).ToList();
            try
            {
                await Task.WhenAll(starting);
            }
            finally
            {
                nodes.AddRange(starting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
            }

            var portalsStarted = Stopwatch.StartNew();
            var dnsNodes = new List<IPEndPoint>();
            for (var i = 0; i < 2; i++)
            {
                var endPoint = new IPEndPoint(IPAddress.Loopback, NodeProcess.FreePort());
                nodes.Add(await NodeProcess.StartAsync($"dns {i + 1}", database, ["dns"],
                    new Dictionary<string, string>(dnsSettings) { ["Brightline__Dns__Listen__0"] = endPoint.ToString() },
                    node => Task.FromResult(node.Output.Contains("DNS filter listening", StringComparison.Ordinal))));
                dnsNodes.Add(endPoint);
            }

            string Outputs() => string.Join("\n", nodes.Select(n => n.Output));

            // Health: both portal nodes are live and ready (the harness waited for ready), and say nothing else.
            using (var probe = new HttpClient())
            {
                foreach (var portal in portals)
                {
                    var live = await probe.GetAsync(new Uri(portal, "/health/live"));
                    live.StatusCode.ShouldBe(HttpStatusCode.OK);
                    (await live.Content.ReadAsStringAsync()).Trim().ShouldBe("ok");
                }
            }

            // Sign in on node 1 (password and security code); the same cookies open a signed-in page on node 2, and a form
            // served by node 2 is accepted by node 1: one key ring for cookies and antiforgery tokens.
            var jar = new CookieContainer();
            using var nodeOne = Client(portals[0], jar);
            using var nodeTwo = Client(portals[1], jar);
            (await LoginAsync(nodeOne, dsl.Email!)).ShouldRedirectTo("/account/login-2fa");
            var (_, codePage) = await GetAsync(nodeOne, "/account/login-2fa");
            (await SubmitAsync(nodeOne, codePage, "/account/login-2fa", new Dictionary<string, string> { ["Code"] = Totp(authenticatorKey, DateTimeOffset.UtcNow) }))
                .ShouldRedirectTo("/");

            var imposePath = $"/sanctions/impose?person={head.Id}&kind=withdraw_internet";
            var (formResponse, form) = await GetAsync(nodeTwo, imposePath);
            formResponse.StatusCode.ShouldBe(HttpStatusCode.OK, $"node 2 did not accept node 1's sign-in.\n{form.Body?.TextContent}");

            // Both DNS nodes forward for the head's laptop before the sanction.
            foreach (var dns in dnsNodes)
            {
                (await EventuallyAnswersAsync(dns, Allowed, TimeSpan.FromSeconds(20))).ShouldBeTrue($"{dns} never forwarded for the head.\n{Outputs()}");
            }

            var endsAt = form.QuerySelector("input#EndsAt")?.GetAttribute("value") ?? "";
            var review = await SubmitAsync(nodeTwo, form, $"/sanctions/impose?person={head.Id}&handler=Review",
                new Dictionary<string, string> { ["Kind"] = "withdraw_internet", ["Reason"] = "Deliberately searched for unsuitable material", ["EndsAt"] = endsAt });
            var reviewDoc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await review.Content.ReadAsStringAsync());
            reviewDoc.Body!.TextContent.ShouldContain("Confirm and impose");
            (await SubmitAsync(nodeOne, reviewDoc, $"/sanctions/impose?person={head.Id}&handler=Confirm", new Dictionary<string, string>()))
                .ShouldRedirectTo($"/people/{head.Id}");

            // The bound: the DNS nodes' change poll (1 s) plus slack for a loaded machine.
            var bound = TimeSpan.FromSeconds(1) + TimeSpan.FromSeconds(3);
            var watch = Stopwatch.StartNew();
            foreach (var dns in dnsNodes)
            {
                (await EventuallyAnswersAsync(dns, Portal, bound - watch.Elapsed))
                    .ShouldBeTrue($"the sanction did not reach {dns} within {bound.TotalSeconds:0} s.\n{Outputs()}");
            }

            // The digest: each portal node runs a monitoring pass a minute after it starts. Wait until both have had their
            // first pass (and the outbox has sent), then count: one digest recorded, one email per DSL, not two.
            var digests = 0;
            var bothPassed = MonitoringWorker.Interval + TimeSpan.FromSeconds(20);
            while (portalsStarted.Elapsed < bothPassed + TimeSpan.FromSeconds(40))
            {
                digests = seed.Smtp.Messages().Count(m => m.Contains(DigestSubject, StringComparison.Ordinal));
                if (portalsStarted.Elapsed > bothPassed && digests > 0)
                {
                    break;
                }

                await Task.Delay(500);
            }

            await using var check = seed.CreateScope();
            var db = check.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var recorded = await db.Set<MonitoringDigest>().AsNoTracking().ToListAsync();
            recorded.Count.ShouldBe(1, $"digests recorded.\n{Outputs()}");
            var outboxed = await db.EmailOutbox.AsNoTracking().CountAsync(m => m.Purpose == "monitoring-digest");
            outboxed.ShouldBe(recorded[0].RecipientCount);
            recorded[0].RecipientCount.ShouldBeGreaterThan(0);
            digests.ShouldBe(recorded[0].RecipientCount, $"digest emails received by the SMTP sink.\n{Outputs()}");
            (await db.Set<DataProtectionKey>().CountAsync()).ShouldBeGreaterThan(0, "the key ring is in the database");
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            foreach (var home in homes)
            {
                home.Delete(recursive: true);
            }
        }
    }

    private static string Home(List<DirectoryInfo> homes)
    {
        var home = Directory.CreateTempSubdirectory("brightline-node-");
        lock (homes)
        {
            homes.Add(home);
        }

        return home.FullName;
    }

    /// <summary>The example policy with its pupil VLAN moved to loopback (as in AccessChangeTests).</summary>
    private static string PolicyYaml => TestSchool.ExampleYaml
        .Replace("cidr: 10.20.0.0/16, group: ks1", "cidr: 127.0.0.1/32, group: ks1", StringComparison.Ordinal);

    private static HttpClient Client(Uri node, CookieContainer jar) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = jar }) { BaseAddress = node };

    private static async Task<bool> IsReadyAsync(Uri portal)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return (await probe.GetAsync(new Uri(portal, "/health/ready"))).StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false; // not listening yet
        }
    }

    private static async Task<bool> EventuallyAnswersAsync(IPEndPoint dns, string expected, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            try
            {
                if (DnsTestClient.FirstA(await DnsTestClient.AskFromAsync(s_staffLaptop, dns, "allowed.school.test")) == expected)
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException)
            {
                // Not listening yet, or a query lost: ask again.
            }

            await Task.Delay(100);
        }

        return false;
    }
}
