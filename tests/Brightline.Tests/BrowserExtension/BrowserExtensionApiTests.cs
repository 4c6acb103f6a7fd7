using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Brightline.Agreements;
using Brightline.Audit;
using Brightline.BrowserExtension;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.WebFiltering;
using Brightline.People;
using Brightline.Policy.Model;
using Brightline.Portal;
using Brightline.Sanctions;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;
using static Brightline.Tests.BrowserExtension.ExtensionTestKit;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.BrowserExtension;

/// <summary>
/// Issue 12's server side on real Kestrel and both databases: enrolment with a school's key and the browser's
/// email, the refusals the popup explains, and the decision API giving the DNS filter's answer for the person.
/// The example school's clock is Wednesday 25 November 2026, 10:00: teaching hours, when staff social networking is blocked.
/// </summary>
public sealed class BrowserExtensionApiTests
{
    private const string Head = "h.marsh@school.test";

    /// <summary>The example policy with one path-level rule for staff, which only a URL (never a DNS name) can meet.</summary>
    private static string PolicyWithPathRule(string yaml) => yaml.Replace(
        "    - group: staff                       # O7: personal use only outside contact time\n      rule: staff-personal-use\n",
        "    - group: staff                       # O7: personal use only outside contact time\n      rule: staff-personal-use\n" +
        "      deny:\n        - { entry: video.school.test/watch, category: streaming, reason: Path rule of the extension tests }\n",
        StringComparison.Ordinal);

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider)
    {
        var server = await BrightlineServer.StartAsync(provider);
        try
        {
            await TestSchool.LoadPolicyAsync(server, PolicyWithPathRule(TestSchool.ExampleYaml));
            await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
            await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
            await server.Services.GetRequiredService<FilterService>().RefreshAsync(CancellationToken.None);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }



    private static async Task<string> EnrolTokenAsync(BrightlineServer server, string key, string email, string device = "device-1")
    {
        var (status, body) = await EnrolAsync(server, key, email, device);
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        return body.GetProperty("token").GetString()!;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> DecideAsync(BrightlineServer server, string token, params string[] urls)
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.PostAsJsonAsync("/api/v1/decisions", new { urls });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task<JsonElement[]> DecisionsAsync(BrightlineServer server, string token, params string[] urls)
    {
        var (status, body) = await DecideAsync(server, token, urls);
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        return [.. body.GetProperty("decisions").EnumerateArray()];
    }

    private static string Action(JsonElement d) => d.GetProperty("action").GetString()!;

    private static async Task SignStaffAgreementAsync(BrightlineServer server, string externalId, string jobTitle)
    {
        var person = await TestSchool.PersonAsync(server, externalId);
        await SignAsync(server, person, person, "staff", jobTitle);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Decisions_AreTheFiltersForThePerson_GateScheduleIllegalPathAndSanction(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var key = await CreateKeyAsync(server);
        var (status, enrolled) = await EnrolAsync(server, key, "H.Marsh@School.TEST");
        status.ShouldBe(HttpStatusCode.OK, enrolled.ToString());
        enrolled.GetProperty("person").GetString().ShouldBe("Helen Marsh");
        enrolled.GetProperty("school").GetString().ShouldBe("Brightline Example Primary");
        using (var agent = server.CreateClient())
        {
            // The popup's monitoring notice comes from the ingestion API with the enrolment's monitoring-device token.
            agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", enrolled.GetProperty("monitoringToken").GetString());
            var notice = await agent.GetFromJsonAsync<JsonElement>("/api/v1/monitoring/notice");
            notice.GetProperty("notice").GetString().ShouldNotBeNullOrWhiteSpace();
        }

        var token = enrolled.GetProperty("token").GetString()!;

        // The agreement gate first: the staff agreement withholds the internet until it is signed.
        var unsigned = (await DecisionsAsync(server, token, "https://allowed.school.test/"))[0];
        Action(unsigned).ShouldBe("block");
        unsigned.GetProperty("reason").GetString()!.ShouldContain("acceptable use agreement");

        await SignStaffAgreementAsync(server, "S02", "Headteacher");
        var decisions = await DecisionsAsync(server, token,
            "https://allowed.school.test/page",
            "https://www.facebook.com/",
            "https://iwf-test.brightline.invalid/",
            "https://video.school.test/watch?v=1",
            "https://video.school.test/about",
            "chrome://settings");
        Action(decisions[0]).ShouldBe("allow");
        decisions[0].GetProperty("ttlSeconds").GetInt32().ShouldBe(10);

        // Social networking during the staff teaching-hours schedule.
        Action(decisions[1]).ShouldBe("block");
        decisions[1].GetProperty("category").GetString().ShouldBe("social-networking");
        decisions[1].GetProperty("reason").GetString()!.ShouldContain("social networking", Case.Insensitive);
        decisions[1].GetProperty("blockPage").GetString()!.ShouldStartWith(server.BaseAddress.ToString().TrimEnd('/') + "/blocked?host=www.facebook.com&why=");

        Action(decisions[2]).ShouldBe("block");
        decisions[2].GetProperty("reason").GetString()!.ShouldContain("illegal");

        // A path rule applies to the URL it names and not to the rest of the site.
        Action(decisions[3]).ShouldBe("block");
        Action(decisions[4]).ShouldBe("allow");
        Action(decisions[5]).ShouldBe("block");

        // The block page link shows the reason to the person it was decided for.
        using (var browser = server.CreateClient())
        {
            var page = await browser.GetStringAsync(decisions[1].GetProperty("blockPage").GetString());
            page.ShouldContain("This website is blocked", Case.Sensitive, page[page.IndexOf("<main", StringComparison.Ordinal)..]);
            page.ShouldContain("id=\"block-reason\"");
            page.ShouldContain("in the category");
            page.ShouldContain("social networking");

            // An altered ticket is ignored: the generic page, no reason.
            var forged = await browser.GetStringAsync("/blocked?host=www.facebook.com&why=forged");
            forged.ShouldNotContain("block-reason");
        }

        // A sanction takes effect on the next decision (the access change drops the cached gate answer).
        await using (var scope = server.CreateScope())
        {
            var head = await TestSchool.PersonAsync(server, "S02");
            await scope.ServiceProvider.GetRequiredService<SanctionService>().ImposeAsync(
                new ImposeSanction(TestSchool.Id, head.Id, SanctionKind.WithdrawInternet, "Test of the extension", null, [], "it@school.test"), CancellationToken.None);
        }

        var sanctioned = (await DecisionsAsync(server, token, "https://allowed.school.test/page"))[0];
        Action(sanctioned).ShouldBe("block");
        sanctioned.GetProperty("reason").GetString()!.ShouldContain("withdrawn");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Enrol_UnknownEmailLeaverUnknownAndRevokedKey_AreRefusedWithTheirCodes(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var key = await CreateKeyAsync(server);

        var (status, body) = await EnrolAsync(server, key, "nobody@school.test");
        status.ShouldBe(HttpStatusCode.NotFound);
        body.GetProperty("code").GetString().ShouldBe(ExtensionEnrolment.UnknownEmail);

        (status, body) = await EnrolAsync(server, "blk_not-a-key", Head);
        status.ShouldBe(HttpStatusCode.Unauthorized);
        body.GetProperty("code").GetString().ShouldBe(ExtensionEnrolment.UnknownKey);

        (status, body) = await EnrolAsync(server, key, "", "device-1");
        status.ShouldBe(HttpStatusCode.BadRequest);

        // The governor enrols, then leaves (a full staff import without her); she can no longer enrol, and her token no longer decides.
        var governorToken = await EnrolTokenAsync(server, key, "m.ellis@governors.test");
        await TestSchool.ImportAsync(server, ImportKind.Staff, string.Join('\n', TestSchool.StaffCsv.Split('\n').Where(l => !l.Contains("G01", StringComparison.Ordinal))));
        (status, body) = await EnrolAsync(server, key, "m.ellis@governors.test");
        status.ShouldBe(HttpStatusCode.Forbidden);
        body.GetProperty("code").GetString().ShouldBe(ExtensionEnrolment.Leaver);
        var leaverDecision = (await DecisionsAsync(server, governorToken, "https://allowed.school.test/"))[0];
        Action(leaverDecision).ShouldBe("block");

        // Two accounts on one shared device hold a token each; enrolling again replaces that account's token.
        var headToken = await EnrolTokenAsync(server, key, Head, "shared");
        var leadToken = await EnrolTokenAsync(server, key, "priya.patel@school.test", "shared");
        var headAgain = await EnrolTokenAsync(server, key, Head, "shared");
        (await DecideAsync(server, headToken, "https://allowed.school.test/")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await DecideAsync(server, headAgain, "https://allowed.school.test/")).Status.ShouldBe(HttpStatusCode.OK);
        (await DecideAsync(server, leadToken, "https://allowed.school.test/")).Status.ShouldBe(HttpStatusCode.OK);

        // Each enrolled browser is also a monitoring device (its capture goes to the ingestion API), revoked with it below.
        var (_, leadEnrolment) = await EnrolAsync(server, key, "priya.patel@school.test", "laptop");
        var monitoringToken = leadEnrolment.GetProperty("monitoringToken").GetString()!;
        using (var agent = server.CreateClient())
        {
            agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", monitoringToken);
            var events = new[] { new { id = "e1", kind = "typed-text", occurredAt = "2026-11-25T09:59:00Z", text = "hello", person = leadEnrolment.GetProperty("personId").GetGuid() } };
            (await agent.PostAsJsonAsync("/api/v1/monitoring/events", new { events })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Revoking the key refuses new enrolments and signs out every browser enrolled with it, audited.
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var keyId = await db.Set<ExtensionEnrolmentKey>().Where(k => k.SchoolId == TestSchool.Id).Select(k => k.Id).SingleAsync();
            await scope.ServiceProvider.GetRequiredService<ExtensionKeys>().RevokeAsync(TestSchool.Id, keyId, "it@school.test", null, CancellationToken.None);
            (await db.AuditEntries.CountAsync(a => a.Action == BrowserExtensionAuditActions.KeyRevoked)).ShouldBe(1);
            (await db.AuditEntries.CountAsync(a => a.Action == BrowserExtensionAuditActions.Enrolled)).ShouldBe(5);
        }

        (status, body) = await EnrolAsync(server, key, Head);
        status.ShouldBe(HttpStatusCode.Forbidden);
        body.GetProperty("code").GetString().ShouldBe(ExtensionEnrolment.RevokedKey);
        var (revoked, problem) = await DecideAsync(server, leadToken, "https://allowed.school.test/");
        revoked.ShouldBe(HttpStatusCode.Unauthorized);
        problem.GetProperty("code").GetString().ShouldBe("token-revoked");
        (await DecideAsync(server, headAgain, "https://allowed.school.test/")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        using (var agent = server.CreateClient())
        {
            agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", monitoringToken);
            var events = new[] { new { id = "e2", kind = "typed-text", occurredAt = "2026-11-25T09:59:00Z", text = "hello" } };
            (await agent.PostAsJsonAsync("/api/v1/monitoring/events", new { events })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        // Only hashes are stored.
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            (await db.Set<ExtensionEnrolmentKey>().AnyAsync(k => k.KeyHash == key)).ShouldBeFalse();
            (await db.Set<ExtensionToken>().AnyAsync(t => t.TokenHash == leadToken)).ShouldBeFalse();
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Schools_AreIsolated_AKeyEnrolsOnlyItsSchoolAndATokenDecidesOnlyForItsPerson(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);

        // School B: the same staff emails, and a policy that allows staff social networking in teaching hours.
        await TestSchool.LoadPolicyAsync(server, TestSchool.ExampleYaml
            .Replace("id: example-primary", "id: " + TestSchool.OtherId, StringComparison.Ordinal)
            .Replace("name: Brightline Example Primary", "name: Quillfield Other Primary", StringComparison.Ordinal)
            .Replace("block: [social-networking, webmail, games, chat]", "block: [webmail]", StringComparison.Ordinal));
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv + "\nS09,Omar,Okafor,o.okafor@other.test,Teacher,,staff,,01/09/2020", schoolId: TestSchool.OtherId);
        await server.Services.GetRequiredService<FilterService>().RefreshAsync(CancellationToken.None);
        var keyA = await CreateKeyAsync(server);
        var keyB = await CreateKeyAsync(server, TestSchool.OtherId);

        // Someone only at school B is unknown to school A's key.
        (await EnrolAsync(server, keyA, "o.okafor@other.test")).Status.ShouldBe(HttpStatusCode.NotFound);

        // The same email at both schools: each key enrols its own school's person.
        var (statusA, enrolA) = await EnrolAsync(server, keyA, Head);
        var (statusB, enrolB) = await EnrolAsync(server, keyB, Head);
        statusA.ShouldBe(HttpStatusCode.OK);
        statusB.ShouldBe(HttpStatusCode.OK);
        enrolA.GetProperty("schoolId").GetString().ShouldBe(TestSchool.Id);
        enrolB.GetProperty("schoolId").GetString().ShouldBe(TestSchool.OtherId);
        enrolB.GetProperty("school").GetString().ShouldBe("Quillfield Other Primary");

        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var headA = await db.People.AsNoTracking().SingleAsync(p => p.SchoolId == TestSchool.Id && p.ExternalId == "S02");
            await SignAsync(server, headA, headA, "staff", "Headteacher");
            var headB = await db.People.AsNoTracking().SingleAsync(p => p.SchoolId == TestSchool.OtherId && p.ExternalId == "S02");
            await scope.ServiceProvider.GetRequiredService<AgreementService>().SignAsync(
                new SignRequest(TestSchool.OtherId, headB.Id, headB.Id, "staff", "HELEN MARSH", "Headteacher", null, true, SignatureMethod.Portal, "127.0.0.1", "test"),
                CancellationToken.None);
            var tokens = await db.Set<ExtensionToken>().AsNoTracking().ToListAsync();
            tokens.Single(t => t.SchoolId == TestSchool.OtherId).PersonId.ShouldBe(headB.Id);
            tokens.Single(t => t.SchoolId == TestSchool.Id).PersonId.ShouldNotBe(headB.Id);
        }

        // Each token is decided by its own school's policy: the same URL, two answers.
        var a = (await DecisionsAsync(server, enrolA.GetProperty("token").GetString()!, "https://www.facebook.com/"))[0];
        var b = (await DecisionsAsync(server, enrolB.GetProperty("token").GetString()!, "https://www.facebook.com/"))[0];
        Action(a).ShouldBe("block");
        Action(b).ShouldBe("allow");

        // A sanction at school B does not touch school A's person with the same email.
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var headB = await db.People.AsNoTracking().SingleAsync(p => p.SchoolId == TestSchool.OtherId && p.ExternalId == "S02");
            await scope.ServiceProvider.GetRequiredService<SanctionService>().ImposeAsync(
                new ImposeSanction(TestSchool.OtherId, headB.Id, SanctionKind.WithdrawInternet, "Test of isolation", null, [], "it@other.test"), CancellationToken.None);
        }

        Action((await DecisionsAsync(server, enrolB.GetProperty("token").GetString()!, "https://allowed.school.test/"))[0]).ShouldBe("block");
        Action((await DecisionsAsync(server, enrolA.GetProperty("token").GetString()!, "https://allowed.school.test/"))[0]).ShouldBe("allow");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DevicesPage_CreatesAKeyShownOnce_AndRevokesIt_Audited(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        using var admin = await SignInWithTwoFactorAsync(server, "it@school.test", PortalRoles.Admin);
        var (_, page) = await GetAsync(admin, "/monitoring/devices");
        var created = await SubmitAsync(admin, page, "/monitoring/devices", new Dictionary<string, string>(), "form[action*='CreateKey']");
        created.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await created.Content.ReadAsStringAsync();
        var key = System.Text.RegularExpressions.Regex.Match(html, "id=\"extension-key\">(blk_[A-Za-z0-9_-]+)<").Groups[1].Value;
        key.ShouldNotBeEmpty();
        (await EnrolAsync(server, key, Head)).Status.ShouldBe(HttpStatusCode.OK);

        // Shown once: the page never shows it again.
        (await admin.GetStringAsync("/monitoring/devices")).ShouldNotContain(key);

        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            (await db.AuditEntries.CountAsync(a => a.Action == BrowserExtensionAuditActions.KeyCreated && a.Actor == "it@school.test")).ShouldBe(1);
        }

        var (_, again) = await GetAsync(admin, "/monitoring/devices");
        (await SubmitAsync(admin, again, "/monitoring/devices", new Dictionary<string, string>(), "form[action*='RevokeKey']")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await EnrolAsync(server, key, Head)).Status.ShouldBe(HttpStatusCode.Forbidden);
    }
}
