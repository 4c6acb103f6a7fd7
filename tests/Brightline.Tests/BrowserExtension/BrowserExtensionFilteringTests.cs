using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Brightline.BrowserExtension;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.People;
using Brightline.Portal;
using Brightline.Sanctions;
using Brightline.Tests.People;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;
using static Brightline.Tests.BrowserExtension.ExtensionTestKit;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.BrowserExtension;

/// <summary>
/// Issue 12, points 2 and 3 (server side), on real Kestrel and both databases: what a decision says about its block
/// (the kind, whether it is illegal), what the extension is to enforce for the person (safe search, YouTube
/// Restricted Mode), the block page's wording for the actual reason, and the portal sign-in for a browser with no
/// signed-in account. The example school's clock is Wednesday 25 November 2026, 10:00 (teaching hours).
/// </summary>
public sealed class BrowserExtensionFilteringTests
{
    private const string Head = "h.marsh@school.test";

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider)
    {
        var server = await BrightlineServer.StartAsync(provider);
        try
        {
            await TestSchool.LoadPolicyAsync(server);
            await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
            await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
            await server.Services.GetRequiredService<Brightline.WebFiltering.FilterService>().RefreshAsync(CancellationToken.None);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task<JsonElement> DecideAsync(BrightlineServer server, string token, params string[] urls)
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.PostAsJsonAsync(DecisionApi.DecisionsPath, new { urls });
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ExchangeAsync(BrightlineServer server, string key, string code, string deviceId)
    {
        using var client = server.CreateClient();
        using var response = await client.PostAsJsonAsync(ExtensionSignInApi.ExchangePath, new { enrolmentKey = key, code, deviceId, deviceName = "Library PC" });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string Kind(JsonElement decision) => decision.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "";

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Decisions_NameWhatBlocked_MarkIllegal_SayWhatToEnforce_AndTheBlockPageWordsTheReason(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var key = await CreateKeyAsync(server);
        var (status, enrolled) = await EnrolAsync(server, key, Head);
        status.ShouldBe(HttpStatusCode.OK, enrolled.ToString());
        var token = enrolled.GetProperty("token").GetString()!;
        using var browser = server.CreateClient();

        // The agreement gate: the kind says so, and the block page asks for the signature.
        var gate = (await DecideAsync(server, token, "https://allowed.school.test/")).GetProperty("decisions")[0];
        Kind(gate).ShouldBe(BlockKinds.Agreement);
        var gatePage = await browser.GetStringAsync(gate.GetProperty("blockPage").GetString());
        gatePage.ShouldContain("Sign your agreement first");

        await SignAsync(server, await TestSchool.PersonAsync(server, "S02"), await TestSchool.PersonAsync(server, "S02"), "staff", "Headteacher");
        var answer = await DecideAsync(server, token,
            "https://www.facebook.com/",
            "https://iwf-test.brightline.invalid/page",
            "https://www.bet365.com/",
            "https://allowed.school.test/");
        var decisions = answer.GetProperty("decisions");

        // Social networking is blocked for staff only during the teaching-hours schedule: a schedule's block, said as one.
        Kind(decisions[0]).ShouldBe(BlockKinds.Schedule);
        decisions[0].GetProperty("illegal").GetBoolean().ShouldBeFalse();
        decisions[0].GetProperty("reason").GetString()!.ShouldContain("during “teaching hours”");
        var schedulePage = await browser.GetStringAsync(decisions[0].GetProperty("blockPage").GetString());
        schedulePage.ShouldContain("This website is blocked at this time");

        // An illegal list: marked, so the extension keeps it blocked offline.
        Kind(decisions[1]).ShouldBe(BlockKinds.Illegal);
        decisions[1].GetProperty("illegal").GetBoolean().ShouldBeTrue();

        // Gambling is a category the staff profile always blocks.
        Kind(decisions[2]).ShouldBe(BlockKinds.Category);
        decisions[2].GetProperty("illegal").GetBoolean().ShouldBeFalse();

        decisions[3].GetProperty("action").GetString().ShouldBe("allow");
        decisions[3].TryGetProperty("kind", out var allowKind).ShouldBeTrue();
        allowKind.ValueKind.ShouldBe(JsonValueKind.Null);

        // The staff profile: safe search (the policy's default) and YouTube moderate, as the DNS filter rewrites them.
        var enforce = answer.GetProperty("enforce");
        enforce.GetProperty("safeSearch").GetBoolean().ShouldBeTrue();
        enforce.GetProperty("youTube").GetString().ShouldBe(SafetyEnforcement.Moderate);

        // A sanction is a sanction on the block page, not "sign your agreement".
        await using (var scope = server.CreateScope())
        {
            var head = await TestSchool.PersonAsync(server, "S02");
            await scope.ServiceProvider.GetRequiredService<SanctionService>().ImposeAsync(
                new ImposeSanction(TestSchool.Id, head.Id, SanctionKind.WithdrawInternet, "Test of the block page's wording", null, [], "it@school.test"), CancellationToken.None);
        }

        var sanctioned = await DecideAsync(server, token, "https://allowed.school.test/");
        var withdrawn = sanctioned.GetProperty("decisions")[0];
        Kind(withdrawn).ShouldBe(BlockKinds.Sanction);
        var sanctionPage = await browser.GetStringAsync(withdrawn.GetProperty("blockPage").GetString());
        sanctionPage.ShouldNotContain("Sign your agreement first");
        sanctionPage.ShouldContain("Your internet access is paused");
        sanctionPage.ShouldContain("withdrawn");
        // While the gate refuses everything, the strictest enforcement is asked for.
        sanctioned.GetProperty("enforce").GetProperty("youTube").GetString().ShouldBe(SafetyEnforcement.Strict);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task PortalSignIn_IssuesAOneTimeCodeForThisBrowser_ThatTheExtensionExchangesForItsToken(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var key = await CreateKeyAsync(server);
        var helen = await TestSchool.PersonAsync(server, "S02");

        // Signed out, the page sends the person to sign in first (and back here after).
        using (var anonymous = server.CreateClient())
        {
            (await anonymous.GetAsync("/extension/sign-in?device=dev-9&state=s1")).ShouldRedirectTo("/account/login");
        }

        await CreateUserAsync(server, Head, PortalRoles.Staff, helen.Id);
        using var portal = server.CreateClient();
        (await LoginAsync(portal, Head)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (response, page) = await GetAsync(portal, "/extension/sign-in?device=dev-9&state=s1");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("#extension-sign-in-confirm").ShouldNotBeNull(page.DocumentElement.OuterHtml);
        var confirmed = await SubmitAsync(portal, page, "/extension/sign-in?device=dev-9&state=s1", new Dictionary<string, string>());
        confirmed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = confirmed.Headers.Location!.OriginalString;
        location.ShouldStartWith("/extension/sign-in?done=1#code=");
        var fragment = System.Web.HttpUtility.ParseQueryString(location[(location.IndexOf('#', StringComparison.Ordinal) + 1)..]);
        fragment["state"].ShouldBe("s1");
        var code = fragment["code"]!;

        // Exchanged by the browser it was made for: the same answer as enrolment, for the person who signed in.
        var (status, body) = await ExchangeAsync(server, key, code, "dev-9");
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("person").GetString().ShouldBe("Helen Marsh");
        body.GetProperty("email").GetString().ShouldBe(Head);
        var decided = await DecideAsync(server, body.GetProperty("token").GetString()!, "https://allowed.school.test/");
        decided.GetProperty("decisions").GetArrayLength().ShouldBe(1);

        // Once only; and never by another browser.
        (status, body) = await ExchangeAsync(server, key, code, "dev-9");
        status.ShouldBe(HttpStatusCode.BadRequest);
        body.GetProperty("code").GetString().ShouldBe(ExtensionSignInApi.InvalidCode);
        var codes = server.Services.GetRequiredService<ExtensionSignInCodes>();
        (status, body) = await ExchangeAsync(server, key, codes.Issue(TestSchool.Id, helen.Id, "dev-9"), "another-device");
        body.GetProperty("code").GetString().ShouldBe(ExtensionSignInApi.InvalidCode);
        (status, body) = await ExchangeAsync(server, key, "forged", "dev-9");
        body.GetProperty("code").GetString().ShouldBe(ExtensionSignInApi.InvalidCode);

        // A leaver's sign-in is refused as enrolment refuses it; so is an unknown key.
        var governor = await TestSchool.PersonAsync(server, "G01");
        var governorCode = codes.Issue(TestSchool.Id, governor.Id, "dev-10");
        await TestSchool.ImportAsync(server, ImportKind.Staff, string.Join('\n', TestSchool.StaffCsv.Split('\n').Where(l => !l.Contains("G01", StringComparison.Ordinal))));
        (status, body) = await ExchangeAsync(server, key, governorCode, "dev-10");
        status.ShouldBe(HttpStatusCode.Forbidden, body.ToString());
        body.GetProperty("code").GetString().ShouldBe(ExtensionEnrolment.Leaver);
        (status, body) = await ExchangeAsync(server, "blk_not-a-key", codes.Issue(TestSchool.Id, helen.Id, "dev-11"), "dev-11");
        status.ShouldBe(HttpStatusCode.Unauthorized);
        body.GetProperty("code").GetString().ShouldBe(ExtensionEnrolment.UnknownKey);
    }
}
