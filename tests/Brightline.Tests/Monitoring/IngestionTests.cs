using System.Net;
using System.Text;
using System.Text.Json;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Portal;
using Brightline.Safeguarding;
using Brightline.Tests.People;
using static Brightline.Tests.Monitoring.MonitoringTestKit;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Monitoring;

/// <summary>Device tokens and the ingestion API (issue 4, section 2).</summary>
public sealed class IngestionTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DevicesPage_IssueThenRevoke_TokenWorksOnceShownAndFailsAfterRevoke(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var it = await SignInAsync(server, "it@school.test", PortalRoles.ItProvider);

        var (_, page) = await GetAsync(it, "/monitoring/devices");
        var issued = await SubmitAsync(it, page, "/monitoring/devices?handler=Issue", new Dictionary<string, string> { ["Name"] = "ICT suite PC 4" }, "form[action*=Issue]");
        issued.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await issued.Content.ReadAsStringAsync();
        var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var token = doc.QuerySelector("#device-token")!.TextContent.Trim();
        token.ShouldStartWith(DeviceTokens.Prefix, Case.Sensitive);

        var device = (await AllAsync<MonitoringDevice>(server)).Single();
        device.TokenHash.ShouldBe(Brightline.Kernel.SecretTokens.Hash(token));
        device.TokenHash.ShouldNotContain(token[4..], Case.Sensitive);
        (await GetAsync(it, "/monitoring/devices")).Document.QuerySelector("#device-token").ShouldBeNull("the token is shown once only");

        using var agent = DeviceClient(server, token);
        (await agent.GetAsync("/api/v1/monitoring/notice")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var (_, list) = await GetAsync(it, "/monitoring/devices");
        (await SubmitAsync(it, list, "/monitoring/devices?handler=Revoke", new Dictionary<string, string>(), "form[action*=Revoke]")).ShouldRedirectTo("/monitoring/devices");
        var revoked = await agent.GetAsync("/api/v1/monitoring/notice");
        revoked.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await PostAsync(agent, Event("e1", text: "hello"))).Response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var anonymous = server.CreateClient();
        (await anonymous.GetAsync("/api/v1/monitoring/notice")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var apiKey = server.CreateApiClient();
        (await apiKey.GetAsync("/api/v1/monitoring/notice")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the API key is not a device token");
        using var wrong = DeviceClient(server, DeviceTokens.Prefix + "not-a-real-token");
        (await wrong.GetAsync("/api/v1/monitoring/notice")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DevicesPage_Teacher_IsForbidden(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var teacher = await SignInAsync(server, "teacher@school.test", PortalRoles.Teacher);
        (await teacher.GetAsync("/monitoring/devices")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Notice_Default_CitesThePolicysMonitoringRule(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var body = JsonDocument.Parse(await agent.GetStringAsync("/api/v1/monitoring/notice")).RootElement;
        var notice = body.GetProperty("notice").GetString()!;
        notice.ShouldContain("monitors", Case.Sensitive);
        notice.ShouldContain("rule", Case.Sensitive);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Batch_ResentTwice_IsStoredOnceAndReportsDuplicates(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var pupil = await TestSchool.PersonAsync(server, "A001");
        object[] batch =
        [
            Event("e1", text: "my homework about volcanoes", person: pupil.Id),
            Event("e2", kind: "url", url: "https://www.google.co.uk/search?q=how+do+volcanoes+work", title: "Google", person: pupil.Id),
            Event("e3", kind: "application", person: pupil.Id, application: "Scratch"),
        ];

        var (first, body1) = await PostAsync(agent, batch);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        body1.GetProperty("accepted").GetInt32().ShouldBe(3);
        var stored = await AllAsync<MonitoringEvent>(server);
        stored.Count.ShouldBe(3, "durable before the answer");
        var search = stored.Single(e => e.ClientEventId == "e2");
        search.Kind.ShouldBe(MonitoringEventKind.Search, "a Google search URL becomes a search event");
        search.Query.ShouldBe("how do volcanoes work");

        var (second, body2) = await PostAsync(agent, batch);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        body2.GetProperty("accepted").GetInt32().ShouldBe(0);
        body2.GetProperty("duplicates").GetInt32().ShouldBe(3);
        (await AllAsync<MonitoringEvent>(server)).Count.ShouldBe(3);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Batch_OneBadEvent_StoresTheGoodOnesAndReportsTheBadByIndex(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var png = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]);
        var (response, body) = await PostAsync(agent,
            Event("g1", text: "fine"),
            Event("b1", kind: "teleport", text: "x"),
            Event("g2", kind: "screenshot", screenshot: png),
            Event("b2", kind: "screenshot", screenshot: Convert.ToBase64String(Encoding.UTF8.GetBytes("GIF89a not allowed"))),
            Event("b3", text: "late", at: server.Clock.GetUtcNow().AddDays(1)));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("accepted").GetInt32().ShouldBe(2);
        body.GetProperty("rejected").GetInt32().ShouldBe(3);
        var results = body.GetProperty("results").EnumerateArray().ToList();
        results[1].GetProperty("index").GetInt32().ShouldBe(1);
        results[1].GetProperty("status").GetString().ShouldBe("rejected");
        results[1].GetProperty("error").GetString()!.ShouldStartWith("kind:", Case.Sensitive);
        results[3].GetProperty("error").GetString()!.ShouldContain("PNG or JPEG", Case.Sensitive);
        results[4].GetProperty("error").GetString()!.ShouldContain("future", Case.Sensitive);
        (await AllAsync<MonitoringEvent>(server)).Select(e => e.ClientEventId).ShouldBe(["g1", "g2"], ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Batch_EventsOfEveryWrongShape_AreEachRejectedByIndexNeverA500(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        string[] bad =
        [
            "\"just a string\"", "null", "[1]", "{}", "{\"id\": 7, \"kind\": \"url\"}",
            "{\"id\": \"a\", \"kind\": null, \"occurredAt\": \"2026-11-25T09:00:00Z\"}",
            "{\"id\": \"b\", \"kind\": \"url\", \"occurredAt\": \"yesterday\", \"url\": \"x\"}",
            "{\"id\": \"c\", \"kind\": \"typed-text\", \"occurredAt\": \"2026-11-25T09:00:00Z\", \"text\": {\"nested\": true}}",
            "{\"id\": \"d\", \"kind\": \"screenshot\", \"occurredAt\": \"2026-11-25T09:00:00Z\", \"screenshot\": 12}",
            "{\"id\": \"e\", \"kind\": \"screenshot\", \"occurredAt\": \"2026-11-25T09:00:00Z\", \"screenshot\": \"%%%not base64\"}",
            "{\"id\": \"f\", \"kind\": \"url\", \"occurredAt\": \"2026-11-25T09:00:00Z\"}",
            "{\"id\": \"g\", \"kind\": \"typed-text\", \"occurredAt\": \"2026-11-25T09:00:00Z\", \"text\": \"hi\", \"person\": \"not-a-guid\"}",
            "{\"id\": \"h\", \"kind\": \"typed-text\", \"occurredAt\": \"2026-11-25T09:00:00Z\", \"text\": \"hi\", \"person\": \"" + Guid.NewGuid() + "\"}",
            "{\"id\": \"i\", \"kind\": \"typed-text\", \"occurredAt\": \"2026-11-25T09:00:00Z\", \"text\": \"hi\", \"clientAddress\": \"999.1.1.1\"}",
            "{\"id\": \"" + new string('x', 101) + "\", \"kind\": \"typed-text\", \"occurredAt\": \"2026-11-25T09:00:00Z\", \"text\": \"hi\"}",
        ];
        var json = "{\"events\": [" + string.Join(',', bad) + "]}";
        var response = await agent.PostAsync("/api/v1/monitoring/events", new StringContent(json, Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var results = body.GetProperty("results").EnumerateArray().ToList();
        results.Count.ShouldBe(bad.Length);
        results.ShouldAllBe(r => r.GetProperty("status").GetString() == "rejected" && r.GetProperty("error").GetString()!.Length > 0);
        results.Select(r => r.GetProperty("index").GetInt32()).ShouldBe(Enumerable.Range(0, bad.Length));
        (await AllAsync<MonitoringEvent>(server)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Batch_MalformedOrOversized_Gets4xxProblemNamingTheProblem(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));

        async Task<(HttpStatusCode, string)> Raw(string json)
        {
            var r = await agent.PostAsync("/api/v1/monitoring/events", new StringContent(json, Encoding.UTF8, "application/json"));
            r.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            var problem = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
            return (r.StatusCode, problem.GetProperty("title").GetString() + ": " + problem.GetProperty("detail").GetString());
        }

        var (s1, d1) = await Raw("{\"events\": [ {\"id\": \"x\", ");
        s1.ShouldBe(HttpStatusCode.BadRequest);
        d1.ShouldContain("not valid JSON", Case.Sensitive);

        var (s2, d2) = await Raw("[1,2,3]");
        s2.ShouldBe(HttpStatusCode.BadRequest);
        d2.ShouldContain("\"events\" array", Case.Sensitive);

        var many = "{\"events\":[" + string.Join(',', Enumerable.Range(0, 1001).Select(i => $"{{\"id\":\"{i}\"}}")) + "]}";
        var (s3, d3) = await Raw(many);
        s3.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        d3.ShouldContain("1,001 events", Case.Sensitive);

        var huge = "{\"events\":[{\"id\":\"1\",\"kind\":\"typed-text\",\"text\":\"" + new string('a', 6 * 1024 * 1024) + "\"}]}";
        var (s4, d4) = await Raw(huge);
        s4.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        d4.ShouldContain("limit", Case.Sensitive);

        var screenshot = Convert.ToBase64String(new byte[] { 0x89, 0x50, 0x4E, 0x47 }.Concat(new byte[1024 * 1024 + 10]).ToArray());
        var (response, body) = await PostAsync(agent, Event("big", kind: "screenshot", screenshot: screenshot));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("results")[0].GetProperty("error").GetString()!.ShouldContain("screenshot: larger than", Case.Sensitive);
        (await AllAsync<MonitoringEvent>(server)).ShouldBeEmpty();
    }
}
