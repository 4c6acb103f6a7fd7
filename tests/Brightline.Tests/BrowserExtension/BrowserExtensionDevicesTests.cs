using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Brightline.BrowserExtension;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.People;
using Brightline.Portal;
using Brightline.Tests.People;
using Brightline.WebFiltering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.BrowserExtension.ExtensionTestKit;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.BrowserExtension;

/// <summary>
/// Issue 12's Devices page for the browser extension, on real Kestrel and both databases: when each enrolled
/// browser was last seen (kept at most once a minute), the refused enrolments of the school's own browsers (and
/// no other school's), their 30-day purge, and the decision API's batch limit.
/// The example school's clock starts at Wednesday 25 November 2026, 10:00 (GMT, so UK time is UTC).
/// </summary>
public sealed class BrowserExtensionDevicesTests
{
    private const string Head = "h.marsh@school.test";

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider)
    {
        var server = await BrightlineServer.StartAsync(provider);
        try
        {
            await TestSchool.LoadPolicyAsync(server, TestSchool.ExampleYaml);
            await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
            await TestSchool.LoadOtherSchoolAsync(server);
            await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv, schoolId: TestSchool.OtherId);
            await server.Services.GetRequiredService<FilterService>().RefreshAsync(CancellationToken.None);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }



    private static async Task<(HttpStatusCode Status, JsonElement Body)> DecideAsync(BrightlineServer server, string token, object body)
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.PostAsJsonAsync("/api/v1/decisions", body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task<DateTimeOffset?> LastSeenAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        return await db.Set<ExtensionToken>().AsNoTracking().Where(t => t.SchoolId == TestSchool.Id).Select(t => t.LastSeenAt).SingleAsync();
    }

    /// <summary>The text of the Devices page's row for one enrolled browser, or of the refused enrolments table.</summary>
    private static async Task<string> DevicesPageAsync(BrightlineServer server, string schoolId, string selector, string? admin = null)
    {
        using var client = await SignInWithTwoFactorAsync(server, admin ?? (schoolId == TestSchool.Id ? "it@school.test" : "it@other.test"), PortalRoles.Admin, schoolId: schoolId);
        var (response, page) = await GetAsync(client, "/monitoring/devices");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return string.Join("\n", page.QuerySelectorAll(selector).Select(e => string.Join(" | ", e.QuerySelectorAll("th, td").Select(c => c.TextContent.Trim()))));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task LastSeen_IsKeptAtMostOnceAMinute_AndShownWithTheNameAndDevice(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var key = await CreateKeyAsync(server);
        var start = server.Clock.GetUtcNow();
        var (status, enrolled) = await EnrolAsync(server, key, Head);
        status.ShouldBe(HttpStatusCode.OK, enrolled.ToString());
        var token = enrolled.GetProperty("token").GetString()!;
        (await LastSeenAsync(server)).ShouldBe(start);

        // A busy browser: decisions within the minute do not write the time again.
        server.Clock.Advance(TimeSpan.FromSeconds(40));
        (await DecideAsync(server, token, new { urls = new[] { "https://allowed.school.test/" } })).Status.ShouldBe(HttpStatusCode.OK);
        (await LastSeenAsync(server)).ShouldBe(start);

        // Once the minute has passed, the next decision does.
        server.Clock.Advance(TimeSpan.FromMinutes(6));
        (await DecideAsync(server, token, new { urls = new[] { "https://allowed.school.test/" } })).Status.ShouldBe(HttpStatusCode.OK);
        (await LastSeenAsync(server)).ShouldBe(start + TimeSpan.FromSeconds(400));

        // The Devices page names the person (not an ID), the browser and when it was last seen, in UK date and time.
        const string EnrolledBrowsers = "table:has(caption:contains('Enrolled browsers')) tbody tr";
        (await DevicesPageAsync(server, TestSchool.Id, EnrolledBrowsers))
            .ShouldBe("Helen Marsh | Staffroom Chromebook | 25/11/2026 10:00 | 25/11/2026 10:06 | Active | Sign out");

        // Capture reaching the ingestion API (as the browser's monitoring device) counts as seen too.
        server.Clock.Advance(TimeSpan.FromMinutes(10));
        using (var agent = server.CreateClient())
        {
            agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", enrolled.GetProperty("monitoringToken").GetString());
            var events = new[] { new { id = "e1", kind = "typed-text", occurredAt = "2026-11-25T10:16:00Z", text = "hello" } };
            (await agent.PostAsJsonAsync("/api/v1/monitoring/events", new { events })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await DevicesPageAsync(server, TestSchool.Id, EnrolledBrowsers, "it2@school.test"))
            .ShouldBe("Helen Marsh | Staffroom Chromebook | 25/11/2026 10:00 | 25/11/2026 10:16 | Active | Sign out");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task RefusedEnrolments_AreListedForTheirOwnSchoolOnly_WithoutKeyMaterial_AndPurgedAfter30Days(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var keyA = await CreateKeyAsync(server);
        var keyB = await CreateKeyAsync(server, TestSchool.OtherId);

        (await EnrolAsync(server, keyA, "Nobody@School.test", deviceName: "Library PC 3")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await EnrolAsync(server, keyB, "someone@other.test", deviceName: "Other laptop")).Status.ShouldBe(HttpStatusCode.NotFound);

        // An unknown key names no school: nothing is recorded for it.
        (await EnrolAsync(server, "blk_not-a-key", "ghost@school.test")).Status.ShouldBe(HttpStatusCode.Unauthorized);

        // A leaver at school A (a full staff import without the governor).
        await TestSchool.ImportAsync(server, ImportKind.Staff, string.Join('\n', TestSchool.StaffCsv.Split('\n').Where(l => !l.Contains("G01", StringComparison.Ordinal))));
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        (await EnrolAsync(server, keyA, "m.ellis@governors.test")).Status.ShouldBe(HttpStatusCode.Forbidden);

        // A revoked key at school A.
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var keyId = await db.Set<ExtensionEnrolmentKey>().Where(k => k.SchoolId == TestSchool.Id).Select(k => k.Id).SingleAsync();
            await scope.ServiceProvider.GetRequiredService<ExtensionKeys>().RevokeAsync(TestSchool.Id, keyId, "it@school.test", null, CancellationToken.None);
        }

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        (await EnrolAsync(server, keyA, "priya.patel@school.test")).Status.ShouldBe(HttpStatusCode.Forbidden);

        var a = await DevicesPageAsync(server, TestSchool.Id, "#refused-enrolments tbody tr");
        a.ShouldBe(
            "25/11/2026 10:02 | priya.patel@school.test | Staffroom Chromebook | The browser's managed policy has a revoked enrolment key\n" +
            "25/11/2026 10:01 | m.ellis@governors.test | Staffroom Chromebook | This account belongs to someone who has left the school\n" +
            "25/11/2026 10:00 | Nobody@School.test | Library PC 3 | No one at the school has this email address");
        var b = await DevicesPageAsync(server, TestSchool.OtherId, "#refused-enrolments tbody tr");
        b.ShouldBe("25/11/2026 10:00 | someone@other.test | Other laptop | No one at the school has this email address");

        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var rows = await db.Set<ExtensionEnrolmentRefusal>().AsNoTracking().ToListAsync();
            rows.Count.ShouldBe(4);
            rows.ShouldAllBe(r => !r.Email.Contains("blk_") && !r.DeviceName.Contains("blk_") && !r.Reason.Contains("blk_"));
        }

        // 30 days' retention: one more refusal 20 days on, then 11 days later only that one remains.
        server.Clock.Advance(TimeSpan.FromDays(20));
        (await EnrolAsync(server, keyB, "late@other.test")).Status.ShouldBe(HttpStatusCode.NotFound);
        server.Clock.Advance(TimeSpan.FromDays(11));
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<EnrolmentRefusals>().PurgeExpiredAsync(CancellationToken.None);
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            (await db.Set<ExtensionEnrolmentRefusal>().AsNoTracking().Select(r => r.Email).ToListAsync()).ShouldBe(["late@other.test"]);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task RefusedEnrolments_AreCappedPerSchool_OldestGoFirst_OtherSchoolUntouched(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        await using (var scope = server.CreateScope())
        {
            var refusals = scope.ServiceProvider.GetRequiredService<EnrolmentRefusals>();
            await refusals.RecordAsync(TestSchool.OtherId, "someone@other.test", "Other laptop", ExtensionEnrolment.UnknownEmail, CancellationToken.None);
            for (var i = 0; i < EnrolmentRefusals.KeptPerSchool + 3; i++)
            {
                server.Clock.Advance(TimeSpan.FromSeconds(1));
                await refusals.RecordAsync(TestSchool.Id, $"guess{i}@school.test", "Library PC 3", ExtensionEnrolment.UnknownEmail, CancellationToken.None);
            }
        }

        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var kept = await db.Set<ExtensionEnrolmentRefusal>().AsNoTracking().Where(r => r.SchoolId == TestSchool.Id).Select(r => r.Email).ToListAsync();
            kept.Count.ShouldBe(EnrolmentRefusals.KeptPerSchool);
            kept.ShouldNotContain("guess0@school.test");
            kept.ShouldNotContain("guess2@school.test");
            kept.ShouldContain("guess3@school.test");
            kept.ShouldContain($"guess{EnrolmentRefusals.KeptPerSchool + 2}@school.test");
            (await db.Set<ExtensionEnrolmentRefusal>().AsNoTracking().CountAsync(r => r.SchoolId == TestSchool.OtherId)).ShouldBe(1);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Decisions_AnswerABatchInOrder_UpToTheLimit_AndRefuseMoreNamingIt(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var key = await CreateKeyAsync(server);
        var (_, enrolled) = await EnrolAsync(server, key, Head);
        var token = enrolled.GetProperty("token").GetString()!;

        // The single-URL request the extension sends today.
        var (status, single) = await DecideAsync(server, token, new { urls = new[] { "https://allowed.school.test/" } });
        status.ShouldBe(HttpStatusCode.OK, single.ToString());
        single.GetProperty("decisions").GetArrayLength().ShouldBe(1);

        // A full batch: one answer per URL, in the order asked.
        var urls = Enumerable.Range(0, DecisionApi.MaxUrls).Select(i => $"https://site{i}.school.test/page").ToArray();
        var (full, body) = await DecideAsync(server, token, new { urls });
        full.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("url").GetString()).ShouldBe(urls);

        // One more is refused with a ProblemDetails that names the limit.
        var (over, problem) = await DecideAsync(server, token, new { urls = urls.Append("https://one-more.school.test/").ToArray() });
        over.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe(DecisionApi.TooManyUrls);
        problem.GetProperty("status").GetInt32().ShouldBe(400);
        problem.GetProperty("detail").GetString()!.ShouldContain($"at most {DecisionApi.MaxUrls} addresses");
    }
}
