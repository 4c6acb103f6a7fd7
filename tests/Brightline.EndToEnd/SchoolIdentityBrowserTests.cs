using System.Text.RegularExpressions;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.EndToEnd.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Brightline.EndToEnd;

/// <summary>
/// Issue 17, defect 4: a parent's email looked like phishing — from a bare <c>brightline@localhost</c>, with no
/// school named in it or on the page behind its link. Here the email as delivered over real SMTP (smtp-sink) names
/// the school as its sender, replies go to the school office (the policy's <c>school.email</c>), it says which child
/// it is about, and the countersign page in Chromium names the school in its header, its text and its tab title.
/// </summary>
public sealed partial class SchoolIdentityBrowserTests : BrowserTests
{
    private const string SchoolName = "Brightline Example Primary";
    private const string Office = "office@example-primary.example.org";

    [Fact]
    public async Task ParentEmail_IsFromTheSchool_AndTheCountersignPageNamesIt()
    {
        await using var server = await E2eServer.StartAsync();
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var leo = await db.People.Where(p => p.ExternalId == "A004").Select(p => p.Id).SingleAsync();
            await scope.ServiceProvider.GetRequiredService<AgreementService>()
                .SendCountersignLinkAsync(E2eServer.SchoolId, leo, "ks2-pupil", "e2e", CancellationToken.None);
        }

        var mail = (await server.Smtp.WaitForAsync(m => m.Contains("imran.khan@parents.test", StringComparison.Ordinal))).Replace("\r\n", "\n", StringComparison.Ordinal);
        var headers = mail[..mail.IndexOf("\n\n", StringComparison.Ordinal)];
        Header(headers, "From").ShouldContain($"\"{SchoolName}\"", customMessage: headers);
        Header(headers, "Reply-To").ShouldContain(Office, customMessage: headers);
        Header(headers, "Subject").ShouldContain(SchoolName, customMessage: headers);
        var body = PortalBrowserTests.DecodeBody(mail);
        body.ShouldContain($"{SchoolName} asks you to read and countersign");
        body.ShouldContain("Leo Khan (5 Ash)"); // which child, for a parent of several
        body.ShouldContain($"-- \n{SchoolName}\n{Office}\n01234 567890"); // the signature every email ends with

        var path = CountersignLink().Match(body).Value;
        path.ShouldNotBeNullOrEmpty(body);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-GB", ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var parent = await context.NewPageAsync();
        await parent.GotoAsync(server.Url(path));
        await Expect(parent.Locator(".site-header .school-name")).ToHaveTextAsync(SchoolName);
        (await parent.TitleAsync()).ShouldEndWith($"— {SchoolName}");
        await Expect(parent.Locator("main .lead")).ToContainTextAsync($"{SchoolName} asks you to sign for Leo");
        (await parent.Locator("main").InnerTextAsync()).ShouldNotContain("Khan"); // the page still shows the first name only
        (await parent.Locator("link[rel=icon]").GetAttributeAsync("href")).ShouldBe("/assets/favicon.svg");
        var icon = await parent.APIRequest.GetAsync(server.Url("/assets/favicon.svg"));
        icon.Status.ShouldBe(200);
        icon.Headers["content-type"].ShouldStartWith("image/svg+xml");
        (await parent.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);
    }

    private static string Header(string headers, string name)
    {
        // Unfold continuation lines (RFC 5322 §2.2.3) before looking the header up.
        var unfolded = Regex.Replace(headers, "\n[ \t]+", " ");
        var line = unfolded.Split('\n').FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)) ?? "";
        // Decode RFC 2047 encoded words (a subject with a dash goes as base64 UTF-8); the space between two adjacent
        // encoded words is not part of the text (§6.2).
        line = Regex.Replace(line, @"\?=\s+=\?", "?==?");
        return EncodedWord().Replace(line, m => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value)));
    }

    [GeneratedRegex(@"=\?utf-8\?B\?([A-Za-z0-9+/=]*)\?=", RegexOptions.IgnoreCase)]
    private static partial Regex EncodedWord();

    [GeneratedRegex("/countersign/[A-Za-z0-9_\\-]+")]
    private static partial Regex CountersignLink();
}
