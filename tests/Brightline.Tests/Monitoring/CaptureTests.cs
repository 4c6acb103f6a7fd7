using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Portal;
using Brightline.Safeguarding;
using Brightline.Tests.People;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Monitoring.MonitoringTestKit;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Monitoring;

/// <summary>
/// What the browser extension's capture needs of the server (issue 12, point 4): sites the policy excludes are dropped
/// at ingestion; searches are recognised only in visits, on the engines' own result pages; and a screenshot asked for
/// a critical event is stored with its alert, shown only to that school's alert readers and purged after the
/// retention (O9).
/// </summary>
public sealed class CaptureTests
{
    private const string Critical = "i want to die tonight";
    private static readonly byte[] s_jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 2, 3];

    [Theory]
    [InlineData("https://www.google.com/search?q=volcano+facts", "volcano facts")]
    [InlineData("https://www.google.co.uk/search?q=volcano&hl=en", "volcano")]
    [InlineData("https://google.com.au/search/?q=x", "x")]
    [InlineData("https://www.bing.com/search?q=caf%C3%A9", "café")]
    [InlineData("https://duckduckgo.com/?q=volcano", "volcano")]
    [InlineData("https://html.duckduckgo.com/html/?q=volcano", "volcano")]
    [InlineData("https://uk.search.yahoo.com/search;_ylt=A2?p=volcano", "volcano")]
    [InlineData("https://search.yahoo.com/search?p=volcano", "volcano")]
    [InlineData("https://m.youtube.com/results?search_query=volcano", "volcano")]
    [InlineData("https://google.evil.example/search?q=volcano", null)]
    [InlineData("https://www.google.com/maps?q=volcano", null)]
    [InlineData("https://www.google.com/searchfoo?q=volcano", null)]
    [InlineData("https://www.bing.com/images?q=volcano", null)]
    [InlineData("https://duckduckgo.com/about?q=volcano", null)]
    [InlineData("https://news.example/search?q=volcano", null)]
    [InlineData("https://www.youtube.com/watch?v=abc&search_query=volcano", null)]
    [InlineData("https://search.yahoo.com.evil.example/search?p=volcano", null)]
    [InlineData("ftp://www.google.com/search?q=volcano", null)]
    public void SearchUrls_OnlyTheEnginesOwnResultPages_AreSearches(string url, string? query) =>
        SearchUrls.QueryOf(url).ShouldBe(query);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SearchUrl_OnAVisit_IsASearch_ButTypedTextOnTheResultsPage_StaysTypedText(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        const string results = "https://www.google.com/search?q=volcano+facts";

        var (response, _) = await PostAsync(agent, Event("v1", kind: "url", url: results, title: "volcano facts - Google Search"), Event("t1", text: "my own notes", url: results));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);

        var events = await AllAsync<MonitoringEvent>(server);
        var visit = events.Single(e => e.ClientEventId == "v1");
        (visit.Kind, visit.Query).ShouldBe((MonitoringEventKind.Search, "volcano facts"));
        var typed = events.Single(e => e.ClientEventId == "t1");
        (typed.Kind, typed.Query, typed.Text).ShouldBe((MonitoringEventKind.TypedText, null, "my own notes"), "typed text is not a search because of the page it was typed on");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ExcludedSite_VisitsSearchesAndTypedText_AreDroppedNotStored_AndTheDeviceIsToldTheList(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        await TestSchool.LoadPolicyAsync(server, TestSchool.ExampleYaml + "\nmonitoring:\n  excluded_sites: [counselling.example, payroll.school.test]\n");
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var pupil = await TestSchool.PersonAsync(server, "A001");

        var (response, body) = await PostAsync(agent,
            Event("x1", kind: "url", url: "https://counselling.example/talk", title: "Talk to someone", person: pupil.Id),
            Event("x2", text: Critical, url: "https://chat.counselling.example/room", person: pupil.Id),
            Event("x3", kind: "search", url: "https://payroll.school.test/search?q=salary", person: pupil.Id),
            Event("k1", kind: "url", url: "https://notcounselling.example/", title: "Another site", person: pupil.Id));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("excluded").GetInt32().ShouldBe(3);
        body.GetProperty("accepted").GetInt32().ShouldBe(1, "a host that merely ends with the same letters is not excluded");
        body.GetProperty("results").EnumerateArray().Take(3).ShouldAllBe(r => r.GetProperty("status").GetString() == "excluded");

        await ScoreAsync(server);
        (await AllAsync<MonitoringEvent>(server)).Select(e => e.ClientEventId).ShouldBe(["k1"]);
        (await AllAsync<MonitoringAlert>(server)).ShouldBeEmpty("nothing typed on an excluded site is scored");

        var settings = JsonDocument.Parse(await agent.GetStringAsync(ScreenshotApi.SettingsPath)).RootElement;
        settings.GetProperty("excludedSites").EnumerateArray().Select(e => e.GetString()).ShouldBe(["counselling.example", "payroll.school.test"]);
        settings.GetProperty("notice").GetString().ShouldNotBeNullOrWhiteSpace();
        using var anonymous = server.CreateClient();
        (await anonymous.GetAsync(ScreenshotApi.SettingsPath)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Screenshot_OfACriticalEvent_IsAskedFor_StoredWithItsAlert_AndShownOnlyToThatSchoolsAlertReaders(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        await TestSchool.LoadOtherSchoolAsync(server);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        using var otherDevice = DeviceClient(server, await IssueTokenAsync(server, "ICT suite PC 2"));
        var pupil = await TestSchool.PersonAsync(server, "A001");
        const string page = "https://forum.example/thread/1";

        // Only a client that can take one is asked, and only for an event that is critical on its own.
        var (_, quiet) = await PostAsync(agent, Event("q1", text: Critical, url: page, person: pupil.Id));
        quiet.GetProperty("screenshots").GetArrayLength().ShouldBe(0, "the client did not say it can take screenshots");
        var asked = await PostScreenshotCapableAsync(agent, Event("c1", text: $"homework. {Critical}", url: page, person: pupil.Id), Event("n1", text: "homework done", url: page, person: pupil.Id));
        asked.GetProperty("screenshots").EnumerateArray().Select(e => e.GetString()).ShouldBe(["c1"]);

        // A screenshot nobody asked for, or for another device's event, is refused: a device cannot plant images.
        (await UploadAsync(agent, "n1", s_jpeg)).ShouldBe((HttpStatusCode.NotFound, "not-requested"));
        (await UploadAsync(agent, "q1", s_jpeg)).ShouldBe((HttpStatusCode.NotFound, "not-requested"));
        (await UploadAsync(otherDevice, "c1", s_jpeg)).ShouldBe((HttpStatusCode.NotFound, "not-requested"));
        (await UploadAsync(agent, "c1", [1, 2, 3, 4])).ShouldBe((HttpStatusCode.BadRequest, "not-an-image"));

        // Arriving before the event is scored, it is linked to the alert when it is; a second upload changes nothing.
        (await UploadAsync(agent, "c1", s_jpeg)).ShouldBe((HttpStatusCode.OK, null));
        (await UploadAsync(agent, "c1", [0x89, 0x50, 0x4E, 0x47, 9, 9])).ShouldBe((HttpStatusCode.OK, null));
        await ScoreAsync(server);
        var alert = (await AllAsync<MonitoringAlert>(server)).Single(a => a.Severity == "critical");
        var shot = (await AllAsync<MonitoringScreenshot>(server)).Single(s => s.Image != null);
        (shot.AlertId, shot.ContentType, shot.SchoolId).ShouldBe((alert.Id, "image/jpeg", TestSchool.Id));
        shot.Image.ShouldBe(s_jpeg, "the first upload stands");

        // Arriving after its event was scored (grouped into the same alert), it is linked all the same.
        var again = await PostScreenshotCapableAsync(agent, Event("c2", text: Critical, url: page, person: pupil.Id, at: new DateTimeOffset(2026, 11, 25, 9, 57, 0, TimeSpan.Zero)));
        again.GetProperty("screenshots").EnumerateArray().Select(e => e.GetString()).ShouldBe(["c2"]);
        await ScoreAsync(server);
        (await UploadAsync(agent, "c2", s_jpeg)).ShouldBe((HttpStatusCode.OK, null));
        (await AllAsync<MonitoringScreenshot>(server)).Where(s => s.Image != null).Select(s => s.AlertId).ShouldBe([alert.Id, alert.Id]);

        // The DSL sees it on the alert's page (audited); another school's DSL and a teacher do not.
        using var dsl = await SignInWithTwoFactorAsync(server, "dsl@school.test", PortalRoles.Dsl);
        var (_, alertPage) = await GetAsync(dsl, $"/monitoring/alerts/{alert.Id}");
        var image = await dsl.GetAsync(alertPage.QuerySelector("#screenshot")!.GetAttribute("src"));
        image.StatusCode.ShouldBe(HttpStatusCode.OK);
        image.Content.Headers.ContentType!.MediaType.ShouldBe("image/jpeg");
        (await image.Content.ReadAsByteArrayAsync()).ShouldBe(s_jpeg);
        (await AllAsync<AuditEntry>(server)).ShouldContain(e => e.Action == MonitoringAuditActions.CaptureViewed && e.Subject == $"monitoring-alert:{alert.Id}" && e.Detail == "screenshot");

        using var otherDsl = await SignInWithTwoFactorAsync(server, "dsl@other.test", PortalRoles.Dsl, schoolId: TestSchool.OtherId);
        (await otherDsl.GetAsync($"/monitoring/alerts/{alert.Id}?handler=Screenshot")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherDsl.GetAsync($"/monitoring/alerts/{alert.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var teacher = await SignInAsync(server, "teacher@school.test", PortalRoles.Teacher);
        (await teacher.GetAsync($"/monitoring/alerts/{alert.Id}?handler=Screenshot")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ScreenshotPurge_AfterTheRetention_DeletesAllButAnEscalatedAlerts_IsAudited_AndErasureTakesThemToo(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var leo = await TestSchool.PersonAsync(server, "A004");
        await PostScreenshotCapableAsync(agent, Event("a1", text: Critical, url: "https://a.example/", person: amelia.Id), Event("l1", text: Critical, url: "https://l.example/", person: leo.Id));
        (await UploadAsync(agent, "a1", s_jpeg)).Status.ShouldBe(HttpStatusCode.OK);
        (await UploadAsync(agent, "l1", s_jpeg)).Status.ShouldBe(HttpStatusCode.OK);
        await ScoreAsync(server);
        var leoAlert = (await AllAsync<MonitoringAlert>(server)).Single(a => a.PersonId == leo.Id);
        await using (var scope = AsDsl(server))
        {
            await scope.ServiceProvider.GetRequiredService<AlertQueue>().RecordOutcomeAsync(leoAlert.Id, AlertOutcome.Escalated.Key(), "Referred.", CancellationToken.None);
        }

        server.Clock.Advance(TimeSpan.FromDays(44));
        (await PurgeScreenshotsAsync(server)).ShouldBe(0, "not yet 45 days (O9)");
        server.Clock.Advance(TimeSpan.FromDays(2));
        (await PurgeScreenshotsAsync(server)).ShouldBe(1, "Amelia's");
        (await AllAsync<MonitoringScreenshot>(server)).Select(s => s.AlertId).ShouldBe([leoAlert.Id], "the escalated concern keeps its screenshot");
        (await AllAsync<AuditEntry>(server)).Single(e => e.Action == MonitoringAuditActions.CapturesPurged && e.Detail!.Contains("screenshot", StringComparison.Ordinal))
            .Detail.ShouldBe("1 screenshot record(s) older than 45 days");

        // A person's erasure takes their screenshots with their events (which the screenshots reference).
        await PostScreenshotCapableAsync(agent, Event("a2", text: Critical, url: "https://a.example/", person: amelia.Id, at: server.Clock.GetUtcNow().AddMinutes(-1)));
        (await UploadAsync(agent, "a2", s_jpeg)).Status.ShouldBe(HttpStatusCode.OK);
        await ScoreAsync(server);
        await using (var scope = AsDsl(server))
        {
            await scope.ServiceProvider.GetRequiredService<MonitoringErasure>().EraseAsync(amelia.Id, CancellationToken.None);
        }

        (await AllAsync<MonitoringScreenshot>(server)).Select(s => s.AlertId).ShouldBe([leoAlert.Id]);
    }

    private static AsyncServiceScope AsDsl(BrightlineServer server)
    {
        var scope = server.CreateScope();
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity(
                [new(ClaimTypes.Name, "dsl"), new(ClaimTypes.Role, PortalRoles.Dsl), new(PortalClaims.School, TestSchool.Id)], "test")),
        };
        return scope;
    }

    private static async Task<JsonElement> PostScreenshotCapableAsync(HttpClient client, params object[] events)
    {
        var response = await client.PostAsJsonAsync(IngestionApi.EventsPath, new { canScreenshot = true, events });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<(HttpStatusCode Status, string? Code)> UploadAsync(HttpClient client, string eventId, byte[] image)
    {
        var response = await client.PostAsJsonAsync(ScreenshotApi.ScreenshotsPath, new { @event = eventId, image = Convert.ToBase64String(image), capturedAt = "2026-11-25T09:56:00Z" });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body.TryGetProperty("code", out var code) ? code.GetString() : null);
    }

    private static async Task<int> PurgeScreenshotsAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MonitoringScreenshots>().PurgeAsync(CancellationToken.None);
    }
}
