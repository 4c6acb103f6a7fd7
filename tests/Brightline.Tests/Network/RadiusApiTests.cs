using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Network;
using Brightline.People;
using Brightline.Policy.Model;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Network;

/// <summary>
/// The RADIUS API as FreeRADIUS's rlm_rest calls it, over real Kestrel and both databases, for what FreeRADIUS
/// itself cannot easily send: bodies and attributes Brightline cannot read (400, which FreeRADIUS turns into a
/// reject — never a crash or an accept), missing or other schools' machine keys, and Session-Timeouts bounded by
/// what is already known about the person. The example school's clock starts on Wednesday 25 November 2026, 10:00.
/// </summary>
public sealed class RadiusApiTests
{
    private const string OtherKey = "rad_other-school-key-0123456789abcdef";
    private const string Staff = "AA-BB-CC-DD-EE-FF:Example-Staff";

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider)
    {
        var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [$"Brightline:Radius:MachineKeys:{TestSchool.Id}"] = FreeRadiusTests.MachineKey,
            [$"Brightline:Radius:MachineKeys:{TestSchool.OtherId}"] = OtherKey,
        });
        try
        {
            await TestSchool.LoadPolicyAsync(server, FreeRadiusTests.PolicyYaml(quarantine: false));
            await TestSchool.LoadOtherSchoolAsync(server);
            await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static string Body(params (string Name, string Value)[] attributes)
    {
        var body = new JsonObject();
        foreach (var (name, value) in attributes)
        {
            body[name] = new JsonObject { ["type"] = "string", ["value"] = new JsonArray(value) };
        }

        return body.ToJsonString();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(BrightlineServer server, string path, string body, string? key = FreeRadiusTests.MachineKey)
    {
        using var client = server.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string Reply(JsonElement body, string attribute) => body.GetProperty(attribute).GetProperty("value")[0].GetString()!;

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task MalformedRequests_Are400WithTheirCode_AndMachineKeysAreRequiredAndPerSchool(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var head = await TestSchool.PersonAsync(server, "S02");
        await CreateUserAsync(server, "h.marsh@school.test", "head", head.Id);
        await SignAsync(server, head, head, "staff", "Headteacher");
        var good = Body(("User-Name", "h.marsh@school.test"), ("User-Password", Password), ("Called-Station-Id", Staff));

        // No key, the portal API key, a made-up key: 401 ProblemDetails, which FreeRADIUS treats as a reject.
        foreach (var key in new string?[] { null, BrightlineServer.ApiKey, "rad_not-a-key-0000000000000000000" })
        {
            var (status, problem) = await PostAsync(server, RadiusApi.AuthenticatePath, good, key);
            status.ShouldBe(HttpStatusCode.Unauthorized, key ?? "(none)");
            problem.GetProperty("code").GetString().ShouldBe("radius-key-required");
        }

        // Bodies and attributes Brightline cannot read: 400 with the code and what was wrong, never an accept.
        string[] malformed =
        [
            "not json",
            "[]",
            """{"User-Name": "h.marsh@school.test"}""",
            """{"User-Name": {"type": "string", "value": ["h.marsh@school.test", "someone@school.test"]}}""",
            """{"User-Name": {"type": "string", "value": [{"nested": true}]}}""",
            """{"Called-Station-Id": {"type": "string", "value": ["x"]}}""",
            Body(("User-Name", "h.marsh\u0000@school.test"), ("User-Password", Password)),
            Body(("User-Name", new string('a', 300)), ("User-Password", Password)),
            "{" + string.Join(',', Enumerable.Range(0, 300).Select(i => $"\"A{i}\": {{\"value\": [\"x\"]}}")) + "}",
            "{\"User-Name\": {\"value\": [\"" + new string('x', 70_000) + "\"]}}",
        ];
        foreach (var body in malformed)
        {
            foreach (var path in new[] { RadiusApi.AuthorizePath, RadiusApi.AuthenticatePath })
            {
                var (status, problem) = await PostAsync(server, path, body);
                status.ShouldBe(HttpStatusCode.BadRequest, body[..Math.Min(80, body.Length)]);
                problem.GetProperty("code").GetString().ShouldBe(RadiusApi.MalformedCode);
                problem.GetProperty("detail").GetString().ShouldNotBeNullOrWhiteSpace();
            }
        }

        var (badAddress, addressProblem) = await PostAsync(server, RadiusApi.AccountingPath,
            Body(("User-Name", "h.marsh@school.test"), ("Acct-Status-Type", "Start"), ("NAS-IP-Address", "127.0.0.1"), ("Acct-Session-Id", "s-1"), ("Framed-IP-Address", "999.1.2.3")));
        badAddress.ShouldBe(HttpStatusCode.BadRequest);
        addressProblem.GetProperty("detail").GetString().ShouldBe("Framed-IP-Address is not an IPv4 address.");
        (await PostAsync(server, RadiusApi.AccountingPath, Body(("User-Name", "h.marsh@school.test"), ("Acct-Status-Type", "Bogus"))))
            .Status.ShouldBe(HttpStatusCode.BadRequest);
        (await PostAsync(server, RadiusApi.PostAuthPath, "not json")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await PostAsync(server, RadiusApi.PostAuthPath, good)).Status.ShouldBe(HttpStatusCode.NoContent);

        // The well-formed request: with the password in it, authorize decides at once (one call per sign-in) and tells
        // FreeRADIUS to accept on the staff VLAN; authenticate, for RADIUS servers that call it, answers the same.
        var (authorized, authorizeBody) = await PostAsync(server, RadiusApi.AuthorizePath, good);
        authorized.ShouldBe(HttpStatusCode.OK);
        Reply(authorizeBody, "control:Auth-Type").ShouldBe("Accept");
        Reply(authorizeBody, "reply:Tunnel-Private-Group-Id").ShouldBe("30");
        (await PostAsync(server, RadiusApi.AuthorizePath, Body(("User-Name", "h.marsh@school.test"), ("User-Password", "not-" + Password), ("Called-Station-Id", Staff))))
            .Status.ShouldBe(HttpStatusCode.Unauthorized, "a wrong password is refused at authorize too");
        var (accepted, acceptBody) = await PostAsync(server, RadiusApi.AuthenticatePath, good);
        accepted.ShouldBe(HttpStatusCode.OK);
        Reply(acceptBody, "reply:Tunnel-Private-Group-Id").ShouldBe("30");
        acceptBody.GetProperty("reply:Tunnel-Private-Group-Id").GetProperty("do_xlat").GetBoolean().ShouldBeFalse("FreeRADIUS must never expand text Brightline sends");

        // The other school's key answers only for its own school: the head has no account there.
        var (other, otherBody) = await PostAsync(server, RadiusApi.AuthenticatePath, good, OtherKey);
        other.ShouldBe(HttpStatusCode.Unauthorized);
        Reply(otherBody, "reply:Reply-Message").ShouldContain("no Brightline account with that user name at this school");

        // An EAP request reaching authorize without a password is refused, in words.
        var (noPassword, noPasswordBody) = await PostAsync(server, RadiusApi.AuthorizePath, Body(("User-Name", "h.marsh@school.test"), ("Called-Station-Id", Staff)));
        noPassword.ShouldBe(HttpStatusCode.Unauthorized);
        Reply(noPasswordBody, "reply:Reply-Message").ShouldContain("user name and password");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheRadiusApi_TakesItsOwnLeanBranch_WithoutThePortalsBrowserMiddleware_WhichEveryPortalRouteKeeps(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var head = await TestSchool.PersonAsync(server, "S02");
        await CreateUserAsync(server, "h.marsh@school.test", "head", head.Id);
        await SignAsync(server, head, head, "staff", "Headteacher");
        var good = Body(("User-Name", "h.marsh@school.test"), ("User-Password", Password), ("Called-Station-Id", Staff));
        using var client = server.CreateClient();

        // FreeRADIUS may reach Brightline by any name: the block-page host check (for browsers sent by the DNS filter)
        // does not apply, and the answer carries none of the portal pages' headers.
        using var request = new HttpRequestMessage(HttpMethod.Post, RadiusApi.AuthorizePath) { Content = new StringContent(good, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FreeRadiusTests.MachineKey);
        request.Headers.Host = "radius-backend.example";
        using var answer = await client.SendAsync(request);
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        Reply(JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement, "control:Auth-Type").ShouldBe("Accept");
        answer.Headers.Contains("X-Frame-Options").ShouldBeFalse();
        answer.Content.Headers.Contains("Content-Security-Policy").ShouldBeFalse();
        answer.Headers.Contains("Content-Security-Policy").ShouldBeFalse();

        // The portal's own routes keep the whole pipeline: its pages' headers, and the block page for a name not its own.
        using var login = await client.GetAsync("/account/login");
        login.StatusCode.ShouldBe(HttpStatusCode.OK);
        login.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        login.Headers.Contains("Content-Security-Policy").ShouldBeTrue();
        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        foreign.Headers.Host = "radius-backend.example";
        using var blocked = await client.SendAsync(foreign);
        var blockPage = await blocked.Content.ReadAsStringAsync();
        (blockPage.Contains("Ask about a website", StringComparison.Ordinal) || blockPage.Contains("This website is not blocked", StringComparison.Ordinal))
            .ShouldBeTrue("the block page, not the sign-in page: " + blockPage[..Math.Min(2000, blockPage.Length)]);
        blocked.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);

        // The branch's routing table holds the RADIUS endpoints alone; outside them, the status codes of any API.
        using var get = await client.GetAsync(RadiusApi.AuthorizePath);
        get.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        (await PostAsync(server, RadiusApi.Prefix + "/no-such-call", good)).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SessionTimeout_EndsAtALeavingDateOrAPlannedSuspension_WithinThePolicysCap(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var head = await TestSchool.PersonAsync(server, "S02");
        await CreateUserAsync(server, "h.marsh@school.test", "head", head.Id);
        await SignAsync(server, head, head, "staff", "Headteacher");
        var request = Body(("User-Name", "h.marsh@school.test"), ("User-Password", Password), ("NAS-Identifier", "EXAMPLE-STAFF-SWITCH"));

        async Task<string> TimeoutAsync()
        {
            var (status, body) = await PostAsync(server, RadiusApi.AuthenticatePath, request);
            status.ShouldBe(HttpStatusCode.OK, body.ToString());
            Reply(body, "reply:Tunnel-Private-Group-Id").ShouldBe("30", "the NAS identifier names the staff network, ignoring case");
            return Reply(body, "reply:Session-Timeout");
        }

        (await TimeoutAsync()).ShouldBe("43200", "the policy's 12 hours");

        // 15:00 on her last day: the session ends at midnight, when she has left (9 hours).
        server.Clock.Advance(TimeSpan.FromHours(5));
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            await db.People.Where(p => p.Id == head.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.LeftOn, new DateOnly(2026, 11, 26)));
        }

        (await TimeoutAsync()).ShouldBe("32400");

        // A suspension imposed to start at 17:30 ends the session then (2.5 hours).
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var now = server.Clock.GetUtcNow();
            db.Add(new Sanction
            {
                Id = Guid.NewGuid(), SchoolId = TestSchool.Id, PersonId = head.Id, Kind = SanctionKind.SuspendAccount, Reason = "Planned",
                ImposedBy = "it@school.test", ImposedAt = now, StartsAt = now.AddHours(2.5), EndsAt = now.AddDays(1),
            });
            // As the sanctions service does: the access change drops the person's remembered accept (NetworkDecisionCache).
            scope.ServiceProvider.GetRequiredService<Brightline.AccessChanges.IAccessChanges>().Publish(db, TestSchool.Id, head.Id, Brightline.AccessChanges.AccessChangeReasons.SanctionImposed);
            await db.SaveChangesAsync();
        }

        (await TimeoutAsync()).ShouldBe("9000");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Accounting_RecordsSessionsWithTheAcceptedVlan_RejectsAreRecorded_AndANasRestartEndsItsSessions(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var head = await TestSchool.PersonAsync(server, "S02");
        await CreateUserAsync(server, "h.marsh@school.test", "head", head.Id);
        await SignAsync(server, head, head, "staff", "Headteacher");
        const string Mac = "02-11-22-33-44-55";
        (await PostAsync(server, RadiusApi.AuthenticatePath, Body(("User-Name", "h.marsh@school.test"), ("User-Password", Password),
            ("Called-Station-Id", Staff), ("Calling-Station-Id", Mac)))).Status.ShouldBe(HttpStatusCode.OK);

        // A wrong password is recorded as a reject with the person and the reason; the password is not.
        var wrong = "not-" + Password;
        (await PostAsync(server, RadiusApi.AuthenticatePath, Body(("User-Name", "h.marsh@school.test"), ("User-Password", wrong),
            ("Called-Station-Id", Staff), ("Calling-Station-Id", Mac)))).Status.ShouldBe(HttpStatusCode.Unauthorized);
        // Someone else's name, on a network the policy does not know.
        (await PostAsync(server, RadiusApi.AuthenticatePath, Body(("User-Name", "stranger@elsewhere.test"), ("User-Password", wrong),
            ("Called-Station-Id", "AA-BB-CC-DD-EE-FF:Cafe")))).Status.ShouldBe(HttpStatusCode.Unauthorized);

        string Accounting(string status, string session, string? address = null) => Body(
            [("User-Name", "h.marsh@school.test"), ("Acct-Status-Type", status), ("Acct-Session-Id", session), ("NAS-IP-Address", "10.0.0.2"),
             ("Called-Station-Id", Staff), ("Calling-Station-Id", Mac), .. address is null ? Array.Empty<(string, string)>() : [("Framed-IP-Address", address)]]);
        (await PostAsync(server, RadiusApi.AccountingPath, Accounting("Start", "s-1", "10.20.0.7"))).Status.ShouldBe(HttpStatusCode.NoContent);
        (await PostAsync(server, RadiusApi.AccountingPath, Accounting("Start", "s-2"))).Status.ShouldBe(HttpStatusCode.NoContent);
        (await PostAsync(server, RadiusApi.AccountingPath, Body(("User-Name", "h.marsh@school.test"), ("Acct-Status-Type", "Start"), ("Acct-Session-Id", "x"))))
            .Status.ShouldBe(HttpStatusCode.BadRequest, "a session needs its NAS: NAS-IP-Address or NAS-Identifier");
        (await PostAsync(server, RadiusApi.AccountingPath, Body(("User-Name", "h.marsh@school.test"), ("Acct-Status-Type", "Start"), ("NAS-IP-Address", "10.0.0.2"))))
            .Status.ShouldBe(HttpStatusCode.BadRequest, "a session needs its Acct-Session-Id");

        await using (var scope = server.CreateScope())
        {
            var sessions = scope.ServiceProvider.GetRequiredService<NetworkSessions>();
            var live = await sessions.LiveAsync(TestSchool.Id, null, 1, CancellationToken.None);
            live.Total.ShouldBe(2);
            var first = live.Rows.Single(s => s.AcctSessionId == "s-1");
            first.PersonId.ShouldBe(head.Id);
            first.Vlan.ShouldBe("30", "the VLAN of the accept for this user and MAC");
            first.Network.ShouldBe("staff-wifi");
            first.Address.ShouldBe("10.20.0.7");
            first.NasAddress.ShouldBe("10.0.0.2");
            (await sessions.LiveAsync(TestSchool.Id, "10.20.0.7", 1, CancellationToken.None)).Total.ShouldBe(1);
            (await sessions.LiveAsync(TestSchool.Id, "02-11-22", 1, CancellationToken.None)).Total.ShouldBe(2);
            (await sessions.LiveAsync(TestSchool.OtherId, null, 1, CancellationToken.None)).Total.ShouldBe(0, "another school sees none of them");
            (await sessions.LiveForPersonAsync(TestSchool.Id, head.Id, CancellationToken.None)).Count.ShouldBe(2);

            var rejects = scope.ServiceProvider.GetRequiredService<NetworkRejects>();
            var recent = await rejects.RecentAsync(TestSchool.Id, null, 1, CancellationToken.None);
            recent.Total.ShouldBe(2);
            var hers = recent.Rows.Single(r => r.PersonId == head.Id);
            hers.Code.ShouldBe(RadiusReasons.WrongPassword);
            hers.Network.ShouldBe("staff-wifi");
            hers.Mac.ShouldBe(Mac);
            recent.Rows.Single(r => r.PersonId is null).Code.ShouldBe(RadiusReasons.UnknownNetwork);
            (await rejects.RecentAsync(TestSchool.Id, "stranger", 1, CancellationToken.None)).Total.ShouldBe(1);
            (await rejects.LastForPersonAsync(TestSchool.Id, head.Id, CancellationToken.None))!.Code.ShouldBe(RadiusReasons.WrongPassword);
            (await rejects.RecentAsync(TestSchool.OtherId, null, 1, CancellationToken.None)).Total.ShouldBe(0);
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            (await db.Set<NetworkReject>().AnyAsync(r => r.Message.Contains(wrong) || r.UserName.Contains(wrong))).ShouldBeFalse("never the password");
            (await db.Set<DeviceBinding>().AnyAsync(b => b.Address == "10.20.0.7" && b.PersonId == head.Id)).ShouldBeTrue();
        }

        // Stop ends one session with the NAS's cause; Accounting-On from the restarted NAS ends the rest and unbinds.
        (await PostAsync(server, RadiusApi.AccountingPath, Body(("User-Name", "h.marsh@school.test"), ("Acct-Status-Type", "Stop"), ("Acct-Session-Id", "s-2"),
            ("NAS-IP-Address", "10.0.0.2"), ("Acct-Terminate-Cause", "User-Request")))).Status.ShouldBe(HttpStatusCode.NoContent);
        (await PostAsync(server, RadiusApi.AccountingPath, Body(("Acct-Status-Type", "Accounting-On"), ("NAS-IP-Address", "10.0.0.2"))))
            .Status.ShouldBe(HttpStatusCode.NoContent);
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var all = await db.Set<NetworkSession>().AsNoTracking().Where(s => s.SchoolId == TestSchool.Id).ToListAsync();
            all.Single(s => s.AcctSessionId == "s-2").EndReason.ShouldBe("stop: User-Request");
            all.Single(s => s.AcctSessionId == "s-1").EndReason.ShouldBe("nas-restart");
            (await db.Set<DeviceBinding>().AnyAsync(b => b.Address == "10.20.0.7")).ShouldBeFalse("the restarted NAS's sessions no longer hold their addresses");
            (await scope.ServiceProvider.GetRequiredService<NetworkSessions>().LiveAsync(TestSchool.Id, null, 1, CancellationToken.None)).Total.ShouldBe(0);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task CachedNetwork_AcceptCarriesASaltedHashAndALifetimeWithinTheSession_FailClosedNetworkNothing(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var head = await TestSchool.PersonAsync(server, "S02");
        await CreateUserAsync(server, "h.marsh@school.test", "head", head.Id);
        await SignAsync(server, head, head, "staff", "Headteacher");

        // The staff Wi-Fi stays up from the cache (cache_minutes 60): the Accept hands FreeRADIUS a PBKDF2 hash of the
        // password it checked — with its own random salt, verifiable with that password only — and an hour's lifetime.
        var (status, body) = await PostAsync(server, RadiusApi.AuthenticatePath,
            Body(("User-Name", "h.marsh@school.test"), ("User-Password", Password), ("Called-Station-Id", Staff)));
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var hash = Reply(body, "control:PBKDF2-Password");
        hash.ShouldNotContain(Password);
        var parts = hash.Split(':');
        parts[0].ShouldBe("HMACSHA2+256");
        parts[1].ShouldBe("AAAnEA", "10,000 rounds, as a 4-byte big-endian number in base64");
        var salt = Convert.FromBase64String(parts[2]);
        salt.Length.ShouldBe(16);
        RadiusUnreachableCache.Hash(Password, salt, RadiusUnreachableCache.Iterations).ShouldBe(hash);
        RadiusUnreachableCache.Hash("not-the-password", salt, RadiusUnreachableCache.Iterations).ShouldNotBe(hash);
        Reply(body, "control:Cache-TTL").ShouldBe("-3600", "negative: replace any older entry; an hour, within the 12-hour session");
        body.GetProperty("control:PBKDF2-Password").GetProperty("do_xlat").GetBoolean().ShouldBeFalse();

        // A second Accept of the same password hands out the same entry: the hash is made once per verified password,
        // not per sign-in (ten thousand rounds per staff sign-in cost more than the rest of the answer).
        var (_, again) = await PostAsync(server, RadiusApi.AuthenticatePath,
            Body(("User-Name", "h.marsh@school.test"), ("User-Password", Password), ("Called-Station-Id", Staff)));
        Reply(again, "control:PBKDF2-Password").ShouldBe(hash);

        // The boarding Wi-Fi fails closed (pupils join it): nothing to cache.
        var (boardingStatus, boarding) = await PostAsync(server, RadiusApi.AuthenticatePath,
            Body(("User-Name", "h.marsh@school.test"), ("User-Password", Password), ("Called-Station-Id", "AA-BB-CC-DD-EE-FF:Example-Boarding")));
        boardingStatus.ShouldBe(HttpStatusCode.OK, boarding.ToString());
        Reply(boarding, "reply:Tunnel-Private-Group-Id").ShouldBe("30");
        boarding.TryGetProperty("control:PBKDF2-Password", out _).ShouldBeFalse();
        boarding.TryGetProperty("control:Cache-TTL", out _).ShouldBeFalse();
    }
}
