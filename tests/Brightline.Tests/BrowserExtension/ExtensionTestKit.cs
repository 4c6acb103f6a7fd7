using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Brightline.BrowserExtension;
using Brightline.Tests.People;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.BrowserExtension;

/// <summary>What the browser-extension tests share: an enrolment key for a school, and an enrolment as the extension sends it.</summary>
internal static class ExtensionTestKit
{
    public static async Task<string> CreateKeyAsync(BrightlineServer server, string schoolId = TestSchool.Id)
    {
        await using var scope = server.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<ExtensionKeys>().CreateAsync(schoolId, "it@school.test", null, CancellationToken.None)).Key;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> EnrolAsync(
        BrightlineServer server, string key, string email, string deviceId = "device-1", string deviceName = "Staffroom Chromebook")
    {
        using var client = server.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/extension/enrol", new { enrolmentKey = key, email, deviceId, deviceName });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
