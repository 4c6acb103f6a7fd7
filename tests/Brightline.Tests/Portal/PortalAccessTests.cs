using System.Net;
using Brightline.Data;
using Brightline.Portal;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Portal;

public sealed class PortalAccessTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Setup_ValidToken_CreatesAdminOnceThenIs404(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        var token = server.Services.GetRequiredService<FirstRunSetup>().SetupToken;
        using var client = server.CreateClient();

        (await GetAsync(client, "/setup?token=not-the-token")).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var (response, page) = await GetAsync(client, $"/setup?token={token}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("html")!.GetAttribute("lang").ShouldBe("en-GB");

        var created = await SubmitAsync(client, page, "/setup", new Dictionary<string, string>
        {
            ["DisplayName"] = "Alex Admin",
            ["Email"] = "admin@school.test",
            ["Password"] = Password,
            ["Confirm"] = Password,
        });
        created.ShouldRedirectTo("/account/two-factor");

        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            (await db.SchoolMemberships.CountAsync(m => m.Role == PortalRoles.Admin)).ShouldBe(1);
            (await db.AuditEntries.AnyAsync(e => e.Action == "account-created")).ShouldBeTrue();
        }

        using var other = server.CreateClient();
        (await GetAsync(other, $"/setup?token={token}")).Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await GetAsync(other, $"/setup?token={server.Services.GetRequiredService<FirstRunSetup>().SetupToken}")).Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Login_FiveWrongPasswords_LocksOutEvenTheRightPassword(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await CreateUserAsync(server, "office@school.test", PortalRoles.BusinessManager);
        using var client = server.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            var wrong = await LoginAsync(client, "office@school.test", "not the right password " + i);
            wrong.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var right = await LoginAsync(client, "office@school.test");
        right.StatusCode.ShouldBe(HttpStatusCode.OK, "a locked account must not sign in");
        (await right.Content.ReadAsStringAsync()).ShouldContain("locked for 15 minutes");

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.AuditEntries.CountAsync(e => e.Action == "sign-in-failed")).ShouldBe(6);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Dsl_WithoutTwoFactor_IsForcedToEnrolThenUsesCodeAtNextSignIn(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await CreateUserAsync(server, "dsl@school.test", PortalRoles.Dsl);
        using var client = server.CreateClient();

        (await LoginAsync(client, "dsl@school.test")).ShouldRedirectTo("/");
        (await client.GetAsync("/")).ShouldRedirectTo("/account/two-factor");
        (await client.GetAsync("/people")).ShouldRedirectTo("/account/two-factor");
        (await client.GetAsync("/audit")).ShouldRedirectTo("/account/two-factor");

        var (_, enrol) = await GetAsync(client, "/account/two-factor");
        var key = enrol.QuerySelector("#authenticator-key")!.TextContent;
        enrol.QuerySelector(".qr img")!.GetAttribute("src")!.ShouldStartWith("data:image/png;base64,", Case.Sensitive);
        var enrolled = await SubmitAsync(client, enrol, "/account/two-factor", new Dictionary<string, string> { ["Code"] = Totp(key, DateTimeOffset.UtcNow) });
        var enrolledHtml = await enrolled.Content.ReadAsStringAsync();
        enrolled.StatusCode.ShouldBe(HttpStatusCode.OK);
        enrolledHtml.ShouldContain("recovery-codes");
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Next sign-in asks for the code.
        using var next = server.CreateClient();
        (await LoginAsync(next, "dsl@school.test")).ShouldRedirectTo("/account/login-2fa");
        var (_, second) = await GetAsync(next, "/account/login-2fa");
        // The enrolment's code has been used; a code works once, so the next sign-in uses the next one (the app shows it 30 s later).
        (await SubmitAsync(next, second, "/account/login-2fa", new Dictionary<string, string> { ["Code"] = Totp(key, DateTimeOffset.UtcNow.AddSeconds(30)) })).ShouldRedirectTo("/");
        (await next.GetAsync("/audit")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.AuditEntries.AnyAsync(e => e.Action == "two-factor-enabled")).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Parent_OwnChildVisible_AnotherFamilysChildIs404(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        var sarah = await TestSchool.PersonAsync(server, "sarah.jones@parents.test");
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var leo = await TestSchool.PersonAsync(server, "A004");
        await SignAsync(server, sarah, sarah, "parent");
        await CreateUserAsync(server, "sarah.jones@parents.test", PortalRoles.Parent, sarah.Id);
        using var client = server.CreateClient();
        (await LoginAsync(client, "sarah.jones@parents.test")).ShouldRedirectTo("/");

        (await client.GetAsync($"/people/{amelia.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync($"/people/{sarah.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var other = await client.GetAsync($"/people/{leo.Id}");
        other.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.Content.ReadAsStringAsync()).ShouldNotContain("Khan");
        (await client.GetAsync($"/people/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var (_, list) = await GetAsync(client, "/people");
        var names = list.QuerySelectorAll("tbody th").Select(t => t.TextContent.Trim()).ToList();
        names.ShouldContain(n => n.StartsWith("Amelia Jones", StringComparison.Ordinal));
        names.ShouldNotContain(n => n.StartsWith("Leo Khan", StringComparison.Ordinal));
        (await client.GetAsync("/audit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Teacher_OwnClassPupilVisible_AnotherClassPupilIs404(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider, staff: true);
        var priya = await TestSchool.PersonAsync(server, "S01");
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var leo = await TestSchool.PersonAsync(server, "A004");
        await SignAsync(server, priya, priya, "staff", "Computing Lead");
        // Priya is also Isla's mother, so the parents' agreement applies to her too.
        await SignAsync(server, priya, priya, "parent");
        await CreateUserAsync(server, "priya.patel@school.test", PortalRoles.Teacher, priya.Id);
        using var client = server.CreateClient();
        (await LoginAsync(client, "priya.patel@school.test")).ShouldRedirectTo("/");

        // The staff agreement asks for an acknowledgement at sign-in (H13): it comes before any page.
        (await client.GetAsync($"/people/{amelia.Id}")).ShouldRedirectTo("/acknowledge");
        var (_, ack) = await GetAsync(client, "/acknowledge");
        (await SubmitAsync(client, ack, "/acknowledge", new Dictionary<string, string>())).ShouldRedirectTo("/");
        (await client.GetAsync($"/people/{amelia.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync($"/people/{leo.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/users")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Teacher_Dashboard_ShowsTheirClassWithEachPupilsStanding_AndNoOtherClass(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider, staff: true);
        var priya = await TestSchool.PersonAsync(server, "S01");
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var leo = await TestSchool.PersonAsync(server, "A004");
        await SignAsync(server, priya, priya, "staff", "Computing Lead");
        await SignAsync(server, priya, priya, "parent");
        await CreateUserAsync(server, "priya.patel@school.test", PortalRoles.Teacher, priya.Id);
        using var client = server.CreateClient();
        (await LoginAsync(client, "priya.patel@school.test")).ShouldRedirectTo("/");
        var (_, ack) = await GetAsync(client, "/acknowledge");
        (await SubmitAsync(client, ack, "/acknowledge", new Dictionary<string, string>())).ShouldRedirectTo("/");

        // Issue 17: the teacher's home is her class, 3 Oak: Amelia by name, with a link to her page; nobody from 5 Ash.
        var (_, home) = await GetAsync(client, "/");
        var section = home.QuerySelector("#your-class").ShouldNotBeNull();
        section.QuerySelector("h2")!.TextContent.ShouldBe("Your class: 3 Oak");
        var rows = section.QuerySelectorAll("tbody tr");
        rows.Select(r => r.QuerySelector("th a")!.TextContent).ShouldBe(["Amelia Jones"]);
        rows[0].QuerySelector("th a")!.GetAttribute("href").ShouldBe($"/people/{amelia.Id}");
        rows[0].QuerySelectorAll("td")[0].TextContent.Trim().ShouldBeOneOf("Due", "Overdue");
        rows[0].QuerySelectorAll("td")[1].TextContent.ShouldBe("The pupil");
        section.TextContent.ShouldNotContain("Leo");
        home.QuerySelector($"#your-class a[href='/people/{leo.Id}']").ShouldBeNull();

        // Once Amelia has signed her part, what is missing is her parent's signature, and the list says so.
        var agreement = await ScopedAsync(server, sp => sp.GetRequiredService<Brightline.Agreements.AgreementService>().ForPersonAsync(TestSchool.Id, amelia.Id, CancellationToken.None));
        var needsParent = agreement.Where(a => a.NeedsSelf && a.NeedsParent).ToList();
        needsParent.ShouldNotBeEmpty("the example policy asks a Year 3 pupil and a parent to sign");
        foreach (var required in needsParent)
        {
            await SignAsync(server, amelia, amelia, required.AgreementId);
        }

        (_, home) = await GetAsync(client, "/");
        home.QuerySelectorAll("#your-class tbody tr")[0].QuerySelectorAll("td")[1].TextContent.ShouldBe("Parent or carer");
    }

    private static async Task<T> ScopedAsync<T>(BrightlineServer server, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Pupil_PeopleList_Is403AndOwnPageWorks(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        var leo = await TestSchool.PersonAsync(server, "A004");
        var amelia = await TestSchool.PersonAsync(server, "A001");
        await CreateUserAsync(server, "leo@pupils.test", PortalRoles.Pupil, leo.Id);
        using var client = server.CreateClient();
        (await LoginAsync(client, "leo@pupils.test")).ShouldRedirectTo("/");

        // C8: the unsigned agreement comes first.
        (await client.GetAsync("/")).ShouldRedirectTo("/sign/ks2-pupil");
        var (_, sign) = await GetAsync(client, "/sign/ks2-pupil");
        sign.QuerySelector("label[for=TeacherPresent]").ShouldNotBeNull();
        var empty = await SubmitAsync(client, sign, "/sign/ks2-pupil", new Dictionary<string, string> { ["SignedName"] = "" });
        empty.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await empty.Content.ReadAsStringAsync()).ShouldContain("Type your name to sign");
        (await SubmitAsync(client, sign, "/sign/ks2-pupil", new Dictionary<string, string> { ["SignedName"] = "Leo Khan", ["TeacherPresent"] = "true" })).ShouldRedirectTo("/");

        (await client.GetAsync("/people")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync($"/people/{leo.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync($"/people/{amelia.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ApiPolicy_NoKeyIs401_KeyIsAccepted_SessionsOnlyForWholeSchoolRolesAndTheirSchool(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        var leo = await TestSchool.PersonAsync(server, "A004");
        var path = $"/api/v1/people/{leo.Id}/access";

        using var anonymous = server.CreateClient();
        (await anonymous.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var wrong = server.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "test-api-key-0123456789abcdeX");
        (await wrong.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var api = server.CreateApiClient();
        (await api.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // A pupil's or a teacher's session is not enough for the API (a teacher sees only their class in the
        // portal, so the whole-school API is not theirs); the business manager's is, for their own school only.
        await CreateUserAsync(server, "leo@pupils.test", PortalRoles.Pupil, leo.Id);
        using var pupil = server.CreateClient();
        await LoginAsync(pupil, "leo@pupils.test");
        (await pupil.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await CreateUserAsync(server, "teacher@school.test", PortalRoles.Teacher);
        using var teacher = server.CreateClient();
        await LoginAsync(teacher, "teacher@school.test");
        (await teacher.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await teacher.GetAsync("/api/v1/people")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await CreateUserAsync(server, "office@school.test", PortalRoles.BusinessManager);
        using var office = server.CreateClient();
        await LoginAsync(office, "office@school.test");
        (await office.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await office.GetAsync("/api/v1/people")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await office.GetAsync("/api/v1/people?school=another-school")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await office.GetAsync($"{path}?school=another-school")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AuditPage_ShowsSignInsOfOwnMembersOnly_NotAnotherSchools(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Brightline.Policies.PolicyStore>()
                .LoadAsync(File.ReadAllText(RepoPaths.Policy("westfield.yaml")), "westfield.yaml", "test", CancellationToken.None);
        }

        string otherSchool;
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            otherSchool = await db.Schools.Where(s => s.Id != TestSchool.Id).Select(s => s.Id).SingleAsync();
        }

        await CreateUserAsync(server, "clerk@other.test", PortalRoles.Staff, schoolId: otherSchool);
        using (var other = server.CreateClient())
        {
            (await LoginAsync(other, "clerk@other.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }

        using var head = await SignInWithTwoFactorAsync(server, "head@example.test", PortalRoles.Head);
        var (response, page) = await GetAsync(head, "/audit");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = page.QuerySelector("main")!.TextContent;
        text.ShouldContain("head@example.test");
        text.ShouldNotContain("clerk@other.test");
    }
}
