using System.Net;
using Brightline.Data;
using Brightline.Portal;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;

namespace Brightline.Tests.Portal;

/// <summary>
/// Issue 17, "keep pages under 300 ms server time with the demo school": portal pages carry a <c>Server-Timing</c>
/// header with the server's time (the page sweep writes it down per page); the API and the pages' assets do not. Only
/// that the header is there and well formed is checked: a duration on a shared machine is not something to assert.
/// </summary>
public sealed class ServerTimingTests
{
    [Fact]
    public async Task PortalPages_SayTheirServerTime_ApiAndAssetsDoNot()
    {
        await using var server = await TestSchool.StartWithPupilsAsync(DatabaseProvider.Sqlite);
        using var client = server.CreateClient();

        var login = await client.GetAsync("/account/login");
        login.StatusCode.ShouldBe(HttpStatusCode.OK);
        login.Headers.GetValues(ServerTiming.Header).ShouldHaveSingleItem().ShouldMatch(@"^app;dur=[0-9]+\.[0-9]$");

        // A page refused to an anonymous visitor (a redirect to sign in) still says how long the answer took.
        (await client.GetAsync("/people")).Headers.Contains(ServerTiming.Header).ShouldBeTrue();

        (await client.GetAsync("/assets/site.css")).Headers.Contains(ServerTiming.Header).ShouldBeFalse();
        using var api = server.CreateApiClient();
        var people = await api.GetAsync("/api/v1/people?school=" + TestSchool.Id);
        people.StatusCode.ShouldBe(HttpStatusCode.OK);
        people.Headers.Contains(ServerTiming.Header).ShouldBeFalse();
    }
}
