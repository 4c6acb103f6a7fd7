using System.Text;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Network;
using Brightline.People;
using Brightline.Tests.Filtering;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Network;

/// <summary>
/// Issue 13, point 2: MAC authentication of registered school devices on a school-devices network (O21, C3) and guest
/// vouchers on the guest network (O22), through the real FreeRADIUS 3.2 run from the configuration Brightline writes,
/// driven by radclient as the Wi-Fi controller. Both databases. The example policy: 'class-ipads' (Example-Devices)
/// gives device group ipads VLAN 40 and chromebooks VLAN 41; 'guest-wifi' (Example-Guest) is VLAN 50.
/// </summary>
public sealed class DeviceAndGuestTests
{
    private const string Secret = "controller-secret-1";
    private const string Devices = "AA-BB-CC-DD-EE-FF:Example-Devices";
    private const string Guest = "AA-BB-CC-DD-EE-FF:Example-Guest";
    private const string Staff = "AA-BB-CC-DD-EE-FF:Example-Staff";

    /// <summary>MAC authentication as controllers send it: the MAC as User-Name and (usually) as the password, and as Calling-Station-Id.</summary>
    private static Task<RadiusReply> MacAuthAsync(FreeRadiusServer radius, string userName, string calling, string called = Devices, bool password = true)
    {
        var attributes = new List<(string, string)> { ("User-Name", userName), ("NAS-IP-Address", "127.0.0.1"), ("Called-Station-Id", called), ("Calling-Station-Id", calling) };
        if (password)
        {
            attributes.Add(("User-Password", userName));
        }

        return radius.SendAsync("auth", [.. attributes]);
    }

    private static Task<RadiusReply> SignInAsync(FreeRadiusServer radius, string user, string password, string called) =>
        radius.SendAsync("auth", ("User-Name", user), ("User-Password", password), ("NAS-IP-Address", "127.0.0.1"),
            ("Called-Station-Id", called), ("Calling-Station-Id", "11-22-33-44-55-66"));

    private static async Task<DeviceImportResult> ImportAsync(BrightlineServer server, string csv)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<NetworkDevices>().ImportAsync(
            TestSchool.Id, new MemoryStream(Encoding.UTF8.GetBytes(csv)), "csv:test.csv", "it@school.test", CancellationToken.None);
    }

    private static async Task<IssuedVoucher> IssueAsync(BrightlineServer server, string visitor, DateTimeOffset from, DateTimeOffset until)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<GuestVouchers>().IssueAsync(
            new IssueVoucher(TestSchool.Id, visitor, "Governors' meeting", from, until, "h.marsh@school.test", null), CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DeviceImport_ReportsEveryBadLine_AndStoresNothing(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        await using var server = await BrightlineServer.StartAsync(provider, settings: FreeRadiusTests.Settings(upstream));
        await TestSchool.LoadPolicyAsync(server, FreeRadiusTests.PolicyYaml(quarantine: false));

        var bad = await ImportAsync(server, """
            MAC address,Device name,Device group
            aa-bb-cc-00-00-01,Class 3 iPad 1,ipads
            aa-bb-cc-00-00-0g,Class 3 iPad 2,ipads
            AABBCC000003,Class 3 iPad 3,ipad
            aa:bb:cc:00:00:01,Class 3 iPad 4,ipads
            aa-bb-cc-00-00-05,,chromebooks
            """);

        bad.Stored.ShouldBeFalse();
        bad.Errors.Select(e => e.ToString()).ShouldBe([
            "line 3: 'aa-bb-cc-00-00-0g' is not a MAC address (e.g. aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF or aabbccddeeff)",
            "line 4: 'ipad' is not a device group (the policy's device groups are ipads, chromebooks)",
            "line 5: aa:bb:cc:00:00:01 is already on line 2",
            "line 6: the device's name is missing or longer than 200 characters",
        ]);
        (await ImportAsync(server, "serial,name\n1,x\n")).Errors.ShouldHaveSingleItem().ToString().ShouldStartWith("line 1: the header has no column for mac, group");
        await using (var scope = server.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<NetworkDevice>().CountAsync()).ShouldBe(0, "a bad file stores nothing");
        }

        var good = await ImportAsync(server, "mac,name,group\naa-bb-cc-00-00-01,Class 3 iPad 1,ipads\n");
        (good.Added, good.Updated, good.Stored).ShouldBe((1, 0, true));
        var again = await ImportAsync(server, "mac,name,group\nAABBCC000001,Class 3 iPad 1,chromebooks\naabb.cc00.0002,Library Chromebook,chromebooks\n");
        (again.Added, again.Updated).ShouldBe((1, 1), "a known MAC, however written, is updated, not added twice");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task FreeRadius_AcceptsRegisteredDevicesOnTheirGroupsVlan_AndValidVouchersUntilTheyEnd(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        await using var server = await BrightlineServer.StartAsync(provider, settings: FreeRadiusTests.Settings(upstream));
        await TestSchool.LoadPolicyAsync(server, FreeRadiusTests.PolicyYaml(quarantine: false));
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var head = await TestSchool.PersonAsync(server, "S02");
        await CreateUserAsync(server, "h.marsh@school.test", "head", head.Id);
        (await ImportAsync(server, """
            mac,name,group
            AA-BB-CC-00-00-01,Class 3 iPad 1,ipads
            aabbcc000002,Library Chromebook 2,chromebooks
            """)).Stored.ShouldBeTrue();
        await using var radius = await FreeRadiusServer.StartAsync(server, TestSchool.Id, Secret);

        // O21, C3: a registered iPad, by whatever spelling of its MAC the controller uses, lands on its group's VLAN.
        var ipad = await MacAuthAsync(radius, "aabbcc000001", "AA-BB-CC-00-00-01");
        ipad.Code.ShouldBe("Access-Accept", radius.Log[^Math.Min(4000, radius.Log.Length)..]);
        ipad["Tunnel-Type"].ShouldBe("VLAN");
        ipad["Tunnel-Medium-Type"].ShouldBe("IEEE-802");
        ipad["Tunnel-Private-Group-Id"].ShouldBe("40");
        ipad["Session-Timeout"].ShouldBe("43200", "the policy's longest session: nothing nearer is known for a device");
        var chromebook = await MacAuthAsync(radius, "aa:bb:cc:00:00:02", "aa-bb-cc-00-00-02");
        chromebook.Code.ShouldBe("Access-Accept");
        chromebook["Tunnel-Private-Group-Id"].ShouldBe("41");

        // A controller that sends no password (MAC authentication as a call check): Brightline's Auth-Type Accept is the answer.
        var noPassword = await MacAuthAsync(radius, "AA-BB-CC-00-00-01", "AA-BB-CC-00-00-01", password: false);
        noPassword.Code.ShouldBe("Access-Accept", radius.Log[^Math.Min(4000, radius.Log.Length)..]);
        noPassword["Tunnel-Private-Group-Id"].ShouldBe("40");

        // A pupil's own phone: refused, saying why.
        var phone = await MacAuthAsync(radius, "12-34-56-78-9A-BC", "12-34-56-78-9A-BC");
        phone.Code.ShouldBe("Access-Reject");
        phone["Reply-Message"].ShouldBe("Network access refused: 12:34:56:78:9a:bc is not a registered school device: personal devices cannot join 'class-ipads'. Ask the school's IT support to register a school device.");

        // A registered MAC claimed by another device (Calling-Station-Id differs): refused.
        (await MacAuthAsync(radius, "AA-BB-CC-00-00-01", "12-34-56-78-9A-BC")).Code.ShouldBe("Access-Reject");

        // An account's sign-in on the school-devices network: refused, even with the right password.
        var account = await SignInAsync(radius, "h.marsh@school.test", Password, Devices);
        account.Code.ShouldBe("Access-Reject");
        account["Reply-Message"].ShouldBe("Network access refused: 'class-ipads' is for school devices only; personal devices and accounts cannot join it.");

        // The iPad's MAC on a people network is no account there: people networks authenticate as before.
        (await MacAuthAsync(radius, "aabbcc000001", "AA-BB-CC-00-00-01", called: Staff))["Reply-Message"]!.ShouldContain("there is no Brightline account with that user name");

        // A removed device is refused at its next authentication.
        await using (var scope = server.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<NetworkDevices>().RemoveAsync(TestSchool.Id, "aa-bb-cc-00-00-02", "it@school.test", CancellationToken.None)).ShouldBeTrue();
        }

        (await MacAuthAsync(radius, "aabbcc000002", "aa-bb-cc-00-00-02")).Code.ShouldBe("Access-Reject");

        // O22: a voucher for two hours is accepted on the guest VLAN with a Session-Timeout of its remaining time.
        var now = server.Clock.GetUtcNow();
        var voucher = await IssueAsync(server, "Mr A Visitor", now.AddMinutes(-5), now.AddHours(2));
        voucher.Password.ShouldMatch("^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$");
        var user = voucher.Voucher.UserName;
        var guest = await SignInAsync(radius, user, voucher.Password, Guest);
        guest.Code.ShouldBe("Access-Accept", radius.Log[^Math.Min(4000, radius.Log.Length)..]);
        guest["Tunnel-Private-Group-Id"].ShouldBe("50");
        int.Parse(guest["Session-Timeout"]!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(7199, 7200);
        (await SignInAsync(radius, user.ToUpperInvariant(), voucher.Password, Guest)).Code.ShouldBe("Access-Accept", "a user name typed in capitals is the same voucher");
        (await SignInAsync(radius, user, "not-the-password", Guest))["Reply-Message"].ShouldBe("Network access refused: the voucher's password is not right.");

        // O22 from a visitor's laptop: EAP-TTLS with PAP inside. A voucher is not decided at authorize (it answers "go on
        // to authenticate"), so this is the inner tunnel's authorize-then-authenticate round trip: the same VLAN and
        // remaining time, the voucher's user name (not the anonymous outer identity) in the Access-Accept.
        var eap = await radius.EapTtlsAsync(user, voucher.Password, Guest);
        eap.Success.ShouldBeTrue(eap.Output[^Math.Min(3000, eap.Output.Length)..]);
        System.Text.Encoding.ASCII.GetString(Convert.FromHexString(eap.Accept["Tunnel-Private-Group-Id"])).ShouldBe("50");
        int.Parse(eap.Accept["Session-Timeout"], System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(7100, 7200);
        eap.Accept["User-Name"].ShouldBe($"'{user}'");
        var eapWrong = await radius.EapTtlsAsync(user, "not-the-password", Guest);
        eapWrong.Success.ShouldBeFalse();
        eapWrong.Accept.ShouldBeEmpty();

        // A voucher on a people network, and an account on the guest network: refused.
        (await SignInAsync(radius, user, voucher.Password, Staff))["Reply-Message"]!.ShouldContain("there is no Brightline account with that user name");
        var accountOnGuest = await SignInAsync(radius, "h.marsh@school.test", Password, Guest);
        accountOnGuest.Code.ShouldBe("Access-Reject");
        accountOnGuest["Reply-Message"].ShouldBe("Network access refused: 'guest-wifi' is for visitors with a guest voucher; sign in to the school's own network with a Brightline account.");
        (await SignInAsync(radius, "guest-zzzzzz", "abcd-efgh-jkmn", Guest))["Reply-Message"].ShouldBe(
            "Network access refused: there is no guest voucher with that user name for 'guest-wifi'. Ask the school office for one.");

        // An hour on, the timeout is the hour left; after the end, refused with when it ended.
        server.Clock.Advance(TimeSpan.FromHours(1));
        var later = await SignInAsync(radius, user, voucher.Password, Guest);
        later.Code.ShouldBe("Access-Accept");
        int.Parse(later["Session-Timeout"]!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(3599, 3600);
        server.Clock.Advance(TimeSpan.FromHours(1));
        var ended = await SignInAsync(radius, user, voucher.Password, Guest);
        ended.Code.ShouldBe("Access-Reject");
        ended["Reply-Message"].ShouldBe($"Network access refused: this guest voucher ended on {Kernel.UkFormat.DateTime(voucher.Voucher.ValidUntil)}.");

        // A voucher not yet started, and one withdrawn.
        now = server.Clock.GetUtcNow();
        var tomorrow = await IssueAsync(server, "Mrs B Parent", now.AddDays(1), now.AddDays(1).AddHours(3));
        (await SignInAsync(radius, tomorrow.Voucher.UserName, tomorrow.Password, Guest))["Reply-Message"]!.ShouldStartWith("Network access refused: this guest voucher is valid from ");
        var withdrawn = await IssueAsync(server, "Ms C Contractor", now, now.AddHours(3));
        (await SignInAsync(radius, withdrawn.Voucher.UserName, withdrawn.Password, Guest)).Code.ShouldBe("Access-Accept");
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<GuestVouchers>().RevokeAsync(TestSchool.Id, withdrawn.Voucher.Id, "h.marsh@school.test", null, CancellationToken.None);
        }

        var revoked = await SignInAsync(radius, withdrawn.Voucher.UserName, withdrawn.Password, Guest);
        revoked.Code.ShouldBe("Access-Reject");
        revoked["Reply-Message"]!.ShouldStartWith("Network access refused: this guest voucher was withdrawn on ");

        // Only the hash is stored; nothing secret reached FreeRADIUS's log file.
        await using (var scope = server.CreateScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<GuestVoucher>().AsNoTracking().SingleAsync(v => v.Id == voucher.Voucher.Id);
            stored.PasswordHash.ShouldNotContain(voucher.Password);
        }

        var log = Path.Combine(radius.Directory, "log", "radius.log");
        (File.Exists(log) ? await File.ReadAllTextAsync(log) : "").ShouldNotContain(voucher.Password);
    }
}
