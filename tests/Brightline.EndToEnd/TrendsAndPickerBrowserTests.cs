using System.Text.RegularExpressions;
using Brightline.EndToEnd.Infrastructure;
using Brightline.Portal;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Brightline.EndToEnd.Infrastructure.PortalPages;

namespace Brightline.EndToEnd;

/// <summary>
/// Issue 17, "what schools expect and do not find", in a real browser on a 390 px phone under the portal's own content
/// security policy: the person picker chooses a pupil on the new incident form by keyboard alone, and the charts draw,
/// fit the phone and are axe-clean, with their tables.
/// </summary>
public sealed partial class SeedSchoolBrowserTests
{
    [Fact]
    public async Task Issue17_PersonPickerByKeyboard_ChartsFitPhoneAndAreAccessible()
    {
        await using var server = await StartExampleSchoolAsync();
        var sarah = await PersonAsync(server, FirstUseSchool, "S10");
        var sarahKey = await CreateAccountAsync(server, FirstUseSchool, "s.okafor@example-primary.example.org", PortalRoles.Dsl, sarah.Id);
        var violations = new List<string>();

        // No CSP bypass: the picker's script must run under the portal's own policy (scripts from the portal only).
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-GB", ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await SignInAsync(page, server, "s.okafor@example-primary.example.org", sarahKey);
        await page.WaitForURLAsync(new Regex("/sign/staff"));
        await page.GetByLabel("Your full name").FillAsync("Sarah Okafor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign the agreement" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/acknowledge"));
        await page.GetByRole(AriaRole.Button, new() { Name = "I understand and agree" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/monitoring$"));

        // The picker: type part of the name, arrow down to the pupil, Enter. The list box is announced and labelled.
        await page.GotoAsync(server.Url("/incidents/new"));
        var who = page.GetByRole(AriaRole.Combobox, new() { Name = "Who it is about" });
        await who.FocusAsync();
        await page.Keyboard.TypeAsync("leo kh");
        var option = page.GetByRole(AriaRole.Option, new() { Name = "Leo Khan, 5 Ash, number A004" });
        await Expect(option).ToBeVisibleAsync();
        await Expect(who).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.Locator(".person-picker [role=status]")).ToContainTextAsync("found");
        await CheckPageAsync(page, "incident-new-picker-open", violations);
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(option).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(who).ToHaveAttributeAsync("aria-activedescendant", (await option.GetAttributeAsync("id"))!);
        await page.Keyboard.PressAsync("Enter");
        await Expect(who).ToHaveValueAsync("Leo Khan, 5 Ash, number A004");
        await Expect(who).ToHaveAttributeAsync("aria-expanded", "false");
        (await page.Locator("input[type=hidden][name=Person]").InputValueAsync()).ShouldNotBeNullOrEmpty();

        await page.Locator("#Kind").SelectOptionAsync("security");
        await page.Locator("#Title").FillAsync("Shared a password");
        await page.Locator("#Text").FillAsync("Told a friend his password at break.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the incident" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/incidents/[0-9a-f-]{36}"));
        await Expect(page.Locator("main")).ToContainTextAsync("Leo Khan");

        // The charts: drawn as images with a name, tables behind them, nothing wider than the phone.
        foreach (var (path, charts) in new[] { ("/incidents/trends", 1), ("/agreements/trends", 2) })
        {
            (await page.GotoAsync(server.Url(path)))!.Status.ShouldBe(200);
            var images = page.Locator("figure.chart svg[role=img]");
            await Expect(images).ToHaveCountAsync(charts);
            for (var i = 0; i < charts; i++)
            {
                (await images.Nth(i).GetAttributeAsync("aria-label")).ShouldNotBeNullOrWhiteSpace();
                (await images.Nth(i).BoundingBoxAsync())!.Width.ShouldBeLessThanOrEqualTo(390);
            }

            await CheckPageAsync(page, path.Trim('/').Replace('/', '-'), violations);
            foreach (var summary in await page.GetByText("Show as table").AllAsync())
            {
                await summary.ClickAsync();
            }

            await Expect(page.Locator("figure.chart table").First).ToBeVisibleAsync();
            await CheckPageAsync(page, path.Trim('/').Replace('/', '-') + "-tables", violations);
        }

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }
}
