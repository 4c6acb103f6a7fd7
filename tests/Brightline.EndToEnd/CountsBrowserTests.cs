using System.Text.RegularExpressions;
using Brightline.Agreements;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Brightline.EndToEnd.Infrastructure.PortalPages;

namespace Brightline.EndToEnd;

/// <summary>
/// Issue 17 defect 7 in a real browser, under the portal's own content security policy (not bypassed, so the portal's
/// script must be served from the portal): the chase names its number, sends it with a progress page, and refreshing it
/// sends nothing more; "select all on this page" ticks the list and "Chase selected" names the number.
/// </summary>
public sealed partial class SeedSchoolBrowserTests
{
    private const string ChasePupilsCsv = """
        Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship,Contact 2 Name,Contact 2 Email,Contact 2 Relationship
        A001,Amelia,Jones,Year 3,3 Oak,01/09/2023,Sarah Jones,sarah.jones@parents.test,Mother,David Jones,david.jones@parents.test,Father
        A002,Noah,Jones,1,1 Ash,01/09/2025,Sarah Jones,sarah.jones@parents.test,Mother,,,
        A004,Leo,Khan,Y5,5 Ash,01/09/2021,Imran Khan,imran.khan@parents.test,Father,,,
        A005,Ben,Okafor,Year 4,4 Elm,01/09/2024,Grace Okafor,,Mother,,,
        """;

    [Fact]
    public async Task Chase_ConfirmNamesTheNumber_ProgressPageEndsWithTheSameNumber_SelectAllThenChaseSelected()
    {
        await using var server = await StartSchoolAsync(File.ReadAllText(PolicyPath("example.yaml")), "example.yaml", FirstUseSchool, ChasePupilsCsv, null);
        var key = await CreateAccountAsync(server, FirstUseSchool, "office@example-primary.example.org", PortalRoles.BusinessManager);
        var violations = new List<string>();
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-GB", ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await SignInAsync(page, server, "office@example-primary.example.org", key);

        await page.GotoAsync(server.Url("/agreements"));
        // Sarah (Amelia and Noah), David and Imran: three emails for four countersignatures; Ben's mother has no address.
        var chase = page.Locator("#chase-all");
        await Expect(chase).ToHaveTextAsync("Chase parents: 3 reminders for 4 countersignatures waiting");
        await chase.ClickAsync();
        await Expect(page.Locator("#chase-confirm h2")).ToHaveTextAsync("Send 3 reminders?");
        await Expect(page.Locator("#no-email")).ToBeVisibleAsync();
        await CheckPageAsync(page, "chase-confirm", violations);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send 3 reminders" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/agreements/chase/[0-9a-f-]{36}$"));
        var progressUrl = page.Url;
        await Expect(page.Locator("#chase-progress")).ToContainTextAsync("Sent 3 reminders");
        await CheckPageAsync(page, "chase-progress", violations);

        // A refresh of the progress page only reads it: nothing more is sent.
        await page.ReloadAsync();
        page.Url.ShouldBe(progressUrl);
        await Expect(page.Locator("#chase-progress")).ToContainTextAsync("Sent 3 reminders");
        (await InDbAsync(server, db => db.EmailRecords.CountAsync(e => e.Purpose == AgreementService.ChasePurpose))).ShouldBe(3);

        await page.GotoAsync(server.Url("/agreements?agreement=ks2-pupil"));
        var selectAll = page.GetByLabel("Select all on this page");
        await Expect(selectAll).ToBeVisibleAsync();
        await selectAll.CheckAsync();
        foreach (var name in new[] { "Amelia Jones", "Leo Khan", "Ben Okafor" })
        {
            await Expect(page.GetByLabel("Select " + name, new() { Exact = true })).ToBeCheckedAsync();
        }

        await CheckPageAsync(page, "agreement-outstanding-selected", violations);
        await page.GetByRole(AriaRole.Button, new() { Name = "Chase selected parents" }).ClickAsync();
        await Expect(page.Locator("#chase-selection")).ToHaveTextAsync("You selected 3 people on this agreement's list.");
        await Expect(page.Locator("#chase-confirm h2")).ToHaveTextAsync("Send 3 reminders?");

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }
}
