using Brightline.Data;
using System.Net;
using System.Text.Json;
using Brightline.Access;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policy.Model;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;

namespace Brightline.Tests.Access;

public sealed class AccessGateTests
{
    private static async Task<AccessDecision> EvaluateAsync(BrightlineServer server, Guid personId)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AccessGate>().EvaluateAsync(TestSchool.Id, personId, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Gate_UnsignedStaff_RefusedLoginUntilSigned(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var head = await TestSchool.PersonAsync(server, "S02");

        var before = await EvaluateAsync(server, head.Id);
        before.IsAllowed(AccessKind.Login).ShouldBeFalse();
        before.IsAllowed(AccessKind.Internet).ShouldBeFalse();
        var reason = before.Items.Single(i => i.Access == AccessKind.Login).Reasons.Single();
        reason.AgreementId.ShouldBe("staff");
        reason.Message.ShouldContain("Helen Marsh");
        reason.Since.ShouldNotBeNull();

        await SignAsync(server, head, head, "staff", "Headteacher");
        var after = await EvaluateAsync(server, head.Id);
        after.Items.ShouldAllBe(i => i.Allowed);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Gate_PupilAwaitingParent_RefusedInternetOnlyUntilParentSigns(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        await SignAsync(server, amelia, amelia, "ks2-pupil");

        var decision = await EvaluateAsync(server, amelia.Id);
        decision.IsAllowed(AccessKind.Login).ShouldBeTrue();
        decision.IsAllowed(AccessKind.Internet).ShouldBeFalse();
        var reason = decision.Items.Single(i => i.Access == AccessKind.Internet).Reasons.Single();
        reason.Message.ShouldContain("a parent");
        reason.Message.ShouldNotContain("the pupil");

        await SignAsync(server, amelia, await TestSchool.PersonAsync(server, "sarah.jones@parents.test"), "ks2-pupil");
        (await EvaluateAsync(server, amelia.Id)).IsAllowed(AccessKind.Internet).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Gate_Leaver_RefusedEverything(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var governor = await TestSchool.PersonAsync(server, "G01");
        await SignAsync(server, governor, governor, "staff", "Chair of Governors");
        await TestSchool.ImportAsync(server, ImportKind.Staff, string.Join('\n', TestSchool.StaffCsv.Split('\n').Where(l => !l.StartsWith("G01", StringComparison.Ordinal))));

        var decision = await EvaluateAsync(server, governor.Id);
        decision.Items.ShouldAllBe(i => !i.Allowed && i.Reasons.Single().Code == AccessGate.LeftCode);
        decision.Items[0].Reasons[0].Message.ShouldContain("left on 25/11/2026");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AccessApi_Requests_JsonReasonsAndProblemDetails(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var head = await TestSchool.PersonAsync(server, "S02");
        using var api = server.CreateApiClient();

        var ok = await api.GetAsync($"/api/v1/people/{head.Id}/access");
        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("personId").GetGuid().ShouldBe(head.Id);
        json.RootElement.GetProperty("name").GetString().ShouldBe("Helen Marsh");
        json.RootElement.GetProperty("login").GetProperty("allowed").GetBoolean().ShouldBeFalse();
        json.RootElement.GetProperty("internet").GetProperty("reasons")[0].GetProperty("agreementId").GetString().ShouldBe("staff");

        var missing = await api.GetAsync($"/api/v1/people/{Guid.NewGuid()}/access");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");

        var malformed = await api.GetAsync("/api/v1/people/not-a-guid/access");
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        malformed.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");

        using var anonymous = server.CreateClient();
        (await anonymous.GetAsync($"/api/v1/people/{head.Id}/access")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var agreements = await api.GetAsync($"/api/v1/people/{head.Id}/agreements");
        agreements.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await agreements.Content.ReadAsStringAsync()).ShouldContain("\"state\":\"due\"");
    }
}
