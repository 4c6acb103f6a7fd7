using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Tests.People;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Nodes;

/// <summary>
/// The load balancer's probes (issue 18 part 3): anonymous, one word, never a cookie; "ready" only while every
/// school's policy loads, so a node that cannot serve a school is taken out of rotation.
/// </summary>
public sealed class HealthTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Probes_AnswerOneWord_AndReadyFollowsTheSchoolsPolicies(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        using var balancer = server.CreateClient();

        await AnswersAsync(balancer, "/health/live", HttpStatusCode.OK, "ok");
        await AnswersAsync(balancer, "/health/ready", HttpStatusCode.OK, "ok");

        // A school whose policy is not loaded: this node cannot serve it, so it is not ready — and says nothing about why.
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            db.Schools.Add(new School { Id = "st-unloaded", Name = "St Unloaded Primary", CreatedAt = server.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        await AnswersAsync(balancer, "/health/ready", HttpStatusCode.ServiceUnavailable, "not ready");
        await AnswersAsync(balancer, "/health/live", HttpStatusCode.OK, "ok");
    }

    private static async Task AnswersAsync(HttpClient client, string path, HttpStatusCode status, string word)
    {
        var response = await client.GetAsync(path);
        response.StatusCode.ShouldBe(status, path);
        (await response.Content.ReadAsStringAsync()).Trim().ShouldBe(word, path);
        response.Headers.CacheControl?.NoStore.ShouldBe(true, path);
        response.Headers.Contains("Set-Cookie").ShouldBeFalse($"{path} set a cookie");
    }
}
