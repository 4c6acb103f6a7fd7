using System.Net;
using Brightline.ClientBindings;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.People;
using Brightline.Policy.Model;
using Brightline.Sanctions;
using Brightline.Tests.Filtering;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Network;

/// <summary>
/// Issue 13 end to end: the real FreeRADIUS, run from the configuration <c>brightline radius config</c> writes,
/// asking the real Brightline on Kestrel through rlm_rest; radclient as the Wi-Fi controller, eapol_test as a laptop (EAP-TTLS/PAP); the hosted DNS filter
/// answering real queries for the address accounting binds. Both databases. The clock is Wednesday 25 November 2026,
/// 10:00: teaching hours, when staff social networking is blocked (and the visitors' fallback allows it).
/// </summary>
public sealed class FreeRadiusTests
{
    public const string MachineKey = "rad_test-machine-key-0123456789abcdef";
    private const string Secret = "controller-secret-1";
    private const string StaffSsid = "AA-BB-CC-DD-EE-FF:Example-Staff";
    private static readonly IPAddress s_laptop = IPAddress.Parse("127.0.0.9");

    /// <summary>The example policy with its Wi-Fi controller on loopback (where radclient is), unsigned people rejected or quarantined.</summary>
    public static string PolicyYaml(bool quarantine) => TestSchool.ExampleYaml
        .Replace("address: 10.0.0.2, secret_setting: wifi-controller", "address: 127.0.0.1, secret_setting: wifi-controller", StringComparison.Ordinal)
        .Replace("unsigned: quarantine", quarantine ? "unsigned: quarantine" : "unsigned: reject", StringComparison.Ordinal);

    public static Dictionary<string, string?> Settings(FakeUpstream upstream)
    {
        var settings = DnsTestSettings.For(upstream);
        settings[$"Brightline:Radius:MachineKeys:{TestSchool.Id}"] = MachineKey;
        settings["Brightline:Radius:ClientSecrets:wifi-controller"] = Secret;
        settings["Brightline:Radius:ClientSecrets:core-switch"] = "core-switch-secret";
        return settings;
    }

    private static Task<RadiusReply> SignInAsync(FreeRadiusServer radius, string user, string password = Password, string called = StaffSsid) =>
        radius.SendAsync("auth",
            ("User-Name", user), ("User-Password", password), ("NAS-IP-Address", "127.0.0.1"),
            ("Called-Station-Id", called), ("Calling-Station-Id", "11-22-33-44-55-66"));

    private static Task<RadiusReply> AccountingAsync(FreeRadiusServer radius, string user, string status, IPAddress address) =>
        radius.SendAsync("acct",
            ("User-Name", user), ("Acct-Status-Type", status), ("Acct-Session-Id", "session-1"), ("NAS-IP-Address", "127.0.0.1"),
            ("Framed-IP-Address", address.ToString()), ("Called-Station-Id", StaffSsid), ("Calling-Station-Id", "11-22-33-44-55-66"));

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task FreeRadius_AcceptsWithTheVlanAndTimeout_RejectsWithTheReason_AccountingBindsForTheDnsFilter(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        upstream.AddA("www.facebook.com", "192.0.2.8", ttl: 300);
        await using var server = await BrightlineServer.StartAsync(provider, settings: Settings(upstream));
        await TestSchool.LoadPolicyAsync(server, PolicyYaml(quarantine: true));
        await server.Services.GetRequiredService<WebFiltering.FilterService>().RefreshAsync(CancellationToken.None);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var head = await TestSchool.PersonAsync(server, "S02");
        var lead = await TestSchool.PersonAsync(server, "S01");
        var governor = await TestSchool.PersonAsync(server, "G01");
        await CreateUserAsync(server, "h.marsh@school.test", "head", head.Id);
        await CreateUserAsync(server, "priya.patel@school.test", "computing_lead", lead.Id);
        await CreateUserAsync(server, "m.ellis@governors.test", "staff", governor.Id);
        await using var radius = await FreeRadiusServer.StartAsync(server, TestSchool.Id, Secret);

        // H2 with 'unsigned: quarantine': the head has not signed the staff agreement, so she lands on the quarantine VLAN, briefly.
        var quarantined = await SignInAsync(radius, "h.marsh@school.test");
        quarantined.Code.ShouldBe("Access-Accept", radius.Log[^Math.Min(4000, radius.Log.Length)..]);
        quarantined["Tunnel-Private-Group-Id"].ShouldBe("99");
        quarantined["Tunnel-Type"].ShouldBe("VLAN");
        quarantined["Tunnel-Medium-Type"].ShouldBe("IEEE-802");
        quarantined["Session-Timeout"].ShouldBe("600");
        quarantined["Reply-Message"]!.ShouldContain("must be signed first");

        // With 'unsigned: reject' the same person is refused, in words.
        await TestSchool.LoadPolicyAsync(server, PolicyYaml(quarantine: false));
        var unsigned = await SignInAsync(radius, "h.marsh@school.test");
        unsigned.Code.ShouldBe("Access-Reject");
        unsigned["Reply-Message"]!.ShouldContain("Network access refused:");
        unsigned["Reply-Message"]!.ShouldContain("must be signed first. Sign it in the Brightline portal.");

        // Signed: her group's VLAN on the staff Wi-Fi, and a session of the policy's 12 hours (nothing nearer is known).
        await SignAsync(server, head, head, "staff", "Headteacher");
        var accepted = await SignInAsync(radius, "h.marsh@school.test");
        accepted.Code.ShouldBe("Access-Accept", accepted.Output);
        accepted["Tunnel-Private-Group-Id"].ShouldBe("30");
        accepted["Session-Timeout"].ShouldBe("43200");
        accepted["Reply-Message"].ShouldBeNull();

        // 802.1X as a laptop does it: EAP-TTLS with PAP inside, the same answer (the inner tunnel asks Brightline).
        var eap = await radius.EapTtlsAsync("h.marsh@school.test", Password, StaffSsid);
        eap.Success.ShouldBeTrue(eap.Output[^Math.Min(3000, eap.Output.Length)..]);
        System.Text.Encoding.ASCII.GetString(Convert.FromHexString(eap.Accept["Tunnel-Private-Group-Id"])).ShouldBe("30");
        eap.Accept["Session-Timeout"].ShouldBe("43200");
        eap.Accept["User-Name"].ShouldBe("'h.marsh@school.test'", "the inner identity, not the anonymous outer one, so accounting names her");
        var eapWrong = await radius.EapTtlsAsync("h.marsh@school.test", "not-the-password", StaffSsid);
        eapWrong.Success.ShouldBeFalse();
        eapWrong.Accept.ShouldBeEmpty();
        // The reason reaches the controller's log although the refusal was decided inside the tunnel.
        eapWrong.Reject.ShouldContainKey("Reply-Message", radius.Log[^Math.Min(20000, radius.Log.Length)..]);
        eapWrong.Reject["Reply-Message"].ShouldBe("'Network access refused: the password is not right.'");

        // The wrong password, an unknown account, a network not in the policy, a school-devices-only network.
        (await SignInAsync(radius, "h.marsh@school.test", "not-the-password"))["Reply-Message"].ShouldBe("Network access refused: the password is not right.");
        var unknown = await SignInAsync(radius, "nobody@school.test");
        unknown.Code.ShouldBe("Access-Reject");
        unknown["Reply-Message"]!.ShouldContain("there is no Brightline account with that user name");
        (await SignInAsync(radius, "h.marsh@school.test", called: "AA-BB-CC-DD-EE-FF:Cafe-Wifi"))["Reply-Message"]!.ShouldContain("is not in the school's policy");
        var devices = await SignInAsync(radius, "h.marsh@school.test", called: "AA-BB-CC-DD-EE-FF:Example-Devices");
        devices.Code.ShouldBe("Access-Reject");
        devices["Reply-Message"]!.ShouldContain("'class-ipads' is for school devices only");

        // Suspended by a sanction: refused, saying until when.
        await SignAsync(server, lead, lead, "staff", "Computing Lead");
        (await SignInAsync(radius, "priya.patel@school.test")).Code.ShouldBe("Access-Accept");
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<SanctionService>().ImposeAsync(
                new ImposeSanction(TestSchool.Id, lead.Id, SanctionKind.SuspendAccount, "Shared her password", server.Clock.GetUtcNow().AddDays(2), [], "it@school.test"),
                CancellationToken.None);
        }

        var suspended = await SignInAsync(radius, "priya.patel@school.test");
        suspended.Code.ShouldBe("Access-Reject");
        suspended["Reply-Message"].ShouldBe("Network access refused: the account is suspended until 27 November 2026, 10:00.");

        // A leaver (a full staff import without her): refused, with the day she left.
        await TestSchool.ImportAsync(server, ImportKind.Staff, string.Join('\n', TestSchool.StaffCsv.Split('\n').Where(l => !l.Contains("G01", StringComparison.Ordinal))));
        var leaver = await SignInAsync(radius, "m.ellis@governors.test");
        leaver.Code.ShouldBe("Access-Reject");
        leaver["Reply-Message"].ShouldBe("Network access refused: this account's owner left the school on 25 November 2026.");

        // Accounting: the laptop's address gets the head's own profile in the DNS filter (staff: no social networking in
        // teaching hours) instead of the visitors' fallback (social networking allowed); Stop gives it back.
        var dns = DnsTestSettings.EndPoint(server);
        DnsTestClient.FirstA(await DnsTestClient.AskFromAsync(s_laptop, dns, "www.facebook.com")).ShouldBe("192.0.2.8");
        (await AccountingAsync(radius, "h.marsh@school.test", "Start", s_laptop)).Code.ShouldBe("Accounting-Response");
        var bindings = server.Services.GetRequiredService<DnsClientBindings>();
        bindings.Find(s_laptop).ShouldNotBeNull().PersonId.ShouldBe(head.Id);
        (await StoredAsync(server)).ShouldHaveSingleItem().Until.ShouldBe(server.Clock.GetUtcNow().AddHours(12));
        DnsTestClient.FirstA(await DnsTestClient.AskFromAsync(s_laptop, dns, "www.facebook.com")).ShouldBe("10.0.0.10", "the staff profile blocks social networking now");

        (await AccountingAsync(radius, "h.marsh@school.test", "Interim-Update", s_laptop)).Code.ShouldBe("Accounting-Response");
        bindings.Find(s_laptop).ShouldNotBeNull().PersonId.ShouldBe(head.Id);

        // Another person's Stop for the address does not unbind her; her own does.
        (await AccountingAsync(radius, "priya.patel@school.test", "Stop", s_laptop)).Code.ShouldBe("Accounting-Response");
        bindings.Find(s_laptop).ShouldNotBeNull();
        (await AccountingAsync(radius, "h.marsh@school.test", "Stop", s_laptop)).Code.ShouldBe("Accounting-Response");
        bindings.Find(s_laptop).ShouldBeNull();
        (await StoredAsync(server)).ShouldBeEmpty();
        DnsTestClient.FirstA(await DnsTestClient.AskFromAsync(s_laptop, dns, "www.facebook.com")).ShouldBe("192.0.2.8");

        // Nothing secret reached FreeRADIUS's own log file (auth_badpass/auth_goodpass are off).
        var log = Path.Combine(radius.Directory, "log", "radius.log");
        (File.Exists(log) ? await File.ReadAllTextAsync(log) : "").ShouldNotContain(Password);
    }

    private static async Task<List<DeviceBinding>> StoredAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<DeviceBinding>().AsNoTracking().ToListAsync();
    }
}
