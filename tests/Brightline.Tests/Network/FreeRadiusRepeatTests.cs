using Brightline.AccessChanges;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Network;
using Brightline.People;
using Brightline.Sanctions;
using Brightline.Tests.Filtering;
using Brightline.Tests.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Network;

/// <summary>
/// Issue 13's benchmark path: FreeRADIUS answering a repeat sign-in itself from what Brightline's last live Accept left
/// (<see cref="FreeRadiusAnswers"/>), with the real FreeRADIUS run from the generated configuration. Proves the repeat
/// is FreeRADIUS's (Brightline's answer counters do not move), that it gives Brightline's VLAN and counts the session
/// down, and that anything it cannot vouch for — another password, device or network — and every access change
/// (H2/C1 signatures, a sanction, a password change) go back to Brightline at once. Both databases.
/// </summary>
public sealed class FreeRadiusRepeatTests
{
    private const string Secret = "controller-secret-1";
    private const string StaffSsid = "AA-BB-CC-DD-EE-FF:Example-Staff";

    private static Task<RadiusReply> SignInAsync(FreeRadiusServer radius, string user, string password = Password, string device = "11-22-33-44-55-66") =>
        radius.SendAsync("auth",
            ("User-Name", user), ("User-Password", password), ("NAS-IP-Address", "127.0.0.1"),
            ("Called-Station-Id", StaffSsid), ("Calling-Station-Id", device));

    /// <summary>How many sign-ins Brightline itself has answered with a plain Accept (each one is recorded for the Network page).</summary>
    private static long BrightlineAccepts(BrightlineServer server) => server.Services.GetRequiredService<RecentAccepts>().Remembered;

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task RepeatSignIns_AreFreeRadiusOwn_UntilAnythingChanges(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        var coaPort = FreeRadiusServer.FreeUdpPort();
        var settings = FreeRadiusTests.Settings(upstream);
        settings[$"Brightline:Radius:AnswerCaches:{TestSchool.Id}:0"] = $"127.0.0.1:{coaPort}";
        await using var server = await BrightlineServer.StartAsync(provider, settings: settings);
        await TestSchool.LoadPolicyAsync(server, FreeRadiusTests.PolicyYaml(quarantine: false));
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var head = await TestSchool.PersonAsync(server, "S02");
        var user = await CreateUserAsync(server, "h.marsh@school.test", "head", head.Id);
        await SignAsync(server, head, head, "staff", "Headteacher");
        await using var radius = await FreeRadiusServer.StartAsync(server, TestSchool.Id, Secret, coaPort);
        // The import and the signature are access changes too: their "forget" must reach FreeRADIUS before the repeats are counted.
        await SettledAsync(server);

        // The first sign-in is Brightline's: VLAN 30 for staff, a session of the policy's 12 hours.
        var live = await SignInAsync(radius, "h.marsh@school.test");
        live.Code.ShouldBe("Access-Accept", radius.Log[^Math.Min(4000, radius.Log.Length)..]);
        live["Tunnel-Private-Group-Id"].ShouldBe("30");
        live["Session-Timeout"].ShouldBe("43200");
        var answered = BrightlineAccepts(server);

        // The same person, password, device and network again: FreeRADIUS answers it alone, with the same VLAN and the
        // session counted down to the same end (by FreeRADIUS's clock: a second or two may have passed).
        var repeat = await SignInAsync(radius, "h.marsh@school.test");
        repeat.Code.ShouldBe("Access-Accept", radius.Log[^Math.Min(6000, radius.Log.Length)..]);
        repeat["Tunnel-Private-Group-Id"].ShouldBe("30");
        repeat["Tunnel-Type"].ShouldBe("VLAN");
        int.Parse(repeat["Session-Timeout"]!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(43_190, 43_200);
        repeat["Reply-Message"].ShouldBeNull();
        BrightlineAccepts(server).ShouldBe(answered, "FreeRADIUS answered the repeat without asking Brightline");
        radius.Log.ShouldContain("answered-by-freeradius");

        // 802.1X (EAP-TTLS with PAP inside): the inner tunnel repeats the same way, and the answer still names her.
        var firstEap = await radius.EapTtlsAsync("h.marsh@school.test", Password, StaffSsid);
        firstEap.Success.ShouldBeTrue(firstEap.Output[^Math.Min(3000, firstEap.Output.Length)..]);
        answered = BrightlineAccepts(server);
        var repeatEap = await radius.EapTtlsAsync("h.marsh@school.test", Password, StaffSsid);
        repeatEap.Success.ShouldBeTrue(repeatEap.Output[^Math.Min(3000, repeatEap.Output.Length)..]);
        System.Text.Encoding.ASCII.GetString(Convert.FromHexString(repeatEap.Accept["Tunnel-Private-Group-Id"])).ShouldBe("30");
        repeatEap.Accept["User-Name"].ShouldBe("'h.marsh@school.test'");
        BrightlineAccepts(server).ShouldBe(answered, "the inner tunnel's repeat was FreeRADIUS's own");
        (await SignInAsync(radius, "h.marsh@school.test")).Code.ShouldBe("Access-Accept"); // another device context than eapol_test's: live
        answered = BrightlineAccepts(server);

        // A wrong password is never FreeRADIUS's to refuse: Brightline does (and counts it towards the lockout), with
        // nothing of the kept Accept in the reject. The entry is gone; the right password is live again, then repeated.
        var wrong = await SignInAsync(radius, "h.marsh@school.test", "not-the-password");
        wrong.Code.ShouldBe("Access-Reject");
        wrong["Reply-Message"].ShouldBe("Network access refused: the password is not right.");
        wrong["Tunnel-Private-Group-Id"].ShouldBeNull("nothing of the kept Accept may go out with a reject");
        (await SignInAsync(radius, "h.marsh@school.test")).Code.ShouldBe("Access-Accept");
        BrightlineAccepts(server).ShouldBe(answered + 1);
        (await SignInAsync(radius, "h.marsh@school.test")).Code.ShouldBe("Access-Accept");
        BrightlineAccepts(server).ShouldBe(answered + 1);

        // Another device (Calling-Station-Id) is Brightline's to decide (a personal device may not be allowed).
        (await SignInAsync(radius, "h.marsh@school.test", device: "66-55-44-33-22-11")).Code.ShouldBe("Access-Accept");
        BrightlineAccepts(server).ShouldBe(answered + 2);

        // A password change (portal or reset) is an access change: the old password stops opening the network at once.
        await using (var scope = server.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var account = (await users.FindByIdAsync(user.Id)).ShouldNotBeNull();
            (await users.ChangePasswordAsync(account, Password, Password + "-new")).Succeeded.ShouldBeTrue();
            await scope.ServiceProvider.GetRequiredService<IAccessChanges>().PublishForAccountAsync(
                scope.ServiceProvider.GetRequiredService<BrightlineDbContext>(), user.Id, AccessChangeReasons.PasswordChanged, CancellationToken.None);
        }

        var old = await EventuallyAsync(() => SignInAsync(radius, "h.marsh@school.test", device: "66-55-44-33-22-11"), r => r.Code == "Access-Reject");
        old["Reply-Message"].ShouldBe("Network access refused: the password is not right.");
        await SettledAsync(server);
        (await SignInAsync(radius, "h.marsh@school.test", Password + "-new")).Code.ShouldBe("Access-Accept");
        (await SignInAsync(radius, "h.marsh@school.test", Password + "-new")).Code.ShouldBe("Access-Accept");
        var beforeSanction = BrightlineAccepts(server);

        // A sanction: Brightline tells FreeRADIUS to forget what it keeps, so the very next sign-in is refused (F7, W5).
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<SanctionService>().ImposeAsync(
                new ImposeSanction(TestSchool.Id, head.Id, SanctionKind.SuspendAccount, "Shared her password", server.Clock.GetUtcNow().AddDays(2), [], "it@school.test"),
                CancellationToken.None);
        }

        var suspended = await EventuallyAsync(() => SignInAsync(radius, "h.marsh@school.test", Password + "-new"), r => r.Code == "Access-Reject");
        suspended["Reply-Message"].ShouldBe("Network access refused: the account is suspended until 27 November 2026, 10:00.");
        BrightlineAccepts(server).ShouldBe(beforeSanction);
    }

    /// <summary>Waits (at most 30 s) until the disconnect worker has no access change queued or in hand.</summary>
    private static async Task SettledAsync(BrightlineServer server)
    {
        var queue = server.Services.GetRequiredService<DisconnectQueue>();
        for (var attempt = 0; attempt < 300 && queue.Pending > 0; attempt++)
        {
            await Task.Delay(100);
        }

        queue.Pending.ShouldBe(0, "the access changes were not all worked through");
    }

    /// <summary>
    /// The access change reaches FreeRADIUS through the disconnect worker, a moment after it commits: the sign-in is
    /// tried every 200 ms for at most ten seconds until it gives the expected answer.
    /// </summary>
    private static async Task<RadiusReply> EventuallyAsync(Func<Task<RadiusReply>> signIn, Func<RadiusReply, bool> expected)
    {
        RadiusReply reply = await signIn();
        for (var attempt = 0; attempt < 50 && !expected(reply); attempt++)
        {
            await Task.Delay(200);
            reply = await signIn();
        }

        return reply;
    }
}
