using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.LostProperty;
using Brightline.Policy.Model;
using Brightline.Tests.People;
using Brightline.Tests.BrowserExtension;
using Brightline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.LostProperty;

/// <summary>
/// F7 (Westfield, on westfield.yaml): "a lost or stolen device … its tokens revoked". A browser enrolled on a managed
/// Chromebook reports the device's serial number or asset ID; Brightline ties it to the register's device, and a
/// lost or stolen report revokes that browser's extension and monitoring tokens at once (the decision and ingestion
/// APIs refuse them), leaves other browsers alone, and refuses to enrol the device again. Both databases.
/// </summary>
public sealed class LostStolenTokensTests
{
    private const string School = "westfield";

    private static async Task<(HttpStatusCode Status, JsonElement Body)> EnrolAsync(BrightlineServer server, string key, string deviceId, string? serial = null, string? assetTag = null)
    {
        using var client = server.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/extension/enrol",
            new { enrolmentKey = key, email = "Tara@Westfield.test", deviceId, deviceName = "Tara's Chromebook", serialNumber = serial, assetTag });
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task<HttpStatusCode> DecideAsync(BrightlineServer server, string token)
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.PostAsJsonAsync("/api/v1/decisions", new { urls = new[] { "https://www.bbc.co.uk/" } });
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> MonitoringNoticeAsync(BrightlineServer server, string token)
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync("/api/v1/monitoring/notice");
        return response.StatusCode;
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task F7_ReportingAChromebookStolen_RevokesItsBrowsersTokens_AndItEnrolsNoOneAfter(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("westfield.yaml")));
        Person tara;
        Device chromebook;
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var now = server.Clock.GetUtcNow();
            tara = new Person
            {
                Id = Guid.NewGuid(), SchoolId = School, ExternalId = "T100", Source = "manual", GivenName = "Tara", FamilyName = "Teach", Email = "tara@westfield.test",
                KindMask = 1 << (int)PersonKind.Staff, JoinedOn = new DateOnly(2024, 9, 1), CreatedAt = now, UpdatedAt = now,
            };
            chromebook = new Device
            {
                Id = Guid.NewGuid(), SchoolId = School, AssetTag = "WF-C-022", Serial = "5CD1234XYZ", Kind = DeviceKind.Laptop, Model = "Acer Chromebook 314", Name = "Tara's Chromebook",
                Ownership = DeviceOwnership.School, State = DeviceState.InUse, PersonId = tara.Id, Macs = "", CreatedAt = now, CreatedBy = "test", UpdatedAt = now,
            };
            db.AddRange(tara, chromebook);
            await db.SaveChangesAsync();
        }

        var key = await ExtensionTestKit.CreateKeyAsync(server, School);

        // The serial as the Chromebook reports it (another case, spaces around) ties the browser to the register's device;
        // a second browser profile on it, by its asset ID; a browser on a personal laptop reports neither and stays untied.
        var (status, onChromebook) = await EnrolAsync(server, key, "profile-1", serial: " 5cd1234xyz ");
        status.ShouldBe(HttpStatusCode.OK, onChromebook.ToString());
        var (_, byAssetTag) = await EnrolAsync(server, key, "profile-2", assetTag: "wf-c-022");
        var (_, elsewhere) = await EnrolAsync(server, key, "profile-3");
        await using (var scope = server.CreateScope())
        {
            var tied = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<ExtensionToken>().AsNoTracking()
                .OrderBy(t => t.DeviceId).Select(t => t.RegisterDeviceId).ToListAsync();
            tied.ShouldBe([chromebook.Id, chromebook.Id, null]);
        }

        var tokens = new[] { onChromebook, byAssetTag, elsewhere }.Select(b => (Token: b.GetProperty("token").GetString()!, Monitoring: b.GetProperty("monitoringToken").GetString()!)).ToList();
        foreach (var (token, monitoring) in tokens)
        {
            (await DecideAsync(server, token)).ShouldBe(HttpStatusCode.OK);
            (await MonitoringNoticeAsync(server, monitoring)).ShouldBe(HttpStatusCode.OK);
        }

        // Tara reports it stolen.
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<LostStolenService>().ReportAsync(
                new LostPropertyActor(School, "user-tara", "tara@westfield.test", tara.Id), keeper: false, chromebook.Id, stolen: true,
                "Taken from the staffroom at lunchtime.", CancellationToken.None);
        }

        // Both browsers on the Chromebook are refused at once, for filtering and for monitoring; the other one is not.
        (await DecideAsync(server, tokens[0].Token)).ShouldBe(HttpStatusCode.Unauthorized);
        (await DecideAsync(server, tokens[1].Token)).ShouldBe(HttpStatusCode.Unauthorized);
        (await MonitoringNoticeAsync(server, tokens[0].Monitoring)).ShouldBe(HttpStatusCode.Unauthorized);
        (await MonitoringNoticeAsync(server, tokens[1].Monitoring)).ShouldBe(HttpStatusCode.Unauthorized);
        (await DecideAsync(server, tokens[2].Token)).ShouldBe(HttpStatusCode.OK);
        (await MonitoringNoticeAsync(server, tokens[2].Monitoring)).ShouldBe(HttpStatusCode.OK);

        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var revoked = await db.Set<ExtensionToken>().AsNoTracking().Where(t => t.RegisterDeviceId == chromebook.Id).ToListAsync();
            revoked.ShouldAllBe(t => t.RevokedAt != null && t.RevokedBy == "tara@westfield.test (device reported stolen)");
            var history = await db.Set<DeviceHistoryEntry>().AsNoTracking().Where(h => h.DeviceId == chromebook.Id && h.Action == "tokens.revoked").SingleAsync();
            history.Detail.ShouldContain("2 browser(s)");
        }

        // The stolen Chromebook enrols no one again, saying why (and the refusal is listed for the IT provider).
        var (refused, problem) = await EnrolAsync(server, key, "profile-9", serial: "5CD1234XYZ");
        refused.ShouldBe(HttpStatusCode.Forbidden);
        problem.GetProperty("code").GetString().ShouldBe("device-lost");
        problem.GetProperty("detail").GetString()!.ShouldContain("reported stolen");
    }
}
