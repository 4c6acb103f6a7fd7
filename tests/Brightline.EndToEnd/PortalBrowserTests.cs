using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Brightline.Data;
using Brightline.EndToEnd.Infrastructure;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Brightline.EndToEnd.Infrastructure.PortalPages;

namespace Brightline.EndToEnd;

/// <summary>
/// The portal in a real browser (Debian's Chromium, driven by Playwright) against the real server: first-run
/// set-up, two-factor enrolment, accounts, the C8 gate, signing, the emailed countersign link, keyboard use
/// and an axe-core accessibility check of the main pages.
/// </summary>
public sealed partial class PortalBrowserTests : BrowserTests
{
    private const string Password = "correct horse battery staple";

    private async Task<IPage> NewPageAsync()
    {
        // Bypassing CSP only lets the test inject axe-core; the pages themselves never need inline script.
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BypassCSP = true, Locale = "en-GB", ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    [Fact]
    public async Task SigningFlow_SetupEnrolStaffPupilParent_AccessTurnsAllowed()
    {
        await using var server = await E2eServer.StartAsync();
        var violations = new List<string>();
        var screens = Path.Combine(Environment.GetEnvironmentVariable("BRIGHTLINE_ARTIFACTS") ?? Path.GetTempPath(), "screens");
        Directory.CreateDirectory(screens);

        // 1. First run: the administrator, then two-factor enrolment with a code computed from the shown key.
        var admin = await NewPageAsync();
        var token = server.App.Services.GetRequiredService<FirstRunSetup>().SetupToken;
        await admin.GotoAsync(server.Url($"/setup?token={token}"));
        await admin.GetByLabel("Your name").FillAsync("Alex Admin");
        await admin.GetByLabel("Email address").FillAsync("admin@school.test");
        await admin.Locator("#Password").FillAsync(Password);
        await admin.GetByLabel("Type the password again").FillAsync(Password);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create administrator" }).ClickAsync();
        await admin.WaitForURLAsync("**/account/two-factor");
        var key = await admin.Locator("#authenticator-key").InnerTextAsync();
        await admin.GetByLabel("6-digit code from the app").FillAsync(Totp(key, DateTimeOffset.UtcNow));
        await admin.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }).ClickAsync();
        await Expect(admin.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        await admin.GetByRole(AriaRole.Link, new() { Name = "Continue to Brightline" }).ClickAsync();
        await admin.WaitForURLAsync(server.Url("/"));
        await CheckAccessibilityAsync(admin, "dashboard", violations);
        await admin.ScreenshotAsync(new() { Path = Path.Combine(screens, "dashboard.png"), FullPage = true });

        var tom = await PersonIdAsync(server, "S03");
        var leo = await PersonIdAsync(server, "A004");
        await admin.GotoAsync(server.Url("/people?q=khan"));
        await CheckAccessibilityAsync(admin, "people", violations);
        await admin.GotoAsync(server.Url("/agreements"));
        await CheckAccessibilityAsync(admin, "agreements", violations);
        await admin.GotoAsync(server.Url("/policy"));
        await CheckAccessibilityAsync(admin, "policy", violations);
        await admin.GotoAsync(server.Url("/audit"));
        await admin.GetByRole(AriaRole.Button, new() { Name = "Verify chain" }).ClickAsync();
        await Expect(admin.Locator(".banner.ok")).ToContainTextAsync("intact");
        await CheckAccessibilityAsync(admin, "audit", violations);

        // The filtering pages (the administrator manages filtering) and the block page.
        foreach (var (path, name) in new[]
        {
            ("/filtering", "filtering"), ("/filtering/lists", "filtering-lists"), ("/filtering/log", "filtering-log"), ("/filtering/requests", "filtering-requests"),
            // The approvals pages come before the filter test, whose page the lines after the loop read.
            ("/approvals?view=all", "approvals"), ("/approvals/new?type=guest_wifi", "approvals-new-guest-wifi"), ("/approvals/new?type=exemption", "approvals-new-exemption"),
            ("/filtering/test?url=https%3A%2F%2Fwww.facebook.com%2F&as=group&group=ks1&date=25%2F11%2F2026&time=10%3A00", "filtering-test"),
        })
        {
            (await admin.GotoAsync(server.Url(path)))!.Status.ShouldBe(200, path);
            await CheckAccessibilityAsync(admin, name, violations);
        }

        (await admin.Locator("#decision").InnerTextAsync()).ShouldBe("BLOCK");
        await admin.ScreenshotAsync(new() { Path = Path.Combine(screens, "filtering-test.png"), FullPage = true });
        await admin.GotoAsync(server.Url("/blocked?host=www.bet365.com"));
        await CheckAccessibilityAsync(admin, "blocked", violations);
        await admin.ScreenshotAsync(new() { Path = Path.Combine(screens, "blocked.png"), FullPage = true });

        // The custody register and the reports (issue 5 §4, §5).
        foreach (var (path, name) in new[]
        {
            ("/custody", "custody"), ("/custody/new", "custody-new"), ("/reports", "reports"), ("/reports/governors", "reports-governors"), ("/reports/review", "reports-review"),
            // Issue 15: the policy's review record (W12, O23, C22) and the photo consent pages (F11, C14).
            ("/policy/review", "policy-review"), ("/consents", "consents"), ("/consents/check", "consents-check"),
        })
        {
            (await admin.GotoAsync(server.Url(path)))!.Status.ShouldBe(200, path);
            await CheckAccessibilityAsync(admin, name, violations);
        }

        // The Network page (issue 13, point 6) on the demo school's network, at a phone's width: live sessions, refused
        // sign-ins, a person's page with their session, and disconnecting, which asks for a tick first.
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            await Brightline.Demo.DemoNetwork.SeedAsync(scope.ServiceProvider, E2eServer.SchoolId, scope.ServiceProvider.GetRequiredService<TimeProvider>(), CancellationToken.None);
        }

        await admin.SetViewportSizeAsync(375, 812);
        foreach (var (path, name) in new[] { ("/network", "network"), ("/network/rejects", "network-rejects"), ($"/people/{leo}", "person-network") })
        {
            (await admin.GotoAsync(server.Url(path)))!.Status.ShouldBe(200, path);
            await CheckAccessibilityAsync(admin, name + "-phone", violations);
            // Only the tables' own scrolling regions may be wider than the phone, never the Network pages.
            if (path.StartsWith("/network", StringComparison.Ordinal))
            {
                var wider = await admin.EvaluateAsync<string>("""
                    () => [...document.querySelectorAll('body *')]
                      .filter(e => !e.closest('.table-scroll') && e.getBoundingClientRect().right > window.innerWidth + 1)
                      .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right))
                      .join(', ')
                    """);
                wider.ShouldBeEmpty($"{path} is wider than a phone");
                // A visually hidden label in a table positions itself against the page unless the region contains it.
                (await admin.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1")).ShouldBeTrue($"{path} scrolls sideways on a phone");
            }

            await admin.ScreenshotAsync(new() { Path = Path.Combine(screens, name + "-phone.png"), FullPage = true });
            if (await admin.Locator(".table-scroll").CountAsync() > 0)
            {
                await admin.Locator(".table-scroll").First.ScreenshotAsync(new() { Path = Path.Combine(screens, name + "-phone-table.png") });
            }
        }

        await admin.GotoAsync(server.Url("/network?q=khan"));
        await Expect(admin.Locator("#sessions tbody tr")).ToHaveCountAsync(1);
        await Expect(admin.Locator("#sessions tbody th a")).ToHaveTextAsync("Leo Khan");
        await admin.Locator("#sessions tbody a", new() { HasTextString = "Disconnect" }).ClickAsync();
        await admin.WaitForURLAsync(new Regex("/network/sessions/.+/disconnect"));
        await CheckAccessibilityAsync(admin, "network-disconnect-phone", violations);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Disconnect the session" }).ClickAsync();
        await Expect(admin.Locator(".error-summary")).ToContainTextAsync("Tick the box");
        await CheckAccessibilityAsync(admin, "network-disconnect-error-phone", violations);
        await admin.GetByLabel("I confirm that Leo Khan's session should be disconnected.").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Disconnect the session" }).ClickAsync();
        await Expect(admin.Locator("#disconnect-result")).ToContainTextAsync("Brightline cannot reach this session's network controller"); // the demo has no RADIUS client secrets
        await CheckAccessibilityAsync(admin, "network-disconnect-result-phone", violations);
        await admin.SetViewportSizeAsync(1280, 900);

        // 2. The administrator creates a staff account; the member of staff sets a password from the one-time link.
        var tomLink = await CreateAccountAsync(admin, server, tom, "Tom");
        var staff = await NewPageAsync();
        await SetPasswordAndSignInAsync(staff, tomLink, "t.baker@school.test");
        // C8: the staff agreement comes first.
        await staff.WaitForURLAsync(new Regex("/sign/staff"));
        await CheckAccessibilityAsync(staff, "sign", violations);
        await staff.ScreenshotAsync(new() { Path = Path.Combine(screens, "sign-staff.png"), FullPage = true });
        await staff.GetByLabel("Your full name").FillAsync("Tom Baker");
        await staff.GetByLabel("Job title").FillAsync("");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Sign the agreement" }).ClickAsync();
        await Expect(staff.Locator("#JobTitle-error")).ToContainTextAsync("job title");
        await staff.GetByLabel("Job title").FillAsync("Teaching Assistant");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Sign the agreement" }).ClickAsync();
        // The staff agreement also asks for an acknowledgement at each sign-in.
        await staff.WaitForURLAsync(new Regex("/acknowledge"));
        await staff.GetByRole(AriaRole.Button, new() { Name = "I understand and agree" }).ClickAsync();
        await staff.WaitForURLAsync(server.Url("/"));
        (await staff.Locator("h1").InnerTextAsync()).ShouldBe("Brightline Example Primary");

        // The incident register (issue 5): a member of staff records a concern and reads it back.
        await staff.GotoAsync(server.Url("/incidents/new"));
        await CheckAccessibilityAsync(staff, "incidents-new", violations);
        await staff.Locator("#Kind").SelectOptionAsync("safeguarding");
        await staff.Locator("#Title").FillAsync("Upsetting messages in a game chat");
        await staff.Locator("#Text").FillAsync("Told me at break time.");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Record the incident" }).ClickAsync();
        await staff.WaitForURLAsync(new Regex("/incidents/[0-9a-f-]{36}"));
        await CheckAccessibilityAsync(staff, "incident", violations);
        await staff.GotoAsync(server.Url("/incidents"));
        await CheckAccessibilityAsync(staff, "incidents", violations);

        // 3. A pupil signs (typing their name, with a teacher present).
        var leoLink = await CreateAccountAsync(admin, server, leo, "Leo");
        var pupil = await NewPageAsync();
        await SetPasswordAndSignInAsync(pupil, leoLink, "leo.khan@pupils.test");
        await pupil.WaitForURLAsync(new Regex("/sign/ks2-pupil"));
        await pupil.GetByLabel("Type your name").FillAsync("Leo Khan");
        await pupil.GetByLabel("A teacher is with me").CheckAsync();
        await pupil.GetByRole(AriaRole.Button, new() { Name = "Sign the agreement" }).ClickAsync();
        await pupil.WaitForURLAsync(new Regex("/\\?signed=true$"));

        // 4. Until a parent countersigns, Leo has no internet.
        await admin.GotoAsync(server.Url($"/people/{leo}"));
        (await InternetCellAsync(admin)).ShouldContain("Not allowed");
        await CheckAccessibilityAsync(admin, "person", violations);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Email the countersign link to Imran" }).ClickAsync();
        await Expect(admin.Locator(".banner.ok")).ToContainTextAsync("emailed");

        var mail = await server.Smtp.WaitForAsync(m => m.Contains("imran.khan@parents.test", StringComparison.Ordinal));
        var unfolded = DecodeBody(mail);
        var countersignPath = CountersignLink().Match(unfolded).Value;
        countersignPath.ShouldNotBeNullOrEmpty($"no countersign link in:\n{mail}");

        var parent = await NewPageAsync();
        await parent.GotoAsync(server.Url(countersignPath));
        (await parent.Locator("main").InnerTextAsync()).ShouldContain("Leo");
        (await parent.Locator("main").InnerTextAsync()).ShouldNotContain("Khan");
        await CheckAccessibilityAsync(parent, "countersign", violations);
        await parent.GetByLabel("Your full name").FillAsync("Imran Khan");
        await parent.GetByRole(AriaRole.Button, new() { Name = "Sign for Leo" }).ClickAsync();
        await Expect(parent.Locator("h1")).ToHaveTextAsync("Thank you");
        // The link is single-use: opening it again explains, calmly.
        var again = await parent.GotoAsync(server.Url(countersignPath));
        again!.Status.ShouldBe(410);
        (await parent.Locator("h1").InnerTextAsync()).ShouldBe("This link is no longer valid");

        await admin.GotoAsync(server.Url($"/people/{leo}"));
        (await InternetCellAsync(admin)).ShouldContain("Allowed");
        (await admin.Locator("text=Printable record").CountAsync()).ShouldBeGreaterThanOrEqualTo(2);

        // 5. The sign-in page itself.
        var anonymous = await NewPageAsync();
        await anonymous.GotoAsync(server.Url("/account/login"));
        await CheckAccessibilityAsync(anonymous, "login", violations);

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }

    [Fact]
    public async Task Login_KeyboardOnly_SignsIn()
    {
        await using var server = await E2eServer.StartAsync();
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Brightline.Data.Entities.ApplicationUser>>();
            var user = new Brightline.Data.Entities.ApplicationUser { UserName = "it@school.test", Email = "it@school.test", DisplayName = "IT" };
            (await users.CreateAsync(user, Password)).Succeeded.ShouldBeTrue();
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            db.SchoolMemberships.Add(new Brightline.Data.Entities.SchoolMembership { UserId = user.Id, SchoolId = E2eServer.SchoolId, Role = PortalRoles.ItProvider });
            await db.SaveChangesAsync();
        }

        var page = await NewPageAsync();
        await page.GotoAsync(server.Url("/account/login"));
        // The first Tab reaches the skip link, which is then visible.
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("document.activeElement.textContent")).ShouldBe("Skip to main content");
        (await page.Locator(".skip-link").BoundingBoxAsync())!.X.ShouldBeGreaterThanOrEqualTo(0);
        for (var i = 0; i < 10 && await page.EvaluateAsync<string>("document.activeElement.id") != "Email"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        (await page.EvaluateAsync<string>("document.activeElement.id")).ShouldBe("Email");
        // Focus is visible: the focused field has an outline.
        (await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle")).ShouldBe("solid");
        await page.Keyboard.TypeAsync("it@school.test");
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("document.activeElement.id")).ShouldBe("Password");
        await page.Keyboard.TypeAsync(Password);
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("document.activeElement.id")).ShouldBe("RememberMe");
        await page.Keyboard.PressAsync("Space");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        // Issue 17, defect 2: a plain sign-in lands on the role's home — filtering, for the IT provider.
        await page.WaitForURLAsync(server.Url("/filtering"));
        await Expect(page.Locator("text=Signed in as it@school.test")).ToHaveCountAsync(1);
    }

    private static async Task<string> CreateAccountAsync(IPage admin, E2eServer server, Guid personId, string givenName)
    {
        await admin.GotoAsync(server.Url($"/people/{personId}"));
        await admin.GetByRole(AriaRole.Link, new() { Name = $"Create a Brightline account for {givenName}" }).ClickAsync();
        var email = admin.GetByLabel("Email address");
        if (string.IsNullOrEmpty(await email.InputValueAsync()))
        {
            await email.FillAsync($"{givenName.ToLowerInvariant()}.khan@pupils.test");
        }

        await admin.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        return await admin.Locator("#reset-link").InnerTextAsync();
    }

    private static async Task SetPasswordAndSignInAsync(IPage page, string link, string email)
    {
        await page.GotoAsync(link);
        await page.GetByLabel("New password").FillAsync(Password);
        await page.GetByLabel("Type it again").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/account/login"));
        await page.GetByLabel("Email address").FillAsync(email);
        await page.Locator("#Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private static async Task<string> InternetCellAsync(IPage page) =>
        await page.Locator("table", new() { HasText = "may use now" }).Locator("tbody tr", new() { HasText = "Internet" }).Locator("td").First.InnerTextAsync();

    private static async Task<Guid> PersonIdAsync(E2eServer server, string externalId)
    {
        await using var scope = server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        return await db.People.Where(p => p.ExternalId == externalId).Select(p => p.Id).SingleAsync();
    }

    private static Task CheckAccessibilityAsync(IPage page, string name, List<string> violations) => AccessibilityAsync(page, name, violations);

    /// <summary>The message body as the parent reads it (the sender may base64-encode it).</summary>
    internal static string DecodeBody(string message)
    {
        message = message.Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = message.IndexOf("\n\n", StringComparison.Ordinal);
        var headers = message[..split];
        var body = message[(split + 2)..];
        return headers.Contains("Content-Transfer-Encoding: base64", StringComparison.OrdinalIgnoreCase)
            ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(body.Split('\n').Select(l => l.Trim()).TakeWhile(l => l.Length > 0))))
            : body.Replace("=\n", "", StringComparison.Ordinal);
    }

    [GeneratedRegex("/countersign/[A-Za-z0-9_\\-]+")]
    private static partial Regex CountersignLink();
}
