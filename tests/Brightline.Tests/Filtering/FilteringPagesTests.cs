using System.Net;
using AngleSharp.Dom;
using Brightline.ClientBindings;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.People;
using Brightline.Portal;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Brightline.Tests.Portal;
using Brightline.WebFiltering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Filtering;

/// <summary>
/// The portal's filtering pages: profiles per group, lists, the DNS decision log (fed by real UDP queries
/// to the hosted filter) and "test a URL as …", which must give exactly what <c>brightline filter test</c> prints.
/// </summary>
public sealed class FilteringPagesTests
{
    private static readonly IPAddress s_pupilDevice = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress s_staffLaptop = IPAddress.Parse("127.0.0.2");

    private static string PolicyYaml => TestSchool.ExampleYaml
        .Replace("cidr: 10.20.0.0/16, group: ks1", "cidr: 127.0.0.1/32, group: ks1", StringComparison.Ordinal);

    private static readonly string[] s_pages = ["/filtering", "/filtering/lists", "/filtering/log", "/filtering/test"];

    private static async Task<HttpClient> SignInAsync(BrightlineServer server, string email, string role, Guid? person = null)
    {
        await PortalTestKit.CreateUserAsync(server, email, role, person);
        var client = server.CreateClient();
        await PortalTestKit.LoginAsync(client, email);
        return client;
    }

    private static async Task<IDocument> PageAsync(HttpClient client, string path)
    {
        var (response, document) = await PortalTestKit.GetAsync(client, path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        return document;
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ProfilesListsAndTestPage_MatchPolicyAndCli_TeachersAndParentsRefused(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Brightline:Filtering:ListRoot"] = Path.Combine(RepoPaths.Root, "policies"),
        });
        await TestSchool.LoadPolicyAsync(server, PolicyYaml);
        var filters = server.Services.GetRequiredService<FilterService>();
        await filters.RefreshAsync(CancellationToken.None);
        var filter = filters.Find(TestSchool.Id)!;

        using var lead = await SignInAsync(server, "lead@test.example", PortalRoles.ComputingLead);

        // Profiles: every profiled group of the example policy, the staff teaching-hours schedule in words, networks.
        var profiles = await PageAsync(lead, "/filtering");
        var text = profiles.Body!.TextContent;
        foreach (var p in filter.Policy.Filtering.Profiles)
        {
            profiles.GetElementById("profile-" + p.Group).ShouldNotBeNull(p.Group);
        }

        var staff = profiles.GetElementById("profile-staff")!.ParentElement!.TextContent;
        staff.ShouldContain("Monday–Friday 08:45–15:15, school days only: social networking, chat, games and webmail blocked (teaching-hours)");
        staff.ShouldContain("Network: staff-vlan (10.30.0.0/16)");
        profiles.GetElementById("profile-ks1")!.ParentElement!.TextContent.ShouldContain("Social networking");
        text.ShouldContain("Strict restricted mode");
        profiles.QuerySelector("a[href='/filtering/requests']").ShouldNotBeNull();
        profiles.QuerySelector("nav.subnav a[aria-current=page]")!.TextContent.ShouldBe("Profiles");

        // Lists: each list with its counts, the same as reading the files; the compiled totals.
        var lists = await PageAsync(lead, "/filtering/lists");
        var inventory = FilterListInventories.Read(filter.Policy.Filtering, Path.Combine(RepoPaths.Root, "policies"));
        inventory.Lists.Count.ShouldBe(filter.Policy.Filtering.Lists.Count);
        foreach (var l in inventory.Lists)
        {
            var row = lists.QuerySelectorAll("tbody tr").Single(r => r.QuerySelector("th")!.TextContent == l.Name);
            var cells = row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
            cells[3].ShouldBe(ListsModel(l.Domains), l.Name);
            cells[4].ShouldBe(ListsModel(l.ExactHosts), l.Name);
            cells[5].ShouldBe(ListsModel(l.UrlPrefixes), l.Name);
        }

        inventory.Lists.Single(l => l.Name == "social").Domains.ShouldBeGreaterThan(0);
        inventory.Lists.Single(l => l.Name == "games").ExactHosts.ShouldBeGreaterThan(0);
        lists.Body!.TextContent.ShouldContain(ListsModel(filter.Engine.Current.Lists.Domains.Count));

        // Test a URL: ks1 + facebook at 10:00 on a school day is blocked; staff at 16:00 is allowed (O7) — as the CLI says.
        var zone = filter.Engine.Current.Options.TimeZone;
        foreach (var (group, time, outcome) in new[] { ("ks1", "10:00", "BLOCK"), ("staff", "16:00", "ALLOW") })
        {
            var page = await PageAsync(lead, $"/filtering/test?url={Uri.EscapeDataString("https://www.facebook.com/")}&as=group&group={group}&date=25%2F11%2F2026&time={time.Replace(":", "%3A", StringComparison.Ordinal)}");
            FilterTester.TryParseLocal($"25/11/2026 {time}", zone, out var when).ShouldBeTrue();
            var cli = FilterTester.Test(filter, "https://www.facebook.com/", FilterTester.ForGroup(filter, filter.Policy.FindGroup(group)!), when);
            page.GetElementById("decision")!.TextContent.ShouldBe(outcome);
            cli.Render().ShouldContain($"decision: {outcome} — ");
            page.GetElementById("cli-text")!.TextContent.ShouldBe(cli.Render());
            page.QuerySelectorAll("#trace li").Select(li => li.TextContent).ShouldBe(cli.Decision.Trace.Select(s => s.ToString()));
            page.QuerySelectorAll("#trace li").Length.ShouldBeGreaterThan(1);
            if (group == "ks1")
            {
                page.Body!.TextContent.ShouldContain("social-networking");
            }
        }

        // A person, by name: the head (staff group) at 10:00 is blocked from social networking in teaching hours.
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var asPerson = await PageAsync(lead, "/filtering/test?url=facebook.com&as=person&person=helen+marsh&date=25%2F11%2F2026&time=10%3A00");
        asPerson.GetElementById("decision")!.TextContent.ShouldBe("BLOCK");
        asPerson.GetElementById("cli-text")!.TextContent.ShouldStartWith("facebook.com as Helen Marsh (S02), groups ");

        // A bad time is reported, not guessed.
        (await PageAsync(lead, "/filtering/test?url=facebook.com&as=group&group=ks1&date=31%2F02%2F2026&time=10%3A00")).QuerySelector("[role=alert]")!.TextContent.ShouldContain("is not a date and time");

        // Teachers and parents: 403 on every filtering page.
        using var teacher = await SignInAsync(server, "teacher@test.example", PortalRoles.Teacher);
        using var parent = await SignInAsync(server, "parent@test.example", PortalRoles.Parent);
        foreach (var path in s_pages)
        {
            (await teacher.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
            (await parent.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
        }

        // The IT provider may open them.
        using var it = await SignInAsync(server, "it@test.example", PortalRoles.ItProvider);
        foreach (var path in s_pages)
        {
            (await it.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }
    }

    private static string ListsModel(long n) => Brightline.Pages.WebFiltering.ListsModel.Count(n);

    private static Task AskAsync(IPAddress from, IPEndPoint server, string name) => DnsTestClient.AskFromAsync(from, server, name);

    private static int Rows(IDocument page) => page.QuerySelectorAll("main table tbody tr").Length;

    private static string Caption(IDocument page) => page.QuerySelector("main table caption")!.TextContent;

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ComputingLeadsHome_SummarisesDevicesByState_EachCountLinksToItsList_OwnSchoolOnly(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, PolicyYaml);
        await TestSchool.LoadOtherSchoolAsync(server);
        var now = server.Clock.GetUtcNow();
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            Device Add(string school, string name, Brightline.Data.Entities.DeviceState state)
            {
                var d = new Device
                {
                    Id = Guid.NewGuid(), SchoolId = school, Kind = DeviceKind.Laptop, Model = "Dell 3120", Name = name, Ownership = DeviceOwnership.School,
                    State = state, Macs = "", CreatedAt = now, CreatedBy = "lead@test.example",
                };
                db.Set<Device>().Add(d);
                return d;
            }

            Add(TestSchool.Id, "Laptop 1", Brightline.Data.Entities.DeviceState.InUse);
            Add(TestSchool.Id, "Laptop 2", Brightline.Data.Entities.DeviceState.InUse);
            var lent = Add(TestSchool.Id, "Laptop 3", Brightline.Data.Entities.DeviceState.OnLoan);
            Add(TestSchool.Id, "Laptop 4", Brightline.Data.Entities.DeviceState.Lost);
            Add(TestSchool.Id, "Old laptop", Brightline.Data.Entities.DeviceState.Disposed);
            for (var i = 0; i < 5; i++)
            {
                Add(TestSchool.OtherId, $"Other {i}", Brightline.Data.Entities.DeviceState.Lost);
            }

            db.Set<DeviceLoan>().Add(new DeviceLoan
            {
                SchoolId = TestSchool.Id, DeviceId = lent.Id, BorrowerClass = "3 Oak", Purpose = "Lesson", OutAt = now.AddHours(-5), DueAt = now.AddHours(-1), OutBy = "lead@test.example",
            });
            foreach (var (name, seen, revoked) in new (string, DateTimeOffset?, DateTimeOffset?)[] { ("Suite PC 1", now.AddHours(-1), null), ("Suite PC 2", null, null), ("Old PC", null, now) })
            {
                db.Set<MonitoringDevice>().Add(new MonitoringDevice
                {
                    Id = Guid.NewGuid(), SchoolId = TestSchool.Id, Name = name, TokenHash = Guid.NewGuid().ToString("N"), TokenPrefix = name[..4], CreatedAt = now.AddDays(-3),
                    CreatedBy = "lead@test.example", LastSeenAt = seen, RevokedAt = revoked,
                });
            }

            await db.SaveChangesAsync();
        }

        using var lead = await SignInAsync(server, "lead@test.example", PortalRoles.ComputingLead);
        var page = await PageAsync(lead, "/filtering");
        var lines = page.QuerySelectorAll("#devices-summary li").Select(li => (Text: li.TextContent.Trim(), Link: li.QuerySelector("a")!.GetAttribute("href"))).ToList();
        lines.ShouldBe(
        [
            ("4 devices in the register", "/devices"),
            ("2 in use", "/devices?state=in_use"),
            ("1 on loan", "/devices?state=on_loan"),
            ("1 lost — needs looking at", "/devices?state=lost"),
            ("1 monitoring device reporting in the last 24 hours", "/monitoring/devices"),
            ("1 monitoring device silent for 24 hours or more (or never heard from) — needs looking at", "/monitoring/devices"),
            ("1 loan out now", "/loans?status=out"),
            ("1 loan overdue — needs looking at", "/loans?status=overdue"),
        ]);
        foreach (var (_, link) in lines)
        {
            (await lead.GetAsync(link)).StatusCode.ShouldBe(HttpStatusCode.OK, link);
        }

        // IT support keeps the register but does not manage monitoring devices: the register's counts, not the monitors'.
        using var support = await SignInAsync(server, "support@test.example", PortalRoles.ItSupport);
        var supportPage = await PageAsync(support, "/filtering");
        supportPage.QuerySelector("#devices-summary a[href='/devices']").ShouldNotBeNull();
        supportPage.QuerySelector("#devices-summary a[href='/monitoring/devices']").ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DecisionLog_RealDnsQueries_SearchFiltersPagingAndPeople(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        upstream.AddA("allowed.school.test", "192.0.2.7", ttl: 300);
        await using var server = await DnsTestSettings.StartAsync(provider, upstream, PolicyYaml);
        var dns = DnsTestSettings.EndPoint(server);

        // A pupil device (ks1): facebook blocked, 52 school names forwarded (some unknown upstream) — 53 rows, two pages.
        await AskAsync(s_pupilDevice, dns, "www.facebook.com");
        for (var i = 0; i < 51; i++)
        {
            await AskAsync(s_pupilDevice, dns, $"page{i}.school.test");
        }

        await AskAsync(s_pupilDevice, dns, "allowed.school.test");

        // The head, signed in on a laptop (bound to her): one query, logged against her.
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var head = await TestSchool.PersonAsync(server, "S02");
        server.Services.GetRequiredService<DnsClientBindings>().Bind(s_staffLaptop, TestSchool.Id, head.Id, server.Clock.GetUtcNow().AddMinutes(480));
        await AskAsync(s_staffLaptop, dns, "allowed.school.test");

        var expected = 54;
        var count = 0;
        for (var attempt = 0; attempt < 200 && count < expected; attempt++)
        {
            await Task.Delay(50);
            await using var scope = server.CreateScope();
            count = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().DnsDecisions.CountAsync();
        }

        count.ShouldBe(expected);

        using var lead = await SignInAsync(server, "lead@test.example", PortalRoles.ComputingLead);
        var first = await PageAsync(lead, "/filtering/log");
        // Issue 18: no total (it would count a trust's whole log); the page knows only whether older decisions follow.
        Caption(first).ShouldBe("50 decisions shown, newest first; older ones on the next page");
        Rows(first).ShouldBe(50);
        first.QuerySelector("main table tbody tr td")!.TextContent.ShouldBe("25/11/2026 10:00");
        first.QuerySelector("a[rel=first]").ShouldBeNull();
        var older = first.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        older.ShouldStartWith("/filtering/log?before=");
        var second = await PageAsync(lead, older);
        Rows(second).ShouldBe(4);
        Caption(second).ShouldBe("4 decisions shown, newest first");
        second.QuerySelector("a[rel=next]").ShouldBeNull();
        second.QuerySelector("a[rel=first]")!.GetAttribute("href").ShouldBe("/filtering/log");
        var firstNames = first.QuerySelectorAll("main table tbody th").Select(t => t.TextContent).ToList();
        var secondNames = second.QuerySelectorAll("main table tbody th").Select(t => t.TextContent).ToList();
        firstNames.Intersect(secondNames).Where(n => n != "allowed.school.test").ShouldBeEmpty();
        firstNames.Concat(secondNames).ShouldContain("www.facebook.com");

        // Each filter narrows.
        var blocked = await PageAsync(lead, "/filtering/log?decision=blocked");
        Rows(blocked).ShouldBe(1);
        blocked.QuerySelector("main table tbody th")!.TextContent.ShouldBe("www.facebook.com");
        blocked.QuerySelector("main table tbody")!.TextContent.ShouldContain("ks1");
        Rows(await PageAsync(lead, "/filtering/log?category=social-networking")).ShouldBe(1);
        Rows(await PageAsync(lead, "/filtering/log?category=games")).ShouldBe(0);
        Caption(await PageAsync(lead, "/filtering/log?q=PAGE1")).ShouldStartWith("11 decisions"); // page1, page10–page19
        Rows(await PageAsync(lead, "/filtering/log?client=127.0.0.2")).ShouldBe(1);
        Rows(await PageAsync(lead, "/filtering/log?from=25%2F11%2F2026&to=25%2F11%2F2026&q=allowed")).ShouldBe(2);
        Rows(await PageAsync(lead, "/filtering/log?from=26%2F11%2F2026")).ShouldBe(0);
        Rows(await PageAsync(lead, "/filtering/log?to=24%2F11%2F2026")).ShouldBe(0);
        (await PageAsync(lead, "/filtering/log?from=yesterday")).QuerySelector("[role=alert]")!.TextContent.ShouldContain("not a date");

        // People: searched by name and linked for a whole-school viewer; not named for the IT provider, who cannot see people.
        var byPerson = await PageAsync(lead, "/filtering/log?person=marsh");
        Rows(byPerson).ShouldBe(1);
        byPerson.QuerySelector($"main table a[href='/people/{head.Id}']")!.TextContent.ShouldBe("Helen Marsh");
        using var it = await SignInAsync(server, "it@test.example", PortalRoles.ItProvider);
        var itView = await PageAsync(it, "/filtering/log?client=127.0.0.2");
        Rows(itView).ShouldBe(1);
        itView.QuerySelector("main table a[href^='/people/']").ShouldBeNull();
        itView.QuerySelector("main table tbody")!.TextContent.ShouldNotContain("Marsh");
        Rows(await PageAsync(it, "/filtering/log?person=marsh")).ShouldBe(0);

        using var teacher = await SignInAsync(server, "teacher@test.example", PortalRoles.Teacher);
        (await teacher.GetAsync("/filtering/log")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
