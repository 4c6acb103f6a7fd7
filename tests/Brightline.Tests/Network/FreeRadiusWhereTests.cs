using System.Net;
using Brightline.ClientBindings;
using Brightline.Data;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Tests.Filtering;
using Brightline.Tests.People;
using Brightline.WebFiltering;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Network;

/// <summary>
/// "Where as well as who" and "Brightline unreachable" (issue 13), end to end with the real FreeRADIUS run from the
/// written configuration, radclient as the controller and the hosted DNS filter, on both databases. The example
/// policy's boarding house: boarders (Years 5–6) on its Wi-Fi until 21:30 on school nights, with the stricter evening
/// profile from 18:00; staff on duty not limited. Its staff Wi-Fi stays up from FreeRADIUS's cache while Brightline is
/// down; the boarding Wi-Fi, which pupils join, fails closed. The test clock is set to each moment (never a timed wait):
/// Wednesday 25 November 2026 is a school night, and London is on GMT, so UTC is school time.
/// </summary>
public sealed class FreeRadiusWhereTests
{
    private const string Secret = "controller-secret-1";
    private const string BoardingSsid = "AA-BB-CC-DD-EE-01:Example-Boarding";
    private const string StaffSsid = "AA-BB-CC-DD-EE-02:Example-Staff";
    private static readonly IPAddress s_boardersLaptop = IPAddress.Parse("127.0.0.11");

    /// <summary>
    /// The example policy as <see cref="FreeRadiusTests.PolicyYaml"/> has it, with two changes for this test only: the
    /// pupils' agreements withhold nothing (so the location rules alone decide, without a pupil and parent signing),
    /// and the evening profile is the walled garden (reception: only its allow list), so a DNS answer shows it plainly.
    /// </summary>
    private static string PolicyYaml() => FreeRadiusTests.PolicyYaml(quarantine: false)
        .Replace("withholds: [internet]", "withholds: []", StringComparison.Ordinal)
        .Replace("- { groups: [upper_ks2], profile: ks1, from: \"18:00\", to: \"22:30\" }", "- { groups: [upper_ks2], profile: reception, from: \"18:00\", to: \"22:30\" }", StringComparison.Ordinal);

    private static DateTimeOffset At(int hour, int minute = 0) => new(2026, 11, 25, hour, minute, 0, TimeSpan.Zero);

    private static Task<RadiusReply> SignInAsync(FreeRadiusServer radius, string user, string called, string password = Password) =>
        radius.SendAsync("auth",
            ("User-Name", user), ("User-Password", password), ("NAS-IP-Address", "127.0.0.1"),
            ("Called-Station-Id", called), ("Calling-Station-Id", "11-22-33-44-55-77"));

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Boarding_WindowsDecideTheAnswerAndTheDnsProfile_StaffStayUpFromTheCache_PupilsFailClosed(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        upstream.AddA("www.example.org", "192.0.2.20", ttl: 300);
        await using var server = await BrightlineServer.StartAsync(provider, settings: FreeRadiusTests.Settings(upstream));
        await TestSchool.LoadPolicyAsync(server, PolicyYaml());
        await server.Services.GetRequiredService<FilterService>().RefreshAsync(CancellationToken.None);
        await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var leo = await TestSchool.PersonAsync(server, "A004"); // Year 5: upper_ks2, a boarder here
        var head = await TestSchool.PersonAsync(server, "S02");
        await CreateUserAsync(server, "leo.khan@school.test", "pupil", leo.Id);
        await CreateUserAsync(server, "h.marsh@school.test", "head", head.Id);
        await SignAsync(server, head, head, "staff", "Headteacher");
        await using var radius = await FreeRadiusServer.StartAsync(server, TestSchool.Id, Secret);

        // brightline filter test --where: the same rules, saying which applied and why; an unknown place is an error.
        var filter = await server.Services.GetRequiredService<FilterService>().GetAsync(TestSchool.Id, CancellationToken.None);
        var upperKs2 = FilterTester.ForGroup(filter, filter.Policy.FindGroup("upper_ks2")!);
        var at19 = FilterTester.TestWhere(filter, "www.example.org", upperKs2, At(19), "boarding-house");
        at19.Closed.ShouldBeFalse();
        at19.Subject.Profiles.ShouldBe(filter.ProfilesFor(["reception"]));
        var text = at19.Render();
        text.ShouldContain("where: location 'boarding-house': open until 21:30; filtered by the 'reception' profile (location 'boarding-house' filters upper_ks2 by it 18:00–22:30)");
        text.ShouldContain("decision: BLOCK");
        var at22 = FilterTester.TestWhere(filter, "www.example.org", upperKs2, At(22), "boarding-wifi").Render();
        at22.ShouldContain("CLOSED to this person: the boarding-house network is closed now: it closes at 21:30 on school nights; opens at 07:00 tomorrow");
        at22.ShouldContain("decision: BLOCK — closed here now");
        FilterTester.TestWhere(filter, "www.example.org", FilterTester.ForGroup(filter, filter.Policy.FindGroup("staff")!), At(22), "boarding-house")
            .Render().ShouldContain("where: location 'boarding-house': no opening hours limit this person here; filtered by their own profiles");
        Should.Throw<InvalidException>(() => FilterTester.TestWhere(filter, "www.example.org", upperKs2, At(19), "boarding-hose"))
            .Message.ShouldContain("did you mean 'boarding-house'?");

        // The DNS filter: accounting on the boarding Wi-Fi binds Leo's laptop with its network, and the location's rules
        // decide his answers — his own profile before 18:00, the evening profile after, nothing at all once it closes.
        server.Clock.SetUtcNow(At(17));
        (await radius.SendAsync("acct",
            ("User-Name", "leo.khan@school.test"), ("Acct-Status-Type", "Start"), ("Acct-Session-Id", "boarding-1"), ("NAS-IP-Address", "127.0.0.1"),
            ("Framed-IP-Address", s_boardersLaptop.ToString()), ("Called-Station-Id", BoardingSsid))).Code.ShouldBe("Accounting-Response");
        server.Services.GetRequiredService<DnsClientBindings>().Find(s_boardersLaptop).ShouldNotBeNull().Network.ShouldBe("boarding-wifi");
        var dns = DnsTestSettings.EndPoint(server);
        DnsTestClient.FirstA(await DnsTestClient.AskFromAsync(s_boardersLaptop, dns, "www.example.org")).ShouldBe("192.0.2.20", "17:00: his own upper_ks2 profile");
        server.Clock.SetUtcNow(At(19));
        DnsTestClient.FirstA(await DnsTestClient.AskFromAsync(s_boardersLaptop, dns, "www.example.org")).ShouldBe("10.0.0.10", "19:00: the evening profile blocks it");
        // 20:00 on a school night: open, and the session ends at 21:30 (90 minutes), not after the usual 12 hours.
        server.Clock.SetUtcNow(At(20));
        var evening = await SignInAsync(radius, "leo.khan@school.test", BoardingSsid);
        evening.Code.ShouldBe("Access-Accept", radius.Log[^Math.Min(4000, radius.Log.Length)..]);
        evening["Tunnel-Private-Group-Id"].ShouldBe("22");
        evening["Session-Timeout"].ShouldBe("5400");

        // 22:00: closed, in words; staff on duty are not limited by the boarders' hours.
        server.Clock.SetUtcNow(At(22));
        var night = await SignInAsync(radius, "leo.khan@school.test", BoardingSsid);
        night.Code.ShouldBe("Access-Reject");
        night["Reply-Message"].ShouldBe("Network access refused: the boarding-house network is closed now: it closes at 21:30 on school nights; opens at 07:00 tomorrow.");
        var duty = await SignInAsync(radius, "h.marsh@school.test", BoardingSsid);
        duty.Code.ShouldBe("Access-Accept");
        duty["Tunnel-Private-Group-Id"].ShouldBe("30");

        DnsTestClient.FirstA(await DnsTestClient.AskFromAsync(s_boardersLaptop, dns, "www.bbc.co.uk")).ShouldBe("10.0.0.10", "22:00: closed, even the allow list");

        // Brightline unreachable. The head has just been accepted live on the staff Wi-Fi (when_unreachable: cached), and
        // Leo was at 20:00 on the boarding Wi-Fi (fail closed: pupils join it).
        (await SignInAsync(radius, "h.marsh@school.test", StaffSsid)).Code.ShouldBe("Access-Accept");
        await server.StopAsync();

        var cached = await SignInAsync(radius, "h.marsh@school.test", StaffSsid);
        cached.Code.ShouldBe("Access-Accept", radius.Log[^Math.Min(6000, radius.Log.Length)..]);
        cached["Tunnel-Private-Group-Id"].ShouldBe("30");
        cached["Session-Timeout"].ShouldBe("300", "short, so the device asks again and gets a live answer once Brightline is back");
        cached["Reply-Message"]!.ShouldContain("Brightline could not be reached");
        (await SignInAsync(radius, "h.marsh@school.test", StaffSsid, "not-the-password")).Code.ShouldBe("Access-Reject", "a wrong password never passes the cache");
        (await SignInAsync(radius, "h.marsh@school.test", BoardingSsid)).Code.ShouldBe("Access-Reject", "her Accept on the boarding Wi-Fi (fail closed) was never cached");
        (await SignInAsync(radius, "leo.khan@school.test", BoardingSsid)).Code.ShouldBe("Access-Reject", "pupils' networks fail closed");
        (await SignInAsync(radius, "priya.patel@school.test", StaffSsid)).Code.ShouldBe("Access-Reject", "nobody without a live Accept in the cache");

        // The cache holds a salted hash, never the password, and FreeRADIUS's own log never shows it.
        var log = Path.Combine(radius.Directory, "log", "radius.log");
        (File.Exists(log) ? await File.ReadAllTextAsync(log) : "").ShouldNotContain(Password);
    }
}
