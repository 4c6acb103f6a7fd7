using System.Net;
using Brightline.Data;
using Brightline.Portal;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Portal;

/// <summary>
/// Issue 17's bulk actions on lists: accessible checkboxes named after each row, a "select all on this page", and a
/// confirmation that names the number before anything changes. ("Chase selected" is in CountAgreementTests.)
/// </summary>
public sealed class BulkActionTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AssignRole_ToSelectedAccounts_ConfirmsTheNumber_SkipsHoldersAndOtherSchools_AuditsEach(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.LoadOtherSchoolAsync(server);
        var ann = await CreateUserAsync(server, "ann@school.test", PortalRoles.Staff);
        var bob = await CreateUserAsync(server, "bob@school.test", PortalRoles.Staff);
        var cat = await CreateUserAsync(server, "cat@school.test", PortalRoles.Teacher);
        var elsewhere = await CreateUserAsync(server, "dan@other.test", PortalRoles.Staff, schoolId: TestSchool.OtherId);
        using var admin = await SignInWithTwoFactorAsync(server, "admin@school.test", PortalRoles.Admin);

        var (_, list) = await GetAsync(admin, "/users");
        list.QuerySelector($"label[for=account-{ann.Id}]")!.TextContent.ShouldBe("Select ann@school.test");
        list.QuerySelector("#select-all + label")!.TextContent.ShouldBe("Select all on this page");
        list.QuerySelector("label[for=bulk-role]").ShouldNotBeNull();

        var path = $"/users/assign?role={PortalRoles.Teacher}&account={ann.Id}&account={bob.Id}&account={cat.Id}&account={elsewhere.Id}";
        var (_, confirm) = await GetAsync(admin, path);
        confirm.QuerySelector("#assign-confirm h2")!.TextContent.ShouldBe("Give the role Teacher to 2 accounts?",
            "Cat already teaches; Dan's account belongs to another school");
        confirm.QuerySelector("#already-hold")!.TextContent.ShouldContain("cat@school.test");
        confirm.Body!.TextContent.ShouldNotContain("dan@other.test");

        var done = await SubmitAsync(admin, confirm, path, new Dictionary<string, string>());
        done.ShouldRedirectTo("/users?granted=2");
        var (_, after) = await GetAsync(admin, done.Headers.Location!.ToString());
        after.QuerySelector("#granted")!.TextContent.ShouldContain("Gave the role Teacher to 2 accounts.");

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.SchoolMemberships.CountAsync(m => m.Role == PortalRoles.Teacher && m.SchoolId == TestSchool.Id)).ShouldBe(3);
        (await db.SchoolMemberships.CountAsync(m => m.UserId == elsewhere.Id)).ShouldBe(1, "another school's account is untouched");
        (await db.AuditEntries.CountAsync(a => a.Action == Brightline.Audit.AuditActions.RoleChange && a.Detail == "granted teacher")).ShouldBe(2);

        // Only administrators give roles, in bulk as one at a time.
        await CreateUserAsync(server, "sbm@school.test", PortalRoles.BusinessManager);
        using var manager = server.CreateClient();
        (await LoginAsync(manager, "sbm@school.test")).ShouldRedirectTo("/");
        (await manager.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
