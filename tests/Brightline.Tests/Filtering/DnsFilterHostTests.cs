using Brightline.ClientBindings;
using System.Net;
using System.Net.Sockets;
using Brightline.Data;
using Brightline.DnsFiltering;
using Brightline.Dns.Wire;
using Brightline.WebFiltering;
using Brightline.People;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;

namespace Brightline.Tests.Filtering;

/// <summary>
/// The DNS filter hosted in the real server, over real loopback UDP: network → group, a signed-in
/// person bound to an address, the access gate's portal answer, and the decision log in the database.
/// </summary>
public sealed class DnsFilterHostTests
{
    private static readonly IPAddress s_pupilDevice = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress s_staffLaptop = IPAddress.Parse("127.0.0.2");

    /// <summary>The example policy with its pupil VLAN moved to loopback, so the test's client is on it.</summary>
    private static string PolicyYaml => TestSchool.ExampleYaml
        .Replace("cidr: 10.20.0.0/16, group: ks1", "cidr: 127.0.0.1/32, group: ks1", StringComparison.Ordinal);

    private static Task<DnsMessage> AskAsync(IPAddress from, IPEndPoint server, string name) => DnsTestClient.AskFromAsync(from, server, name);

    private static string? FirstA(DnsMessage m) => DnsTestClient.FirstA(m);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Dns_NetworkAndBoundPerson_BlockForwardPortalAndLogged(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        upstream.AddA("allowed.school.test", "192.0.2.7", ttl: 300);
        await using var server = await DnsTestSettings.StartAsync(provider, upstream, PolicyYaml);
        var dns = DnsTestSettings.EndPoint(server);
        dns.Address.ShouldBe(IPAddress.Loopback);

        // A shared pupil device (pupil VLAN → ks1): social networking gets the block page, the rest is forwarded.
        var blocked = await AskAsync(s_pupilDevice, dns, "www.facebook.com");
        FirstA(blocked).ShouldBe("10.0.0.10");
        var allowed = await AskAsync(s_pupilDevice, dns, "allowed.school.test");
        FirstA(allowed).ShouldBe("192.0.2.7");
        upstream.UdpQueries.ShouldBe(1);

        // The head signs in on a laptop, but has not signed the staff agreement: every name → the portal.
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var head = await TestSchool.PersonAsync(server, "S02");
        server.Services.GetRequiredService<DnsClientBindings>().Bind(s_staffLaptop, TestSchool.Id, head.Id, server.Clock.GetUtcNow().AddMinutes(480));
        var portal = await AskAsync(s_staffLaptop, dns, "allowed.school.test");
        FirstA(portal).ShouldBe("10.0.0.10");
        portal.Answers[0].Ttl.ShouldBeLessThanOrEqualTo(10u);

        // Once signed, and after the gate's short cache, the same name is forwarded.
        await SignAsync(server, head, head, "staff", "Headteacher");
        server.Clock.Advance(TimeSpan.FromSeconds(11));
        var forwarded = await AskAsync(s_staffLaptop, dns, "allowed.school.test");
        FirstA(forwarded).ShouldBe("192.0.2.7");
        forwarded.Answers[0].Ttl.ShouldBeLessThanOrEqualTo(10u, "a bound person's answers stay short-lived");

        // Staff social networking in teaching hours (10:00 on a term-time Wednesday) is blocked — O7.
        FirstA(await AskAsync(s_staffLaptop, dns, "facebook.com")).ShouldBe("10.0.0.10");

        // The decision log reaches the database in batches, shortly after.
        List<Brightline.Data.Entities.DnsDecisionEntry> rows = [];
        for (var attempt = 0; attempt < 100 && rows.Count < 5; attempt++)
        {
            await Task.Delay(50);
            await using var scope = server.CreateScope();
            rows = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().DnsDecisions.AsNoTracking().ToListAsync();
        }

        rows.Count.ShouldBe(5);
        var fb = rows.Single(r => r.Name == "www.facebook.com");
        fb.Decision.ShouldBe("blocked");
        fb.Category.ShouldBe("social-networking");
        fb.Profile.ShouldBe("ks1");
        fb.ClientAddress.ShouldBe("127.0.0.1");
        fb.PersonId.ShouldBeNull();
        fb.QueryType.ShouldBe("A");
        fb.Reason.ShouldNotBeNull().ShouldContain("category");
        var portalRow = rows.Single(r => r.Decision == "portal");
        portalRow.PersonId.ShouldBe(head.Id);
        portalRow.Reason.ShouldBe("agreement-unsigned");
        rows.Count(r => r.PersonId == head.Id).ShouldBe(3);
        rows.Single(r => r.Name == "facebook.com").Profile.ShouldBe("staff");
    }

    /// <summary>
    /// A DNS filter running as its own process (<c>brightline dns</c>) sees portal sign-ins only through
    /// the stored bindings: a row written by another process's portal applies within a sync interval,
    /// and deleting it (that portal's sign-out) returns the device to its network's answer.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Dns_BindingStoredByAnotherProcessesPortal_IsFollowedWithinSeconds_AndItsSignOutEndsIt(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        upstream.AddA("allowed.school.test", "192.0.2.7", ttl: 300);
        await using var server = await DnsTestSettings.StartAsync(provider, upstream, PolicyYaml);
        var dns = DnsTestSettings.EndPoint(server);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var head = await TestSchool.PersonAsync(server, "S02");
        FirstA(await AskAsync(s_staffLaptop, dns, "allowed.school.test")).ShouldBe("192.0.2.7", "not bound yet");

        // The head signs in through a portal in another process (this process never sees the sign-in);
        // the agreement is unsigned, so once the binding is followed every name answers with the portal.
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var now = server.Clock.GetUtcNow();
            db.Add(new Brightline.Data.Entities.DeviceBinding { Address = "127.0.0.2", SchoolId = TestSchool.Id, PersonId = head.Id, BoundAt = now, Until = now.AddHours(8) });
            await db.SaveChangesAsync();
        }

        // No query is needed to pick it up: the DNS host reads the stored bindings on its own every few seconds.
        var bindings = server.Services.GetRequiredService<DnsClientBindings>();
        server.Clock.Advance(DnsClientBindings.SyncInterval);
        (await EventuallyAsync(() => bindings.Find(s_staffLaptop) is not null)).ShouldBeTrue("the stored binding was not followed");
        FirstA(await AskAsync(s_staffLaptop, dns, "allowed.school.test")).ShouldBe("10.0.0.10", "the first query after the sign-in is the person's");

        // That portal's sign-out deletes the row: the laptop goes back to its network's answer.
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<Brightline.Data.Entities.DeviceBinding>().ExecuteDeleteAsync();
        }

        server.Clock.Advance(DnsClientBindings.SyncInterval);
        (await EventuallyAsync(() => bindings.Find(s_staffLaptop) is null)).ShouldBeTrue("the deleted binding was still applied");
        FirstA(await AskAsync(s_staffLaptop, dns, "allowed.school.test")).ShouldBe("192.0.2.7");
    }

    /// <summary>With <c>Brightline:Dns:InPortal=false</c> the portal leaves the DNS endpoints to a separate <c>brightline dns</c>, even when asked to host it.</summary>
    [Fact]
    public async Task Portal_WithInPortalFalse_DoesNotHostTheDnsFilter()
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        var settings = DnsTestSettings.For(upstream);
        settings["Brightline:Dns:InPortal"] = "false";
        await using var server = await BrightlineServer.StartAsync(DatabaseProvider.Sqlite, settings: settings);
        await TestSchool.LoadPolicyAsync(server, PolicyYaml);
        var host = server.Services.GetRequiredService<DnsHost>();
        host.Server.ShouldBeNull();
        host.EndPoints.ShouldBeEmpty();
    }

    /// <summary>Waits (up to five seconds of real time) for a background pass to make <paramref name="condition"/> true.</summary>
    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 50 && !condition(); attempt++)
        {
            await Task.Delay(100);
        }

        return condition();
    }
}
