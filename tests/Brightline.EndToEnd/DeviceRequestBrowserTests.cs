using System.Text;
using System.Text.Json;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.DeviceRequests;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Brightline.EndToEnd.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Brightline.EndToEnd;

/// <summary>
/// "Ask to bring a device" in a real browser (issue 14, point 2; H3): a Westbrook Hay parent asks for a child, sees the
/// policy's EYFS refusal for the younger child instead of the form, sends a request for the older one; every page is
/// checked with axe-core, on a phone-sized screen.
/// </summary>
public sealed class DeviceRequestBrowserTests : BrowserTests
{
    private const string Password = "correct horse battery staple";
    private const string School = "westbrook-hay";
    private const string EyfsReason = "Personal mobile devices (including wearables) are not allowed in the EYFS setting.";

    [Fact]
    public async Task H3_ParentAsksForAChild_EyfsChildShowsThePolicysReason_FormIsAccessible()
    {
        await using var server = await BrightlineServer.StartAsync(DatabaseProvider.Sqlite, now: DateTimeOffset.UtcNow,
            settings: new Dictionary<string, string?> { ["Brightline:DeviceRequests:Worker"] = "false" });
        await using (var scope = server.CreateScope())
        {
            var sp = scope.ServiceProvider;
            var yaml = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "policies", "westbrook-hay.yaml"));
            await sp.GetRequiredService<PolicyStore>().LoadAsync(yaml, "westbrook-hay.yaml", "e2e", CancellationToken.None);
            await sp.GetRequiredService<PeopleImporter>().ImportAsync(School, new MemoryStream(Encoding.UTF8.GetBytes("""
                Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
                H001,,Poppy,Hill,Reception,R Oak,01/09/2026,Rachel Hill,rachel.hill@parents.test,Mother
                H002,,Oscar,Hill,Year 4,4 Ash,01/09/2022,Rachel Hill,rachel.hill@parents.test,Mother
                """)), ImportKind.Pupils, new ImportOptions(), "e2e", CancellationToken.None);
            var db = sp.GetRequiredService<BrightlineDbContext>();
            var rachel = await db.People.SingleAsync(p => p.Email == "rachel.hill@parents.test");
            var user = new ApplicationUser { UserName = rachel.Email, Email = rachel.Email, EmailConfirmed = true, DisplayName = rachel.FullName };
            (await sp.GetRequiredService<UserManager<ApplicationUser>>().CreateAsync(user, Password)).Succeeded.ShouldBeTrue();
            db.SchoolMemberships.Add(new SchoolMembership { UserId = user.Id, SchoolId = School, Role = Portal.PortalRoles.Parent, PersonId = rachel.Id });
            await db.SaveChangesAsync();
        }

        var violations = new List<string>();
        // A phone-sized screen: the form must fit it.
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BypassCSP = true, Locale = "en-GB", ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.Url("/account/login"));
        await page.GetByLabel("Email address").FillAsync("rachel.hill@parents.test");
        await page.Locator("#Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(server.Url("/"));

        await page.GotoAsync(server.Url("/devices/requests/new"));
        await CheckAccessibilityAsync(page, "device-request-choose", violations);
        await page.GetByLabel("Whose device is it?").SelectOptionAsync(new SelectOptionValue { Label = "Poppy Hill" });
        await page.GetByLabel("Personal device", new() { Exact = false }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.Locator("#refusal")).ToContainTextAsync(EyfsReason);
        await Expect(page.Locator("#request-form")).ToHaveCountAsync(0);
        await CheckAccessibilityAsync(page, "device-request-eyfs-refusal", violations);

        await page.GetByLabel("Whose device is it?").SelectOptionAsync(new SelectOptionValue { Label = "Oscar Hill" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.Locator("#request-form")).ToHaveCountAsync(1);
        await CheckAccessibilityAsync(page, "device-request-form", violations);
        await page.GetByLabel("Kind of device").SelectOptionAsync(new SelectOptionValue { Label = "Phone" });
        await page.GetByLabel("Describe it", new() { Exact = false }).FillAsync("Black phone in a red case");
        await page.GetByLabel("Why is it needed in school?").FillAsync("Walks home alone on Tuesdays");
        await page.GetByLabel("A password, PIN or fingerprint protects the device").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the request" }).ClickAsync();
        await Expect(page.Locator("#state")).ToContainTextAsync("Waiting for a decision");
        await Expect(page.Locator("h1")).ToContainTextAsync("Oscar Hill");
        await CheckAccessibilityAsync(page, "device-request-detail", violations);
        await page.GotoAsync(server.Url("/devices/requests"));
        await Expect(page.Locator("#requests tbody tr")).ToHaveCountAsync(1);
        await CheckAccessibilityAsync(page, "device-requests", violations);
        // Nothing overflows the phone's width.
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(400);

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }

    /// <summary>
    /// O19 (Omnicom's own policy): a member of staff asking for their laptop sees the rule's agreement with an "I agree"
    /// tick in a fieldset; sent without it (the browser's own check switched off, as an older browser would) the page
    /// answers with an error summary linking to the tick; ticked, the request records who agreed and when. Axe-clean throughout.
    /// </summary>
    [Fact]
    public async Task O19_StaffTicksTheAgreement_ErrorSummaryWithoutIt_RecordedOnTheRequest_FormIsAccessible()
    {
        const string omnicom = "omnicom-primary";
        await using var server = await BrightlineServer.StartAsync(DatabaseProvider.Sqlite, now: DateTimeOffset.UtcNow,
            settings: new Dictionary<string, string?> { ["Brightline:DeviceRequests:Worker"] = "false" });
        Guid danId;
        await using (var scope = server.CreateScope())
        {
            var sp = scope.ServiceProvider;
            var yaml = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "policies", "omnicom-primary.yaml"));
            await sp.GetRequiredService<PolicyStore>().LoadAsync(yaml, "omnicom-primary.yaml", "e2e", CancellationToken.None);
            await sp.GetRequiredService<PeopleImporter>().ImportAsync(omnicom, new MemoryStream(Encoding.UTF8.GetBytes("""
                Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
                S02,Dan,Ives,d.ives@omnicom.test,Teacher,4I,staff,,01/09/2019
                """)), ImportKind.Staff, new ImportOptions(), "e2e", CancellationToken.None);
            var db = sp.GetRequiredService<BrightlineDbContext>();
            var dan = await db.People.SingleAsync(p => p.Email == "d.ives@omnicom.test");
            danId = dan.Id;
            var user = new ApplicationUser { UserName = dan.Email, Email = dan.Email, EmailConfirmed = true, DisplayName = dan.FullName };
            (await sp.GetRequiredService<UserManager<ApplicationUser>>().CreateAsync(user, Password)).Succeeded.ShouldBeTrue();
            db.SchoolMemberships.Add(new SchoolMembership { UserId = user.Id, SchoolId = omnicom, Role = Portal.PortalRoles.Teacher, PersonId = dan.Id });
            await db.SaveChangesAsync();
            // Dan has signed the staff agreement already, so the portal's agreement gate lets him through to the form.
            var agreements = sp.GetRequiredService<Agreements.AgreementService>();
            foreach (var required in (await agreements.ForPersonAsync(omnicom, dan.Id, CancellationToken.None)).Where(r => r.NeedsSelf && !r.SelfSigned))
            {
                await agreements.SignAsync(new Agreements.SignRequest(omnicom, dan.Id, dan.Id, required.AgreementId, dan.FullName, "Teacher", null, true,
                    SignatureMethod.Portal, "127.0.0.1", "e2e"), CancellationToken.None);
            }
        }

        var violations = new List<string>();
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BypassCSP = true, Locale = "en-GB", ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.Url("/account/login"));
        await page.GetByLabel("Email address").FillAsync("d.ives@omnicom.test");
        await page.Locator("#Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(server.Url("/"));

        await page.GotoAsync(server.Url($"/devices/requests/new?for={danId}&kind=personal_device"));
        await Expect(page.Locator("#agreement legend")).ToContainTextAsync("The school's agreement");
        await Expect(page.Locator("#agreement-text")).ToContainTextAsync("I will keep school data on it only while I need it");
        await CheckAccessibilityAsync(page, "device-request-agreement", violations);
        await page.GetByLabel("Kind of device").SelectOptionAsync("laptop");
        await page.GetByLabel("Describe it", new() { Exact = false }).FillAsync("Grey laptop");
        await page.GetByLabel("Why is it needed in school?").FillAsync("Marking at home");
        await page.GetByLabel("A password, PIN or fingerprint protects the device").CheckAsync();
        await page.GetByLabel("The device's storage (or the USB pen) is encrypted").CheckAsync();
        await page.Locator("#request-form").EvaluateAsync("form => form.noValidate = true");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the request" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Tick \u201cI agree\u201d");
        await Expect(page.GetByLabel("I agree")).ToHaveAttributeAsync("aria-invalid", "true");
        await CheckAccessibilityAsync(page, "device-request-agreement-error", violations);

        // The summary's link leads to the tick; the other answers were kept.
        await page.Locator(".error-summary a[href='#Agreed']").ClickAsync();
        await Expect(page.GetByLabel("Describe it", new() { Exact = false })).ToHaveValueAsync("Grey laptop");
        await page.GetByLabel("I agree").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the request" }).ClickAsync();
        await Expect(page.Locator("#state")).ToContainTextAsync("Waiting for a decision");
        await Expect(page.Locator("#agreed")).ToHaveTextAsync($"Agreed on {Kernel.UkFormat.ShortDate(DateTimeOffset.UtcNow)} by Dan Ives");
        await CheckAccessibilityAsync(page, "device-request-agreed-detail", violations);
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(400);

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }

    private static Task CheckAccessibilityAsync(IPage page, string name, List<string> violations) => PortalPages.AccessibilityAsync(page, name, violations);
}
