using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Safeguarding;
using Brightline.Portal;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Monitoring.MonitoringTestKit;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Monitoring;

/// <summary>H17: stored email content is shown only under a recorded, unexpired permission from the head or bursar.</summary>
public sealed class ContentPermissionTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task EmailContent_IsWithheld_UntilTheHeadGrantsTheViewersRequest_AndEveryStepIsAudited(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var (response, body) = await PostAsync(agent, Event("e1", kind: "email", text: "Subject: tonight. i want to die tonight", person: amelia.Id));
        await ScoreAsync(server);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("accepted").GetInt32().ShouldBe(1);
        var alert = (await AllAsync<MonitoringAlert>(server)).Single();

        using var dsl = await SignInWithTwoFactorAsync(server, "dsl@school.test", PortalRoles.Dsl);
        var (_, withheld) = await GetAsync(dsl, $"/monitoring/alerts/{alert.Id}");
        withheld.QuerySelector("#email-withheld").ShouldNotBeNull();
        withheld.QuerySelector("#capture").ShouldBeNull();
        withheld.DocumentElement.OuterHtml.ShouldNotContain("Subject: tonight", Case.Sensitive, "the library phrase is shown for triage; the email text is not");

        var (_, form) = await GetAsync(dsl, $"/monitoring/permissions?person={amelia.Id}");
        form.QuerySelectorAll("form[id^=grant-]").Length.ShouldBe(0, "the DSL cannot grant");
        (await SubmitAsync(dsl, form, "/monitoring/permissions?handler=Request", new Dictionary<string, string> { ["Reason"] = "Disclosure follow-up agreed at the safeguarding meeting.", ["Days"] = "7" }, "#request-form"))
            .ShouldRedirectTo("/monitoring/permissions?done=requested");
        var request = (await AllAsync<MonitoringContentPermission>(server)).Single();
        request.Status.ShouldBe(ContentPermissionState.Requested);
        (await GetAsync(dsl, $"/monitoring/alerts/{alert.Id}")).Document.QuerySelector("#capture").ShouldBeNull("asked, not yet granted");

        using var head = await SignInWithTwoFactorAsync(server, "head@school.test", PortalRoles.Head);
        var (_, list) = await GetAsync(head, "/monitoring/permissions");
        (await SubmitAsync(head, list, $"/monitoring/permissions?handler=Grant&id={request.Id}", new Dictionary<string, string> { ["Note"] = "Agreed." }, $"#grant-{request.Id}"))
            .ShouldRedirectTo("/monitoring/permissions?done=granted");
        var granted = (await AllAsync<MonitoringContentPermission>(server)).Single();
        granted.Status.ShouldBe(ContentPermissionState.Granted);
        granted.ExpiresAt.ShouldBe(server.Clock.GetUtcNow().AddDays(7));
        (await GetAsync(head, $"/monitoring/alerts/{alert.Id}")).Document.QuerySelector("#capture").ShouldBeNull("the permission is the DSL's, not the head's");

        var (_, shown) = await GetAsync(dsl, $"/monitoring/alerts/{alert.Id}");
        shown.QuerySelector("#capture mark")!.TextContent.ShouldBe("want to die");
        shown.QuerySelector("#email-permission").ShouldNotBeNull();

        // Expired: withheld again.
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var p = await db.Set<MonitoringContentPermission>().SingleAsync();
            p.ExpiresAt = server.Clock.GetUtcNow().AddMinutes(-1);
            await db.SaveChangesAsync();
        }

        (await GetAsync(dsl, $"/monitoring/alerts/{alert.Id}")).Document.QuerySelector("#capture").ShouldBeNull("expired");

        var audit = await AllAsync<AuditEntry>(server);
        audit.Count(e => e.Action == ContentPermissions.AuditRequested).ShouldBe(1);
        audit.Count(e => e.Action == ContentPermissions.AuditGranted && e.Actor == "head@school.test").ShouldBe(1);
        audit.Count(e => e.Action == ContentPermissions.AuditEmailViewed && e.Actor == "dsl@school.test").ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Permissions_Teacher_IsForbidden_AndNonEmailCapturesNeedNoPermission(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        await PostAsync(agent, Event("t1", text: "i want to die tonight"));
        await ScoreAsync(server);
        var alert = (await AllAsync<MonitoringAlert>(server)).Single();

        using var teacher = await SignInAsync(server, "teacher@school.test", PortalRoles.Teacher);
        (await teacher.GetAsync("/monitoring/permissions")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using var dsl = await SignInWithTwoFactorAsync(server, "dsl@school.test", PortalRoles.Dsl);
        var (_, page) = await GetAsync(dsl, $"/monitoring/alerts/{alert.Id}");
        page.QuerySelector("#capture mark")!.TextContent.ShouldBe("want to die");
        page.QuerySelector("#email-withheld").ShouldBeNull();
    }
}
