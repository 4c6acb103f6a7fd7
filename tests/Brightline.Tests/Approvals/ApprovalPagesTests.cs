using System.Net;
using Brightline.Approvals;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.People;
using Brightline.Portal;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Approvals;

/// <summary>The approvals pages: a teacher asks, the head finds it waiting, declining needs a confirming tick, the requester ends it.</summary>
public sealed class ApprovalPagesTests
{
    private const string Staff = TestSchool.StaffCsv + "\nS03,Tom,Hughes,t.hughes@school.test,Year 1 Teacher,1 Ash,Staff,,01/09/2020";

    private static async Task<ApprovalRequest> SingleAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<ApprovalRequest>().AsNoTracking().SingleAsync();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ApprovalPages_TeacherAsks_HeadDecides_ConfirmationBeforeDecliningOrEnding(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?> { ["Brightline:Approvals:Worker"] = "false" });
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
        await TestSchool.ImportAsync(server, ImportKind.Staff, Staff);
        var tom = await TestSchool.PersonAsync(server, "S03");
        await CreateUserAsync(server, "t.hughes@school.test", PortalRoles.Teacher, tom.Id);
        await Brightline.Tests.Agreements.AgreementTestData.SignAsync(server, tom, tom, "staff", "Year 1 Teacher");
        var teacher = server.CreateClient();
        (await LoginAsync(teacher, "t.hughes@school.test")).ShouldRedirectTo("/");
        // The staff agreement asks for an acknowledgement at each sign-in (H13) before any page.
        var (_, ack) = await GetAsync(teacher, "/acknowledge");
        (await SubmitAsync(teacher, ack, "/acknowledge", new Dictionary<string, string>())).ShouldRedirectTo("/");

        // The list offers what a teacher may ask for, and nothing only the computing lead may.
        var (listResponse, list) = await GetAsync(teacher, "/approvals");
        listResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        list.QuerySelector("a[href='/approvals/new?type=exemption']").ShouldNotBeNull();
        list.QuerySelector("a[href='/approvals/new?type=class_unblock']").ShouldNotBeNull();
        list.QuerySelector("a[href='/approvals/new?type=unrestricted']").ShouldBeNull();
        (await teacher.GetAsync("/approvals/new?type=unrestricted")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await teacher.GetAsync("/approvals/new?type=no_such_type")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // An exemption needs the agreement ticked and signed: without it the form comes back with the reason.
        var (_, form) = await GetAsync(teacher, "/approvals/new?type=exemption");
        form.QuerySelector("label[for=SignedName]").ShouldNotBeNull();
        var fields = new Dictionary<string, string>
        {
            ["RuleId"] = "staff-personal-use", ["Reason"] = "Runs the school's social media accounts", ["Minutes"] = (7 * 24 * 60).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var refused = await SubmitAsync(teacher, form, "/approvals/new?type=exemption", fields);
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("written agreement");
        fields["Accept"] = "true";
        fields["SignedName"] = "Tom Hughes";
        var sent = await SubmitAsync(teacher, form, "/approvals/new?type=exemption", fields);
        var request = await SingleAsync(server);
        sent.ShouldRedirectTo($"/approvals/{request.Id}");
        request.Status.ShouldBe(ApprovalState.Pending);
        request.DurationMinutes.ShouldBe(7 * 24 * 60);

        // The head finds it waiting; a filter for another type hides it.
        var head = await SignInWithTwoFactorAsync(server, "head@school.test", PortalRoles.Head);
        var (_, awaiting) = await GetAsync(head, "/approvals");
        awaiting.QuerySelector($"a[href='/approvals/{request.Id}']").ShouldNotBeNull();
        awaiting.Body!.TextContent.ShouldContain("Waiting for my decision (1)");
        var (_, filtered) = await GetAsync(head, "/approvals?view=all&type=guest_wifi");
        filtered.QuerySelector($"a[href='/approvals/{request.Id}']").ShouldBeNull();

        // Declining without the confirming tick changes nothing.
        var (_, detail) = await GetAsync(head, $"/approvals/{request.Id}");
        var unconfirmed = await SubmitAsync(head, detail, $"/approvals/{request.Id}", new Dictionary<string, string> { ["reason"] = "Not now" }, "form[aria-label=Decline]");
        unconfirmed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await unconfirmed.Content.ReadAsStringAsync()).ShouldContain("Tick the box");
        (await SingleAsync(server)).Status.ShouldBe(ApprovalState.Pending);

        (await SubmitAsync(head, detail, $"/approvals/{request.Id}", new Dictionary<string, string> { ["note"] = "Agreed after our meeting" }, "form[aria-label=Approve]"))
            .ShouldRedirectTo($"/approvals/{request.Id}");
        var approved = await SingleAsync(server);
        approved.Status.ShouldBe(ApprovalState.Active);
        approved.DecidedBy.ShouldBe("head@school.test");

        // Someone else on the staff cannot see it at all.
        await CreateUserAsync(server, "other@school.test", PortalRoles.Staff);
        var other = server.CreateClient();
        (await LoginAsync(other, "other@school.test")).ShouldRedirectTo("/");
        (await other.GetAsync($"/approvals/{request.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The teacher ends it early, confirming with the tick.
        var (_, mine) = await GetAsync(teacher, $"/approvals/{request.Id}");
        mine.QuerySelector("form[aria-label=Approve]").ShouldBeNull("nobody decides their own request");
        (await SubmitAsync(teacher, mine, $"/approvals/{request.Id}", new Dictionary<string, string> { ["reason"] = "No longer needed", ["confirm"] = "true" }, "form[aria-label='End now']"))
            .ShouldRedirectTo($"/approvals/{request.Id}");
        var ended = await SingleAsync(server);
        ended.Status.ShouldBe(ApprovalState.Revoked);
        ended.EndReason.ShouldBe("No longer needed");
        var (_, history) = await GetAsync(teacher, $"/approvals/{request.Id}");
        history.Body!.TextContent.ShouldContain("Ended early");
    }
}
