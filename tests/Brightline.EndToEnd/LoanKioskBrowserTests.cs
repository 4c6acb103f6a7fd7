using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.EndToEnd.Infrastructure;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Brightline.EndToEnd.Infrastructure.PortalPages;

namespace Brightline.EndToEnd;

/// <summary>C15 the loan kiosk in a real browser, on a phone-sized screen: scan/type, three taps out, one tap back in; axe-core clean.</summary>
public sealed partial class PortalBrowserTests
{
    [Fact]
    public async Task C15_LoanKiosk_SignOutInThreeTaps_SignBackIn_OnAPhone_AccessibilityClean()
    {
        await using var server = await E2eServer.StartAsync();
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = "it@school.test", Email = "it@school.test", DisplayName = "IT" };
            (await users.CreateAsync(user, Password)).Succeeded.ShouldBeTrue();
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            db.SchoolMemberships.Add(new SchoolMembership { UserId = user.Id, SchoolId = E2eServer.SchoolId, Role = PortalRoles.ItProvider });
            db.Set<Device>().Add(new Device
            {
                Id = Guid.NewGuid(), SchoolId = E2eServer.SchoolId, AssetTag = "LOAN-042", Kind = DeviceKind.Tablet, Model = "Apple iPad", Name = "Suite iPad 42",
                Ownership = DeviceOwnership.School, State = DeviceState.InUse, Macs = "", CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "test", UpdatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var violations = new List<string>();
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BypassCSP = true, Locale = "en-GB", ViewportSize = new ViewportSize { Width = 390, Height = 844 }, HasTouch = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.Url("/account/login"));
        await page.GetByLabel("Email address").FillAsync("it@school.test");
        await page.Locator("#Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(server.Url("/filtering")); // the IT provider's home (issue 17, defect 2)

        // The tag box has the focus: type (or scan) and press Enter.
        await page.GotoAsync(server.Url("/loans/kiosk"));
        (await page.EvaluateAsync<string>("document.activeElement.id")).ShouldBe("Tag");
        await CheckAccessibilityAsync(page, "loan-kiosk", violations);
        await page.Keyboard.TypeAsync("loan-042");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign out Suite iPad 42 (LOAN-042)" })).ToBeVisibleAsync();
        await CheckAccessibilityAsync(page, "loan-kiosk-out", violations);

        // Three taps: the class, the purpose, sign out.
        await page.GetByLabel("5 Ash").TapAsync();
        await page.GetByLabel("Reading").TapAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign it out" }).TapAsync();
        await Expect(page.Locator("#kiosk-done")).ToContainTextAsync("Suite iPad 42 (LOAN-042) to 5 Ash");
        (await page.EvaluateAsync<string>("document.activeElement.id")).ShouldBe("Tag");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390, "the kiosk fits a phone");

        // The same tag signs it back in, with the suite and charge ticks.
        await page.Locator("#Tag").FillAsync("LOAN-042");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#kiosk-open")).ToContainTextAsync("5 Ash");
        await CheckAccessibilityAsync(page, "loan-kiosk-in", violations);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign it back in" }).TapAsync();
        await Expect(page.Locator("#kiosk-done")).ToContainTextAsync("Signed back in");

        await page.GotoAsync(server.Url("/loans?status=returned-today"));
        await Expect(page.Locator("#loans tbody tr")).ToHaveCountAsync(1);
        await CheckAccessibilityAsync(page, "loan-book", violations);
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var loan = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<DeviceLoan>().AsNoTracking().SingleAsync();
            loan.BorrowerClass.ShouldBe("5 Ash");
            loan.Purpose.ShouldBe("Reading");
            loan.ReturnedToSuite.ShouldBe(true);
            loan.Charged.ShouldBe(true);
        }

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }
}
