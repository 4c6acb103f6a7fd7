using System.Net;
using System.Text.RegularExpressions;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Portal;
using Brightline.Tests.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Security;

/// <summary>Issue 10's account defects, each as the outside-in test found it: one test per item, both databases.</summary>
public sealed partial class AccountSecurityTests
{
    private const string SchoolB = TestSchool.OtherId;

    /// <summary>Item 1: an administrator of school A only could open school B's account with ?created=1, get a working password link, and add it to school A.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task UsersPage_OtherSchoolsAccount_NoLinkNoHandlersNoMembership(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await LoadTwoSchoolsAsync(server);
        var other = await CreateUserAsync(server, "teacher@other-b.test", PortalRoles.Teacher, schoolId: SchoolB);
        using var admin = await SignInWithTwoFactorAsync(server, "admin-a@school.test", PortalRoles.Admin, schoolId: TestSchool.Id);

        foreach (var path in new[] { $"/users/{other.Id}", $"/users/{other.Id}?created=1", $"/users/{other.Id}?created" })
        {
            var (response, page) = await GetAsync(admin, path);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            page.DocumentElement.OuterHtml.ShouldNotContain("reset-password");
        }

        // The handlers, posted with the administrator's own antiforgery token, are refused the same way.
        var (_, own) = await GetAsync(admin, "/users");
        var token = own.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? (await AntiforgeryFromPasswordPageAsync(admin));
        foreach (var handler in new[] { "Reset", "Add" })
        {
            var posted = await admin.PostAsync($"/users/{other.Id}?created=1&handler={handler}", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["role"] = PortalRoles.Teacher,
            }));
            posted.StatusCode.ShouldBe(HttpStatusCode.NotFound, handler);
            (await posted.Content.ReadAsStringAsync()).ShouldNotContain("reset-password");
        }

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.SchoolMemberships.Where(m => m.UserId == other.Id).Select(m => m.SchoolId).ToListAsync()).ShouldBe([SchoolB]);
    }

    /// <summary>Item 1, the legitimate path: adding a role to an existing account of another school by email adds the role but hands out no password link.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task CreateUser_EmailOfAnotherSchoolsAccount_AddsRoleButNeverAPasswordLink(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await LoadTwoSchoolsAsync(server);
        var other = await CreateUserAsync(server, "shared@other-b.test", PortalRoles.Teacher, schoolId: SchoolB);
        using var admin = await SignInWithTwoFactorAsync(server, "admin-a@school.test", PortalRoles.Admin, schoolId: TestSchool.Id);

        var (_, form) = await GetAsync(admin, "/users/create");
        var created = await SubmitAsync(admin, form, "/users/create", new Dictionary<string, string>
        {
            ["DisplayName"] = "Shared Teacher",
            ["Email"] = "shared@other-b.test",
            ["Role"] = PortalRoles.Staff,
        });
        created.ShouldRedirectTo($"/users/{other.Id}?created=1");
        var (response, page) = await GetAsync(admin, $"/users/{other.Id}?created=1");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("#reset-link").ShouldBeNull();
        page.DocumentElement.OuterHtml.ShouldNotContain("reset-password");
        page.DocumentElement.TextContent.ShouldContain("existing account");

        page.QuerySelector("form[action*='handler=Reset']").ShouldBeNull();
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var reset = await admin.PostAsync($"/users/{other.Id}?handler=Reset", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        reset.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reset.Content.ReadAsStringAsync()).ShouldNotContain("reset-password");

        // A school A account is still the administrator's to manage.
        var own = await CreateUserAsync(server, "own@school.test", PortalRoles.Teacher);
        var (_, ownPage) = await GetAsync(admin, $"/users/{own.Id}?created=1");
        ownPage.QuerySelector("#reset-link")!.TextContent.ShouldContain("/account/reset-password?user=");
    }

    /// <summary>Item 2: the audit page filtered by another school's email showed that school's sign-ins and account IDs.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AuditPage_ActorOfAnotherSchool_ShowsNothingOfTheirs(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await LoadTwoSchoolsAsync(server);
        var other = await CreateUserAsync(server, "teacher@other-b.test", PortalRoles.Teacher, schoolId: SchoolB);
        using (var b = server.CreateClient())
        {
            (await LoginAsync(b, "teacher@other-b.test")).ShouldRedirectTo("/");
            await LoginAsync(server.CreateClient(), "teacher@other-b.test", "a wrong password for once");
        }

        using var admin = await SignInWithTwoFactorAsync(server, "admin-a@school.test", PortalRoles.Admin, schoolId: TestSchool.Id);
        foreach (var query in new[] { "/audit?actor=teacher@other-b.test", "/audit?actor=other-b", "/audit", "/audit?action=sign-in" })
        {
            var (response, page) = await GetAsync(admin, query);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            // The filter form echoes what was typed; the entries are the table's rows.
            var rows = string.Join("\n", page.QuerySelectorAll("table tbody tr").Select(r => r.TextContent));
            rows.ShouldNotContain("teacher@other-b.test", Case.Insensitive, query);
            rows.ShouldNotContain(other.Id, Case.Insensitive, query);
            page.DocumentElement.OuterHtml.ShouldNotContain(other.Id, Case.Insensitive, query);
        }
    }

    /// <summary>Item 4: eight concurrent set-up posts with the one-time token created two administrators.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Setup_EightConcurrentPosts_CreateOneAdministrator(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        var token = server.Services.GetRequiredService<FirstRunSetup>().SetupToken;
        var forms = new List<(HttpClient Client, AngleSharp.Dom.IDocument Page)>();
        for (var i = 0; i < 8; i++)
        {
            var client = server.CreateClient();
            var (_, page) = await GetAsync(client, $"/setup?token={token}");
            forms.Add((client, page));
        }

        var answers = await Task.WhenAll(forms.Select((f, i) => SubmitAsync(f.Client, f.Page, $"/setup?token={token}", new Dictionary<string, string>
        {
            ["DisplayName"] = $"Admin {i}",
            ["Email"] = $"admin{i}@school.test",
            ["Password"] = Password,
            ["Confirm"] = Password,
        })));

        answers.Count(a => a.StatusCode == HttpStatusCode.Redirect).ShouldBe(1);
        answers.Where(a => a.StatusCode != HttpStatusCode.Redirect).ShouldAllBe(a => a.StatusCode == HttpStatusCode.NotFound);
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.SchoolMemberships.CountAsync(m => m.Role == PortalRoles.Admin)).ShouldBe(1);
        (await db.Users.CountAsync()).ShouldBe(1);
    }

    /// <summary>Item 5: recovery codes, as shown at enrolment, never worked; now they do, typed any reasonable way, once each.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task RecoveryCode_AsShownOrWithoutHyphenInLowerCase_SignsInOnceEach(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await CreateUserAsync(server, "dsl@school.test", PortalRoles.Dsl);
        using var client = server.CreateClient();
        (await LoginAsync(client, "dsl@school.test")).ShouldRedirectTo("/");
        var (_, enrol) = await GetAsync(client, "/account/two-factor");
        var key = enrol.QuerySelector("#authenticator-key")!.TextContent;
        var enrolled = await SubmitAsync(client, enrol, "/account/two-factor", new Dictionary<string, string> { ["Code"] = Totp(key, DateTimeOffset.UtcNow) });
        var shown = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await enrolled.Content.ReadAsStringAsync());
        var codes = shown.QuerySelectorAll("#recovery-codes li").Select(li => li.TextContent.Trim()).ToList();
        codes.Count.ShouldBeGreaterThanOrEqualTo(3, $"{(int)enrolled.StatusCode}: {shown.QuerySelector("main")?.TextContent}");
        codes.ShouldAllBe(c => RecoveryCodePattern().IsMatch(c));

        (await SecondFactorAsync(server, codes[0])).ShouldRedirectTo("/");
        (await SecondFactorAsync(server, codes[1].Replace("-", "", StringComparison.Ordinal).ToLowerInvariant())).ShouldRedirectTo("/");
        (await SecondFactorAsync(server, " " + codes[2][..5] + " - " + codes[2][6..] + " ")).ShouldRedirectTo("/");
        var reused = await SecondFactorAsync(server, codes[0]);
        reused.StatusCode.ShouldBe(HttpStatusCode.OK, "a used recovery code must not work again");
        (await reused.Content.ReadAsStringAsync()).ShouldContain("not right");
    }

    /// <summary>Item 6: a password reset ends every other session, and an older reset link stops working once a newer one is used.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task PasswordReset_EndsOtherSessions_AndOlderLinksStopWorking(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        var user = await CreateUserAsync(server, "office@school.test", PortalRoles.BusinessManager);
        using var session = server.CreateClient();
        (await LoginAsync(session, "office@school.test")).ShouldRedirectTo("/");
        (await session.GetAsync("/people")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var older = await ResetLinkAsync(server, user.Id);
        var newer = await ResetLinkAsync(server, user.Id);
        (await SetPasswordAsync(server, newer, "kettle river lantern meadow")).ShouldRedirectTo("/account/login");
        (await session.GetAsync("/people")).ShouldRedirectTo("/account/login");

        var reused = await SetPasswordAsync(server, older, "an attacker's chosen passphrase here");
        reused.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reused.Content.ReadAsStringAsync()).ShouldContain("already been used or has expired");
        using var check = server.CreateClient();
        (await LoginAsync(check, "office@school.test", "kettle river lantern meadow")).ShouldRedirectTo("/");
    }

    /// <summary>Item 6: changing one's password ends every other session but keeps the one that changed it; removing a role ends all of them.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task PasswordChangeAndRoleRemoval_EndOtherSessions(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        var user = await CreateUserAsync(server, "office@school.test", PortalRoles.BusinessManager);
        using var phone = server.CreateClient();
        using var laptop = server.CreateClient();
        (await LoginAsync(phone, "office@school.test")).ShouldRedirectTo("/");
        (await LoginAsync(laptop, "office@school.test")).ShouldRedirectTo("/");

        var (_, form) = await GetAsync(laptop, "/account/password");
        (await SubmitAsync(laptop, form, "/account/password", new Dictionary<string, string>
        {
            ["Current"] = Password,
            ["NewPassword"] = "kettle river lantern meadow",
            ["Confirm"] = "kettle river lantern meadow",
        })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await laptop.GetAsync("/people")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await phone.GetAsync("/people")).ShouldRedirectTo("/account/login");

        // The administrator removes the business manager's role: the laptop's session ends too.
        using var admin = await SignInWithTwoFactorAsync(server, "admin@school.test", PortalRoles.Admin, schoolId: TestSchool.Id);
        var (_, detail) = await GetAsync(admin, $"/users/{user.Id}");
        (await SubmitAsync(admin, detail, $"/users/{user.Id}", new Dictionary<string, string>(), "form[action*='handler=Remove']")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await laptop.GetAsync("/account/password")).ShouldRedirectTo("/account/login");
    }

    /// <summary>Item 6: a pupil who leaves (missing from a full import) loses their open session.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Leaver_FromAFullImport_LosesTheOpenSession(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.ImportAsync(server, Brightline.People.ImportKind.Pupils, TestSchool.PupilsCsv);
        var leo = await TestSchool.PersonAsync(server, "A004");
        await CreateUserAsync(server, "leo@pupils.test", PortalRoles.Pupil, leo.Id);
        await CreateUserAsync(server, "amelia@pupils.test", PortalRoles.Pupil, (await TestSchool.PersonAsync(server, "A001")).Id);
        using var leaver = server.CreateClient();
        using var stayer = server.CreateClient();
        (await LoginAsync(leaver, "leo@pupils.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await LoginAsync(stayer, "amelia@pupils.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await leaver.GetAsync("/account/password")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var withoutLeo = string.Join('\n', TestSchool.PupilsCsv.Split('\n').Where(l => !l.TrimStart().StartsWith("A004", StringComparison.Ordinal)));
        (await TestSchool.ImportAsync(server, Brightline.People.ImportKind.Pupils, withoutLeo)).MarkedLeavers.ShouldBeGreaterThanOrEqualTo(1);

        (await leaver.GetAsync("/account/password")).ShouldRedirectTo("/account/login");
        (await stayer.GetAsync("/account/password")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>Item 8: an authenticator code could be used for a second sign-in within its window.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AuthenticatorCode_UsedOnce_RefusedTheSecondTime_NextCodeWorks(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        var key = await EnrolAuthenticatorAsync(server, await CreateUserAsync(server, "head@school.test", PortalRoles.Head));

        var now = DateTimeOffset.UtcNow;
        var code = Totp(key, now);
        (await SecondFactorAsync(server, code, "head@school.test")).ShouldRedirectTo("/");
        var replay = await SecondFactorAsync(server, code, "head@school.test");
        replay.StatusCode.ShouldBe(HttpStatusCode.OK, "the same code must not sign in twice");
        (await replay.Content.ReadAsStringAsync()).ShouldContain("not right");
        (await SecondFactorAsync(server, Totp(key, now.AddSeconds(30)), "head@school.test")).ShouldRedirectTo("/");
    }

    /// <summary>Item 9: only real accounts ever showed the lockout message, so it told which addresses have accounts.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SignIn_UnknownEmail_LocksAfterFiveTriesWithTheSameWordsAsARealAccount(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await CreateUserAsync(server, "real@school.test", PortalRoles.Staff);
        using var client = server.CreateClient();

        async Task<List<string>> TryFiveTimesAsync(string email)
        {
            var messages = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                var response = await LoginAsync(client, email, "wrong password number " + i);
                response.StatusCode.ShouldBe(HttpStatusCode.OK);
                var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
                messages.Add(page.QuerySelector("#Password-error")!.TextContent.Trim());
            }

            return messages;
        }

        var real = await TryFiveTimesAsync("real@school.test");
        var unknown = await TryFiveTimesAsync("nobody@school.test");
        unknown.ShouldBe(real);
        real[^1].ShouldContain("locked");
        real[0].ShouldNotContain("locked");
    }

    /// <summary>Item 11: the password page was served to anonymous visitors because its folder was open to them.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AccountPages_NeedASignIn_ExceptSignInAndReset(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        using var client = server.CreateClient();
        foreach (var path in new[] { "/account/password", "/account/two-factor", "/account/school", "/account/logout" })
        {
            (await client.GetAsync(path)).ShouldRedirectTo("/account/login");
        }

        foreach (var path in new[] { "/account/login", "/account/reset-password", "/account/suspended" })
        {
            (await client.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }
    }

    private static async Task LoadTwoSchoolsAsync(BrightlineServer server)
    {
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.LoadOtherSchoolAsync(server);
    }

    private static async Task<string> AntiforgeryFromPasswordPageAsync(HttpClient client)
    {
        var (_, page) = await GetAsync(client, "/account/password");
        return page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
    }

    /// <summary>A fresh browser: the password, then <paramref name="code"/> as the second factor; returns the second answer.</summary>
    private static async Task<HttpResponseMessage> SecondFactorAsync(BrightlineServer server, string code, string email = "dsl@school.test")
    {
        var client = server.CreateClient();
        (await LoginAsync(client, email)).ShouldRedirectTo("/account/login-2fa");
        var (_, page) = await GetAsync(client, "/account/login-2fa");
        return await SubmitAsync(client, page, "/account/login-2fa", new Dictionary<string, string> { ["Code"] = code });
    }

    private static async Task<string> ResetLinkAsync(BrightlineServer server, string userId)
    {
        await using var scope = server.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var code = await users.GeneratePasswordResetTokenAsync((await users.FindByIdAsync(userId))!);
        return $"/account/reset-password?user={Uri.EscapeDataString(userId)}&code={Uri.EscapeDataString(code)}";
    }

    private static async Task<HttpResponseMessage> SetPasswordAsync(BrightlineServer server, string link, string password)
    {
        using var client = server.CreateClient();
        var (_, page) = await GetAsync(client, link);
        return await SubmitAsync(client, page, link, new Dictionary<string, string> { ["NewPassword"] = password, ["Confirm"] = password });
    }

    [GeneratedRegex("^[A-Z0-9]{5}-[A-Z0-9]{5}$")]
    private static partial Regex RecoveryCodePattern();
}
