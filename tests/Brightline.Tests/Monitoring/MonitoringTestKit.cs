using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Safeguarding;
using Brightline.People;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Monitoring;

/// <summary>A school with people, a device token and helpers to post batches and sign in as the DSL.</summary>
internal static class MonitoringTestKit
{
    public static async Task<BrightlineServer> StartSchoolAsync(DatabaseProvider provider, bool worker = false)
    {
        // The background passes are driven by hand in these tests (ScoreAsync, RunOnceAsync), not by the service loops.
        var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?> { ["Brightline:Monitoring:Worker"] = worker ? "true" : "false" });
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        return server;
    }

    public static async Task<string> IssueTokenAsync(BrightlineServer server, string name = "ICT suite PC 1")
    {
        await using var scope = server.CreateScope();
        var issued = await scope.ServiceProvider.GetRequiredService<DeviceTokens>().IssueAsync(TestSchool.Id, name, "test", null, CancellationToken.None);
        return issued.Token;
    }

    public static HttpClient DeviceClient(BrightlineServer server, string token)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static object Event(string id, string kind = "typed-text", string? text = null, Guid? person = null, DateTimeOffset? at = null, string? url = null, string? title = null, string? screenshot = null, string? application = null, string? clientAddress = null) =>
        new Dictionary<string, object?>
        {
            ["id"] = id,
            ["kind"] = kind,
            ["occurredAt"] = (at ?? new DateTimeOffset(2026, 11, 25, 9, 55, 0, TimeSpan.Zero)).ToString("O"),
            ["text"] = text,
            ["person"] = person,
            ["url"] = url,
            ["title"] = title,
            ["screenshot"] = screenshot,
            ["application"] = application,
            ["clientAddress"] = clientAddress,
        }.Where(kv => kv.Value is not null).ToDictionary();

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(HttpClient client, params object[] events)
    {
        var response = await client.PostAsJsonAsync("/api/v1/monitoring/events", new { events });
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Scores what has been stored, as the background worker would after a batch (issue 4: scoring is not part of the request).</summary>
    public static Task<int> ScoreAsync(BrightlineServer server) =>
        server.Services.GetRequiredService<ScoringWorker>().ProcessPendingAsync(CancellationToken.None);

    public static async Task<List<T>> AllAsync<T>(BrightlineServer server)
        where T : class
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<T>().AsNoTracking().ToListAsync();
    }

    public static async Task<HttpClient> SignInAsync(BrightlineServer server, string email, string role)
    {
        await CreateUserAsync(server, email, role);
        var client = server.CreateClient();
        (await LoginAsync(client, email)).ShouldRedirectTo("/");
        return client;
    }
}
