using System.Text.RegularExpressions;
using Brightline.Agreements;
using Brightline.EndToEnd.Infrastructure;
using Brightline.Portal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Brightline.EndToEnd.Infrastructure.PortalPages;

namespace Brightline.EndToEnd;

/// <summary>
/// Issue 17, "First use, as a school would live it": the example school's first days in a real browser on a 390 px phone,
/// every page checked with axe-core. Defect 2 (dead ends by role) and defect 3 (wrong or unhelpful words).
/// </summary>
public sealed partial class SeedSchoolBrowserTests
{
    private const string FirstUseSchool = "example-primary";

    private const string FirstUseStaffCsv = """
        Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
        S10,Sarah,Okafor,s.okafor@example-primary.example.org,Deputy Headteacher,,staff,dsl,01/09/2015
        S11,Tom,Hughes,t.hughes@example-primary.example.org,Year 5 Teacher,5 Ash,staff,deputy_dsl,01/09/2018
        """;

    private const string FirstUsePupilsCsv = """
        Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
        A004,Leo,Khan,Y5,5 Ash,01/09/2021,Imran Khan,imran.khan@parents.test,Father
        """;

    private static Task<BrightlineServer> StartExampleSchoolAsync() =>
        StartSchoolAsync(File.ReadAllText(PolicyPath("example.yaml")), "example.yaml", FirstUseSchool, FirstUsePupilsCsv, FirstUseStaffCsv);

    /// <summary>
    /// Defect 2d: the DSL signs the staff agreement and clicks through the sign-in acknowledgement, and lands on her alert
    /// queue, not the dashboard; a deputy who was on her way to another page (the sign-in's return address) goes there instead.
    /// </summary>
    [Fact]
    public async Task FirstUse_DslAfterAgreementAndAcknowledgement_LandsOnAlertQueue_ReturnAddressWins()
    {
        await using var server = await StartExampleSchoolAsync();
        var sarah = await PersonAsync(server, FirstUseSchool, "S10");
        var tom = await PersonAsync(server, FirstUseSchool, "S11");
        var sarahKey = await CreateAccountAsync(server, FirstUseSchool, "s.okafor@example-primary.example.org", PortalRoles.Dsl, sarah.Id);
        var tomKey = await CreateAccountAsync(server, FirstUseSchool, "t.hughes@example-primary.example.org", PortalRoles.DeputyDsl, tom.Id);
        var violations = new List<string>();

        var page = await PhonePageAsync();
        await SignInAsync(page, server, "s.okafor@example-primary.example.org", sarahKey);
        await page.WaitForURLAsync(new Regex("/sign/staff"));
        await page.GetByLabel("Your full name").FillAsync("Sarah Okafor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign the agreement" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/acknowledge"));
        await CheckPageAsync(page, "acknowledge", violations);
        await page.GetByRole(AriaRole.Button, new() { Name = "I understand and agree" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/monitoring$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Safeguarding alerts");
        await CheckPageAsync(page, "alert-queue", violations);

        // The deputy follows a link to the people list before signing in: the sign-in, the agreement and the
        // acknowledgement all keep that address, and he arrives there.
        var deputy = await PhonePageAsync();
        await deputy.GotoAsync(server.Url("/people?q=khan"));
        await deputy.WaitForURLAsync(new Regex("/account/login"));
        await deputy.GetByLabel("Email address").FillAsync("t.hughes@example-primary.example.org");
        await deputy.Locator("#Password").FillAsync(Password);
        await deputy.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await deputy.WaitForURLAsync(new Regex("/account/login-2fa"));
        await deputy.GetByLabel("Security code", new() { Exact = false }).FillAsync(Totp(tomKey, DateTimeOffset.UtcNow));
        await deputy.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await deputy.WaitForURLAsync(new Regex("/sign/staff"));
        await deputy.GetByLabel("Your full name").FillAsync("Tom Hughes");
        await deputy.GetByRole(AriaRole.Button, new() { Name = "Sign the agreement" }).ClickAsync();
        await deputy.WaitForURLAsync(new Regex("/acknowledge"));
        await deputy.GetByRole(AriaRole.Button, new() { Name = "I understand and agree" }).ClickAsync();
        await deputy.WaitForURLAsync(new Regex("/people\\?q=khan$"));

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }

    /// <summary>
    /// Defect 9: the account form fits a primary pupil — no email address, a username offered (first name and the
    /// surname's initial), a printable sign-in card with the one-time link as a QR code — and the pupil signs in with
    /// the username. Defect 2: a plain sign-in (no return address) lands on the role's home, here the DSL's alert queue.
    /// </summary>
    [Fact]
    public async Task FirstUse_PupilAccount_UsernameNoEmail_SignInCard_SignsInWithUsername()
    {
        await using var server = await StartExampleSchoolAsync();
        var leo = await PersonAsync(server, FirstUseSchool, "A004");
        var adminKey = await CreateAccountAsync(server, FirstUseSchool, "office@example-primary.test", PortalRoles.Admin);
        var violations = new List<string>();

        var admin = await PhonePageAsync();
        await SignInAsync(admin, server, "office@example-primary.test", adminKey);
        await admin.GotoAsync(server.Url($"/users/create?person={leo.Id}"));
        await Expect(admin.Locator("#Role")).ToHaveValueAsync(PortalRoles.Pupil);
        await Expect(admin.GetByLabel("Username")).ToHaveValueAsync("leok");
        await Expect(admin.GetByLabel("Email address (optional)", new() { Exact = false })).ToHaveValueAsync("");
        await CheckPageAsync(admin, "create-pupil-account", violations);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await admin.WaitForURLAsync(new Regex("/users/[^/]+\\?created=1"));
        await Expect(admin.Locator("#username")).ToHaveTextAsync("leok");
        await Expect(admin.Locator("#sign-in-card img")).ToBeVisibleAsync();
        (await admin.Locator("button", new() { HasTextString = "Email a sign-in link" }).CountAsync()).ShouldBe(0, "no address to email");
        await CheckPageAsync(admin, "pupil-sign-in-card", violations);
        var link = (await admin.Locator("#reset-link").TextContentAsync())!.Trim();

        // A second pupil with the same initials gets a number, not someone else's account.
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Brightline.Data.BrightlineDbContext>();
            db.People.Add(new Brightline.Data.Entities.Person { SchoolId = FirstUseSchool, ExternalId = "A099", Source = leo.Source, GivenName = "Leon", FamilyName = "Kaur", KindMask = leo.KindMask, YearGroup = leo.YearGroup, ClassName = leo.ClassName, JoinedOn = leo.JoinedOn, CreatedAt = leo.CreatedAt, UpdatedAt = leo.UpdatedAt });
            await db.SaveChangesAsync();
        }

        var leon = await PersonAsync(server, FirstUseSchool, "A099");
        await admin.GotoAsync(server.Url($"/users/create?person={leon.Id}"));
        await Expect(admin.GetByLabel("Username")).ToHaveValueAsync("leonk");

        var pupil = await PhonePageAsync();
        await pupil.GotoAsync(link);
        await pupil.GetByLabel("New password").FillAsync(Password);
        await pupil.GetByLabel("Type it again").FillAsync(Password);
        await pupil.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        await pupil.WaitForURLAsync(new Regex("/account/login"));
        await pupil.GetByLabel("Email address or username").FillAsync("LeoK");
        await pupil.Locator("#Password").FillAsync(Password);
        await pupil.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await pupil.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await Expect(pupil.Locator("h1")).Not.ToHaveTextAsync("Sign in");

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }

    /// <summary>
    /// Defect 2a: every role's menu leads only to pages the role may open, the administrator's monitoring link is named for
    /// the page it opens, and a refusal names the roles that may open the page and the people holding them — never
    /// "ask the administrator" to the administrator.
    /// </summary>
    [Fact]
    public async Task FirstUse_EveryRolesMenu_OpensOnlyPagesItMayOpen_RefusalNamesWhoCan()
    {
        await using var server = await StartExampleSchoolAsync();
        var violations = new List<string>();
        var roles = PortalRoles.All.Where(r => r != PortalRoles.Pupil && r != PortalRoles.Parent).ToList();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            keys[role] = await CreateAccountAsync(server, FirstUseSchool, $"{role.Replace('_', '-')}@example-primary.test", role);
        }

        foreach (var role in roles)
        {
            var page = await PhonePageAsync();
            await SignInAsync(page, server, $"{role.Replace('_', '-')}@example-primary.test", keys[role]);
            var links = await page.Locator("nav.main-nav a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href') + ' ' + a.textContent.trim())");
            links.ShouldNotBeEmpty(role);
            foreach (var link in links)
            {
                var href = link[..link.IndexOf(' ', StringComparison.Ordinal)];
                var response = await page.GotoAsync(server.Url(href));
                response!.Status.ShouldBe(200, $"{role}: the menu's link '{link}' opens a page the role may not open");
            }

            if (role == PortalRoles.Admin)
            {
                // The administrator manages monitoring devices but does not read the alert queue: the link says so.
                links.ShouldContain("/monitoring/devices Monitoring devices");
                links.ShouldNotContain(l => l.StartsWith("/monitoring ", StringComparison.Ordinal));
                await page.GotoAsync(server.Url("/"));
                await CheckPageAsync(page, "admin-dashboard", violations);

                var refused = await page.GotoAsync(server.Url("/monitoring"));
                refused!.Status.ShouldBe(403);
                var allowed = await page.Locator("#allowed-roles").InnerTextAsync();
                allowed.ShouldContain("Designated safeguarding lead");
                allowed.ShouldContain("Sarah Okafor");
                allowed.ShouldContain("Headteacher");
                allowed.ShouldContain("Helen Marsh");
                var main = await page.Locator("main").InnerTextAsync();
                main.ShouldNotContain("ask the school's Brightline administrator", Case.Insensitive);
                (await page.Locator("#who-grants").InnerTextAsync()).ShouldContain("You are the school's Brightline administrator");
                await CheckPageAsync(page, "refused-admin", violations);
            }

            if (role == PortalRoles.Teacher)
            {
                var refused = await page.GotoAsync(server.Url("/audit"));
                refused!.Status.ShouldBe(403);
                (await page.Locator("#allowed-roles").InnerTextAsync()).ShouldContain("Administrator: admin@example-primary.test");
                (await page.Locator("#who-grants").InnerTextAsync()).ShouldContain("admin@example-primary.test");
                await CheckPageAsync(page, "refused-teacher", violations);
            }

            await page.Context.CloseAsync();
        }

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }

    /// <summary>
    /// Defect 3: a pupil who has signed while the parent has not is told the parent signs next — on the dashboard (not
    /// "Overdue") and on the block page (not "Sign your agreement first", and no agreement ID) — and a wrong name on
    /// signing never reveals the name the school holds, for the pupil or the parent.
    /// </summary>
    [Fact]
    public async Task FirstUse_PupilSignedParentNot_WordsSayParentSignsNext_NameNeverRevealed()
    {
        await using var server = await StartExampleSchoolAsync();
        var leo = await PersonAsync(server, FirstUseSchool, "A004");
        var key = await CreateAccountAsync(server, FirstUseSchool, "leo.khan@pupils.test", PortalRoles.Pupil, leo.Id);
        var violations = new List<string>();

        var pupil = await PhonePageAsync();
        await SignInAsync(pupil, server, "leo.khan@pupils.test", key);
        await pupil.WaitForURLAsync(new Regex("/sign/ks2-pupil"));
        // The agreement a child signs shows the rules in words, not the policy's rule IDs ("[pupil-supervised]").
        (await pupil.Locator("main").InnerTextAsync()).ShouldNotMatch(@"\[[a-z0-9_-]+\]");
        (await pupil.Locator("li[data-rule]").CountAsync()).ShouldBeGreaterThan(0);
        await pupil.GetByLabel("Type your name").FillAsync("Leo Smith");
        await pupil.GetByLabel("A teacher is with me").CheckAsync();
        await pupil.GetByRole(AriaRole.Button, new() { Name = "Sign the agreement" }).ClickAsync();
        await Expect(pupil.Locator("#SignedName-error")).ToContainTextAsync("does not match");
        (await pupil.Locator("main").InnerTextAsync()).ShouldNotContain("Khan");
        await CheckPageAsync(pupil, "sign-wrong-name", violations);

        await pupil.GetByLabel("Type your name").FillAsync("Leo Khan");
        await pupil.GetByRole(AriaRole.Button, new() { Name = "Sign the agreement" }).ClickAsync();
        await pupil.WaitForURLAsync(new Regex("/\\?signed=true$"));
        await Expect(pupil.Locator(".banner.ok")).ToContainTextAsync("Your parent or carer signs next");
        var mine = await pupil.Locator("table", new() { HasText = "Your agreements" }).InnerTextAsync();
        mine.ShouldContain("Signed by you");
        mine.ShouldContain("Your parent or carer signs next.");
        mine.ShouldNotContain("Overdue");
        await CheckPageAsync(pupil, "dashboard-pupil-signed", violations);

        await pupil.GotoAsync(server.Url("/blocked?host=www.bet365.com"));
        await Expect(pupil.Locator("h1")).ToHaveTextAsync("Your parent or carer needs to sign too");
        var blocked = await pupil.Locator("main").InnerTextAsync();
        blocked.ShouldNotContain("Sign your agreement first");
        blocked.ShouldNotContain("ks2-pupil");
        (await pupil.Locator("#waits-for-parent").InnerTextAsync()).ShouldContain("You have signed");
        await CheckPageAsync(pupil, "blocked-waits-for-parent", violations);

        // The parent's emailed link: a wrong name is refused without saying the name the school holds.
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AgreementService>().SendCountersignLinkAsync(FirstUseSchool, leo.Id, "ks2-pupil", "e2e", CancellationToken.None);
        }

        var mail = await server.Smtp.WaitForAsync(m => m.Contains("imran.khan@parents.test", StringComparison.Ordinal));
        var link = new Regex("/countersign/[A-Za-z0-9_\\-]+").Match(PortalBrowserTests.DecodeBody(mail)).Value;
        link.ShouldNotBeNullOrEmpty(mail);
        var parent = await PhonePageAsync();
        await parent.GotoAsync(server.Url(link));
        (await parent.Locator("main").InnerTextAsync()).ShouldNotMatch(@"\[[a-z0-9_-]+\]");
        await parent.GetByLabel("Your full name").FillAsync("Imran Smith");
        await parent.GetByRole(AriaRole.Button, new() { Name = "Sign for Leo" }).ClickAsync();
        await Expect(parent.Locator("#SignedName-error")).ToContainTextAsync("does not match");
        (await parent.Locator("main").InnerTextAsync()).ShouldNotContain("Imran Khan");
        await CheckPageAsync(parent, "countersign-wrong-name", violations);

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }
    /// <summary>
    /// Defect 2b: a member of staff asks for guest Wi-Fi, which the policy has the head decide, while no account holds the
    /// head's role: the request says nobody can decide it yet and names the head, and the administrator's approvals page
    /// lists the deciding roles nobody holds with a link to create the account.
    /// </summary>
    [Fact]
    public async Task FirstUse_RequestNobodyCanDecide_RequesterWarned_AdministratorShownRoleToFill()
    {
        await using var server = await StartExampleSchoolAsync();
        var teacherKey = await CreateAccountAsync(server, FirstUseSchool, "teacher@example-primary.test", PortalRoles.Teacher);
        var adminKey = await CreateAccountAsync(server, FirstUseSchool, "admin@example-primary.test", PortalRoles.Admin);
        var violations = new List<string>();

        var teacher = await PhonePageAsync();
        await SignInAsync(teacher, server, "teacher@example-primary.test", teacherKey);
        await teacher.GotoAsync(server.Url("/approvals/new?type=guest_wifi"));
        await teacher.GetByLabel("Who the Wi-Fi is for (name or organisation)").FillAsync("Visiting author");
        await teacher.GetByLabel("Reason", new() { Exact = false }).FillAsync("Author visit for Year 5");
        await teacher.GetByRole(AriaRole.Button, new() { Name = "Send the request" }).ClickAsync();
        await teacher.WaitForURLAsync(new Regex("/approvals/[0-9a-f-]{36}$"));
        var warning = await teacher.Locator("#nobody-to-decide").InnerTextAsync();
        warning.ShouldContain("Nobody can decide this request yet");
        warning.ShouldContain("headteacher (Helen Marsh)");
        await CheckPageAsync(teacher, "approval-nobody-to-decide", violations);

        var admin = await PhonePageAsync();
        await SignInAsync(admin, server, "admin@example-primary.test", adminKey);
        await admin.GotoAsync(server.Url("/approvals"));
        var undecided = admin.Locator("#undecided-roles");
        await Expect(undecided).ToContainTextAsync("Headteacher");
        (await undecided.Locator("a").First.GetAttributeAsync("href")).ShouldBe("/users/create");
        await CheckPageAsync(admin, "approvals-undecided-roles", violations);

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }
    /// <summary>
    /// Defect 2c: after creating an account, the administrator emails the one-time sign-in link to the person's address
    /// (the email outbox, sent over real SMTP to the test sink); the email names the school, and the link works.
    /// </summary>
    [Fact]
    public async Task FirstUse_AccountCreated_SignInLinkEmailed_NamesSchool_LinkWorks()
    {
        await using var server = await StartExampleSchoolAsync();
        var tom = await PersonAsync(server, FirstUseSchool, "S11");
        var adminKey = await CreateAccountAsync(server, FirstUseSchool, "admin@example-primary.test", PortalRoles.Admin);
        var violations = new List<string>();

        var admin = await PhonePageAsync();
        await SignInAsync(admin, server, "admin@example-primary.test", adminKey);
        await admin.GotoAsync(server.Url($"/people/{tom.Id}"));
        await admin.GetByRole(AriaRole.Link, new() { Name = "Create a Brightline account for Tom" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(admin.Locator("#reset-link")).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Email a sign-in link to t.hughes@example-primary.example.org" }).ClickAsync();
        await Expect(admin.Locator(".banner.ok").Last).ToContainTextAsync("emailed to t.hughes@example-primary.example.org");
        await CheckPageAsync(admin, "account-link-emailed", violations);

        var mail = await server.Smtp.WaitForAsync(m => m.Contains("t.hughes@example-primary.example.org", StringComparison.Ordinal) && m.Contains("Brightline account", StringComparison.Ordinal));
        var body = PortalBrowserTests.DecodeBody(mail).Replace("=3D", "=", StringComparison.Ordinal);
        body.ShouldContain("Brightline Example Primary has made you an account");
        var link = new Regex("https?://[^\\s]+/account/reset-password\\?[^\\s]+").Match(body).Value;
        link.ShouldNotBeNullOrEmpty(body);

        var person = await PhonePageAsync();
        await person.GotoAsync(link);
        await person.GetByLabel("New password").FillAsync(Password);
        await person.GetByLabel("Type it again").FillAsync(Password);
        await person.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        await person.WaitForURLAsync(new Regex("/account/login"));

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }
}
