using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Network;
using Brightline.People;
using Brightline.Sanctions;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Brightline.Tests.Agreements.AgreementTestData;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Network;

/// <summary>
/// Issue 13, point 4: access changes reach the network. The real Brightline on Kestrel, both databases; sessions made
/// by RADIUS accounting through the rlm_rest API; a sanction imposed through the service the portal uses; and a NAS's
/// Disconnect (DAE) port played by <see cref="TestDisconnectServer"/> on loopback, which verifies every request's
/// authenticators with the shared secret and answers ACK, NAK, nothing, or with another secret.
/// </summary>
public sealed class DisconnectTests(ITestOutputHelper output)
{
    private const string Secret = "controller-secret-1";
    private const string StaffSsid = "AA-BB-CC-DD-EE-FF:Example-Staff";

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider, int dasPort)
    {
        var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [$"Brightline:Radius:MachineKeys:{TestSchool.Id}"] = FreeRadiusTests.MachineKey,
            ["Brightline:Radius:ClientSecrets:wifi-controller"] = Secret,
            // Short waits, so the silent NAS costs a second rather than nine.
            ["Brightline:Radius:DisconnectTimeoutMilliseconds"] = "400",
            ["Brightline:Radius:DisconnectAttempts"] = "2",
        });
        try
        {
            await TestSchool.LoadPolicyAsync(server, FreeRadiusTests.PolicyYaml(quarantine: false).Replace(
                "address: 127.0.0.1, secret_setting: wifi-controller", $"address: 127.0.0.1, secret_setting: wifi-controller, disconnect_port: {dasPort}", StringComparison.Ordinal));
            await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An accounting Start as FreeRADIUS's rlm_rest posts it.</summary>
    private static async Task StartSessionAsync(BrightlineServer server, string user, string sessionId, string nas, string address, string mac)
    {
        var (status, text) = await PostAsync(server, "accounting",
            ("User-Name", user), ("Acct-Status-Type", "Start"), ("Acct-Session-Id", sessionId), ("NAS-IP-Address", nas),
            ("Framed-IP-Address", address), ("Called-Station-Id", StaffSsid), ("Calling-Station-Id", mac));
        status.ShouldBe(HttpStatusCode.NoContent, text);
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(BrightlineServer server, string stage, params (string Name, string Value)[] attributes)
    {
        var body = new JsonObject();
        foreach (var (name, value) in attributes)
        {
            body[name] = new JsonObject { ["type"] = "string", ["value"] = new JsonArray(value) };
        }

        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FreeRadiusTests.MachineKey);
        using var response = await client.PostAsync($"/api/v1/radius/{stage}", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<NetworkSession> SessionAsync(BrightlineServer server, string acctSessionId)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<NetworkSession>().AsNoTracking()
            .SingleAsync(s => s.AcctSessionId == acctSessionId);
    }

    private static async Task<List<AuditEntry>> DisconnectAuditAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.Action == SessionDisconnects.AuditAction).OrderBy(e => e.Id).ToListAsync();
    }

    private static async Task<DisconnectResult> PortalDisconnectAsync(BrightlineServer server, Guid sessionId, string reason)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SessionDisconnects>().DisconnectAsync(TestSchool.Id, sessionId, reason, "head@school.test", null, CancellationToken.None);
    }

    /// <summary>Polls (bounded in count and time) until the condition holds; the test then asserts on state, never on how long it took.</summary>
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 300 && clock.Elapsed < TimeSpan.FromSeconds(30); i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ASanction_DisconnectsThePersonsLiveSession_AndThePortalsDisconnectRecordsAckNakSilenceAndAWrongSecret(DatabaseProvider provider)
    {
        using var nas = new TestDisconnectServer(Secret);
        await using var server = await StartAsync(provider, nas.Port);
        var lead = await TestSchool.PersonAsync(server, "S01");
        var head = await TestSchool.PersonAsync(server, "S02");
        await CreateUserAsync(server, "priya.patel@school.test", "computing_lead", lead.Id);
        await CreateUserAsync(server, "h.marsh@school.test", "head", head.Id);
        await SignAsync(server, lead, lead, "staff", "Computing Lead");
        await SignAsync(server, head, head, "staff", "Headteacher");

        // Accounting makes the sessions (and binds their addresses — an access change of its own, which must not disconnect anyone).
        await StartSessionAsync(server, "priya.patel@school.test", "session-1", "127.0.0.1", "192.0.2.21", "11-22-33-44-55-01");
        await StartSessionAsync(server, "h.marsh@school.test", "session-2", "127.0.0.1", "192.0.2.22", "11-22-33-44-55-02");
        await StartSessionAsync(server, "h.marsh@school.test", "session-3", "198.51.100.7", "192.0.2.23", "11-22-33-44-55-03");

        // A sanction imposed as the portal imposes it: Priya's live session is disconnected at the NAS within seconds.
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<SanctionService>().ImposeAsync(
                new ImposeSanction(TestSchool.Id, lead.Id, SanctionKind.SuspendAccount, "Shared her password", server.Clock.GetUtcNow().AddDays(2), [], "it@school.test"),
                CancellationToken.None);
        }

        (await EventuallyAsync(async () => (await SessionAsync(server, "session-1")).EndedAt is not null)).ShouldBeTrue("the session should end on the NAS's Disconnect-ACK");
        var sent = nas.Received.ShouldHaveSingleItem("one Disconnect-Request, for Priya's session only (the address bindings accounting made disconnected nobody)");
        sent.Code.ShouldBe((byte)40);
        sent.RequestAuthenticatorValid.ShouldBeTrue();
        sent.MessageAuthenticatorValid.ShouldBeTrue();
        sent.Text(DisconnectCodec.UserName).ShouldBe("priya.patel@school.test");
        sent.Text(DisconnectCodec.AcctSessionId).ShouldBe("session-1");
        sent.Text(DisconnectCodec.CallingStationId).ShouldBe("11-22-33-44-55-01");
        sent.Attributes[DisconnectCodec.NasIpAddress].ShouldBe([127, 0, 0, 1]);
        sent.Attributes.ShouldContainKey(DisconnectCodec.EventTimestamp);
        (await SessionAsync(server, "session-1")).EndReason.ShouldBe("disconnected: sanction-imposed");
        var automatic = (await DisconnectAuditAsync(server)).ShouldHaveSingleItem();
        automatic.Actor.ShouldBe(SessionDisconnects.SystemActor);
        automatic.Subject.ShouldBe($"network-session:{(await SessionAsync(server, "session-1")).Id}");
        automatic.Detail!.ShouldContain("Disconnected by the NAS 'wifi-controller'");
        automatic.Detail!.ShouldContain("the account is suspended until 27 November 2026, 10:00");
        automatic.Detail!.ShouldNotContain(Secret);
        (await SessionAsync(server, "session-2")).EndedAt.ShouldBeNull("the head's access did not change");

        // The portal's disconnect (the Network page's button), each outcome recorded.
        var headSession = (await SessionAsync(server, "session-2")).Id;
        nas.Mode = TestDasMode.Nak;
        (await PortalDisconnectAsync(server, headSession, "Reported lost")).ShouldBe(DisconnectResult.Refused);
        (await SessionAsync(server, "session-2")).EndedAt.ShouldBeNull();
        (await DisconnectAuditAsync(server))[^1].Detail!.ShouldContain("Disconnect-NAK, Error-Cause 503 session context not found");

        nas.Mode = TestDasMode.Silent;
        var before = nas.Received.Count;
        (await PortalDisconnectAsync(server, headSession, "Reported lost")).ShouldBe(DisconnectResult.NoAnswer);
        var retransmitted = nas.Received.Skip(before).ToList();
        retransmitted.Count.ShouldBe(2, "sent once and retransmitted once (DisconnectAttempts = 2)");
        retransmitted.Select(r => r.Identifier).Distinct().ShouldHaveSingleItem("a retransmission keeps its Identifier");
        (await DisconnectAuditAsync(server))[^1].Detail!.ShouldContain("No answer from the NAS 'wifi-controller'");

        nas.Mode = TestDasMode.WrongSecret;
        (await PortalDisconnectAsync(server, headSession, "Reported lost")).ShouldBe(DisconnectResult.UnverifiedAnswer);
        (await SessionAsync(server, "session-2")).EndedAt.ShouldBeNull("an answer that does not verify ends nothing");
        (await DisconnectAuditAsync(server))[^1].Detail!.ShouldContain("Only unverifiable answers");

        nas.Mode = TestDasMode.Ack;
        (await PortalDisconnectAsync(server, headSession, "Reported lost")).ShouldBe(DisconnectResult.Disconnected);
        var ended = await SessionAsync(server, "session-2");
        ended.EndedAt.ShouldNotBeNull();
        ended.EndReason.ShouldBe("disconnected: Reported lost");
        (await DisconnectAuditAsync(server))[^1].Detail!.ShouldContain("Reason: Reported lost");
        (await PortalDisconnectAsync(server, headSession, "Reported lost")).ShouldBe(DisconnectResult.AlreadyEnded);

        // A NAS no RADIUS client covers (no secret to sign with), and a session that does not exist.
        (await PortalDisconnectAsync(server, (await SessionAsync(server, "session-3")).Id, "Reported lost")).ShouldBe(DisconnectResult.NoRoute);
        (await PortalDisconnectAsync(server, Guid.NewGuid(), "Reported lost")).ShouldBe(DisconnectResult.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ARealNas_HostapdsDaeServer_VerifiesTheRequestAndNaks_AndIgnoresAnotherSecret(DatabaseProvider provider)
    {
        var (started, whyNot) = await HostapdNas.TryStartAsync(Secret);
        await using var hostapd = started;
        if (hostapd is null)
        {
            // xunit 2 cannot skip from inside a test, so the reason goes to the test's output (shown by
            // --logger "console;verbosity=detailed" and in a TRX file); the test NAS above covers the protocol.
            output.WriteLine($"Not run: no real NAS here — {whyNot}");
            return;
        }

        string Policy(string setting) => FreeRadiusTests.PolicyYaml(quarantine: false).Replace(
            "address: 127.0.0.1, secret_setting: wifi-controller", $"address: {hostapd.Address}, secret_setting: {setting}", StringComparison.Ordinal);
        await using var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [$"Brightline:Radius:MachineKeys:{TestSchool.Id}"] = FreeRadiusTests.MachineKey,
            ["Brightline:Radius:ClientSecrets:wifi-controller"] = Secret,
            ["Brightline:Radius:ClientSecrets:core-switch"] = "core-switch-secret",
            ["Brightline:Radius:DisconnectTimeoutMilliseconds"] = "2500",
            ["Brightline:Radius:DisconnectAttempts"] = "2",
        });
        await TestSchool.LoadPolicyAsync(server, Policy("wifi-controller"));
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var head = await TestSchool.PersonAsync(server, "S02");
        await CreateUserAsync(server, "h.marsh@school.test", "head", head.Id);
        await StartSessionAsync(server, "h.marsh@school.test", "hostapd-1", hostapd.Address.ToString(), "192.0.2.31", "11-22-33-44-55-31");
        var session = (await SessionAsync(server, "hostapd-1")).Id;

        // hostapd holds no such session (no station has authenticated through it), so it answers Disconnect-NAK with
        // Error-Cause 503 — but only after verifying the Request Authenticator, the Message-Authenticator and the
        // Event-Timestamp it requires; Brightline verifies hostapd's answer in turn.
        (await PortalDisconnectAsync(server, session, "Checking the controller's Disconnect port")).ShouldBe(DisconnectResult.Refused, hostapd.Log);
        (await DisconnectAuditAsync(server))[^1].Detail!.ShouldContain("Error-Cause 503 session context not found");
        // hostapd's output is read as it comes: give its log line a moment to arrive (bounded).
        for (var wait = 0; wait < 50 && !hostapd.Log.Contains("Session not found", StringComparison.Ordinal); wait++)
        {
            await Task.Delay(100);
        }

        hostapd.Log.ShouldContain("Session not found");

        // Signed with another secret: hostapd discards it unanswered, as RFC 5176 requires.
        await TestSchool.LoadPolicyAsync(server, Policy("core-switch"));
        (await PortalDisconnectAsync(server, session, "Checking the controller's Disconnect port")).ShouldBe(DisconnectResult.NoAnswer, hostapd.Log);
        (await SessionAsync(server, "hostapd-1")).EndedAt.ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SigningTheAgreement_DisconnectsTheQuarantinedSession_SoItRejoinsOnTheGroupsVlan(DatabaseProvider provider)
    {
        using var nas = new TestDisconnectServer(Secret);
        await using var server = await StartAsync(provider, nas.Port);
        await TestSchool.LoadPolicyAsync(server, FreeRadiusTests.PolicyYaml(quarantine: true).Replace(
            "address: 127.0.0.1, secret_setting: wifi-controller", $"address: 127.0.0.1, secret_setting: wifi-controller, disconnect_port: {nas.Port}", StringComparison.Ordinal));
        var head = await TestSchool.PersonAsync(server, "S02");
        await CreateUserAsync(server, "h.marsh@school.test", "head", head.Id);

        // Unsigned: accepted onto the quarantine VLAN (99), which the session then remembers.
        var (status, text) = await PostAsync(server, "authenticate", ("User-Name", "h.marsh@school.test"), ("User-Password", Password),
            ("NAS-IP-Address", "127.0.0.1"), ("Called-Station-Id", StaffSsid), ("Calling-Station-Id", "11-22-33-44-55-41"));
        status.ShouldBe(HttpStatusCode.OK, text);
        text.ShouldContain("\"99\"");
        await StartSessionAsync(server, "h.marsh@school.test", "session-q", "127.0.0.1", "192.0.2.41", "11-22-33-44-55-41");
        (await SessionAsync(server, "session-q")).Vlan.ShouldBe("99");

        // She signs: her answer is now the staff VLAN (30), so the quarantined session is disconnected to rejoin there.
        await SignAsync(server, head, head, "staff", "Headteacher");
        (await EventuallyAsync(async () => (await SessionAsync(server, "session-q")).EndedAt is not null)).ShouldBeTrue("the quarantined session should be disconnected");
        (await SessionAsync(server, "session-q")).EndReason.ShouldBe("disconnected: agreement-signed");
        var sent = nas.Received.ShouldHaveSingleItem();
        sent.RequestAuthenticatorValid.ShouldBeTrue();
        sent.Text(DisconnectCodec.AcctSessionId).ShouldBe("session-q");
        (await DisconnectAuditAsync(server)).ShouldHaveSingleItem().Detail!.ShouldContain("Now on VLAN 30, not 99");
    }
}
