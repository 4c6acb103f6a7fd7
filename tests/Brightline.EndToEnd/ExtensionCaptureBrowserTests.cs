using System.Diagnostics;
using System.Text.Json;
using Brightline.Agreements;
using Brightline.BrowserExtension;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.EndToEnd.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Brightline.EndToEnd;

/// <summary>
/// Brightline for Chrome's capture in a real browser (issue 12, point 4), as <see cref="ExtensionBrowserTests"/> runs it
/// (Debian's Chromium, the built extension, new headless mode, a local HTTPS site), on each database: a site the policy
/// excludes is never captured; a critical phrase emails the DSL within seconds and its tab's screenshot is stored with
/// the alert; and what is captured while the server is down is delivered exactly once when it is back.
/// </summary>
public sealed class ExtensionCaptureBrowserTests
{
    private const string Head = "h.marsh@school.test";
    private const string Excluded = "counselling.school.test";

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Extension_NeverCapturesAnExcludedSite_EmailsTheDslAndStoresAScreenshotForACriticalPhrase_AndDeliversOfflineCaptureExactlyOnce(DatabaseProvider provider)
    {
        await using var server = await E2eServer.StartAsync(provider);
        await using var site = await HttpsTestSite.StartAsync();

        // The school excludes its counselling service from capture (policy monitoring: excluded_sites, O9).
        await server.LoadEditedPolicyAsync(yaml => yaml + $"\nmonitoring:\n  excluded_sites: [{Excluded}]\n");
        string key;
        Guid helenId;
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var helen = await db.People.AsNoTracking().SingleAsync(p => p.ExternalId == "S02");
            helenId = helen.Id;
            await scope.ServiceProvider.GetRequiredService<AgreementService>().SignAsync(
                new SignRequest(E2eServer.SchoolId, helen.Id, helen.Id, "staff", "Helen Marsh", "Headteacher", null, true, SignatureMethod.Portal, "127.0.0.1", "e2e"),
                CancellationToken.None);
            key = (await scope.ServiceProvider.GetRequiredService<ExtensionKeys>().CreateAsync(E2eServer.SchoolId, "it@school.test", null, CancellationToken.None)).Key;
        }

        await using var browser = await ExtensionBrowser.LaunchAsync(["allowed.school.test", "frames.school.test", "news.school.test", Excluded, $"www.{Excluded}"], new ViewportSize { Width = 800, Height = 600 });
        var context = browser.Context;

        var extension = await context.NewPageAsync();
        await extension.GotoAsync($"chrome-extension://{browser.ExtensionId}/popup.html");
        var serverUrl = server.BaseAddress.ToString().TrimEnd('/');
        await extension.EvaluateAsync("config => chrome.storage.local.set({ brightlineTestConfig: config })", new { serverUrl, enrolmentKey = key, email = Head });
        (await WaitForEnrolmentAsync(extension)).ShouldBe("enrolled");

        // Helen's staff agreement asks for an acknowledgement every sign-in (C8, H13). She accepts it on the extension's
        // acknowledgement page before browsing (the hold of the first navigation itself is ExtensionBrowserTests' subject);
        // the page goes on to the address given once nothing is due.
        var page = await context.NewPageAsync();
        var first = site.Url("allowed.school.test", "/acknowledged");
        await page.GotoAsync($"chrome-extension://{browser.ExtensionId}/acknowledgement.html?to={Uri.EscapeDataString(first)}");
        var agree = page.GetByRole(AriaRole.Button, new() { Name = "I understand and agree" });
        await agree.WaitForAsync(new() { Timeout = 30_000 });
        await agree.ClickAsync();
        await page.WaitForURLAsync(first, new() { Timeout = 30_000 });

        // (d) An excluded site (and its subdomains): neither typed text nor the visit is ever stored.
        await page.GotoAsync(site.Url(Excluded, "/write"));
        await page.Locator("#message").ClickAsync();
        await page.Keyboard.TypeAsync("i want to die, said on the counselling site");
        await page.Keyboard.PressAsync("Enter");
        await page.GotoAsync(site.Url("www." + Excluded, "/"));
        // The queue is sent in order: once a later visit is stored, anything captured before it would be too.
        var marker = site.Url("allowed.school.test", "/after-excluded");
        await page.GotoAsync(marker);
        (await ExtensionBrowser.WaitForAsync(server, db => db.Set<MonitoringEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.Url == marker)))
            .ShouldNotBeNull($"no url event for the page after the excluded site; the extension's capture status: {await CaptureStatusAsync(extension)}");
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var events = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<MonitoringEvent>().AsNoTracking().ToListAsync();
            events.ShouldNotContain(e => e.Url != null && e.Url.Contains(Excluded, StringComparison.Ordinal), "an excluded site's visit or typed text was stored");
            events.ShouldNotContain(e => e.Text != null && e.Text.Contains("counselling site", StringComparison.Ordinal));
            (await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<MonitoringAlert>().AnyAsync()).ShouldBeFalse("the excluded site's words raised an alert");
        }

        // Typed text inside an embedded frame is captured too (the content script runs in every frame), with the frame's address.
        var framed = site.Url("news.school.test", "/write");
        await page.GotoAsync(site.Url("frames.school.test", "/frame?src=" + Uri.EscapeDataString(framed)));
        await page.FrameLocator("#frame").Locator("#message").ClickAsync();
        await page.Keyboard.TypeAsync("homework about volcanoes in a frame");
        await page.Keyboard.PressAsync("Enter");
        var framedText = await ExtensionBrowser.WaitForAsync(server, db => db.Set<MonitoringEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.Text == "homework about volcanoes in a frame"));
        framedText.ShouldNotBeNull("typed text inside an embedded frame was not captured");
        framedText.Url.ShouldBe(framed);

        // (b) A critical phrase typed in a textarea: the DSL is emailed within seconds (a link only, no details).
        await page.GotoAsync(site.Url("allowed.school.test", "/write"));
        await page.Locator("#message").ClickAsync();
        var typed = Stopwatch.StartNew();
        await page.Keyboard.TypeAsync("i want to die tonight");
        await page.Keyboard.PressAsync("Enter");
        var email = await server.Smtp.WaitForAsync(m => m.Contains("A critical safeguarding alert needs your attention", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        typed.Stop();
        typed.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "the DSL's email took too long");
        email.ShouldNotContain("want to die");
        var alert = await ExtensionBrowser.WaitForAsync(server, db => db.Set<MonitoringAlert>().AsNoTracking().FirstOrDefaultAsync(a => a.Severity == "critical"));
        alert.ShouldNotBeNull();
        alert.PersonId.ShouldBe(helenId);
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var told = await db.Set<MonitoringAlertEntry>().AsNoTracking()
                .Where(x => x.AlertId == alert.Id && x.Kind == AlertEntryKind.Notified && x.Role == "dsl").Select(x => x.Recipient!).ToListAsync();
            told.ShouldNotBeEmpty("the DSL was not told");
            server.Smtp.Messages().ShouldContain(m => told.Any(t => m.Contains(t, StringComparison.OrdinalIgnoreCase))
                && m.Contains("A critical safeguarding alert needs your attention", StringComparison.Ordinal));
        }

        // (c) The server asked for a screenshot of that tab: it is stored, a JPEG, linked to the alert (O9).
        var shot = await ExtensionBrowser.WaitForAsync(server, db => db.Set<MonitoringScreenshot>().AsNoTracking().FirstOrDefaultAsync(s => s.Image != null && s.AlertId != null));
        shot.ShouldNotBeNull("no screenshot stored for the critical alert within 30 seconds");
        shot.AlertId.ShouldBe(alert.Id);
        shot.SchoolId.ShouldBe(E2eServer.SchoolId);
        shot.ContentType.ShouldBe("image/jpeg");
        shot.Image!.Length.ShouldBeGreaterThan(1000);

        // (a) The server goes down: what is captured meanwhile waits in the extension's queue (the popup says so) ...
        await server.StopAsync();
        await page.GotoAsync(site.Url("allowed.school.test", "/write"));
        await page.Locator("#message").ClickAsync();
        await page.Keyboard.TypeAsync("offline homework notes");
        await page.Keyboard.PressAsync("Enter");
        // The extension itself leaves the excluded site alone (not only the server): nothing of it is even queued.
        await page.GotoAsync(site.Url(Excluded, "/write"));
        await page.Locator("#message").ClickAsync();
        await page.Keyboard.TypeAsync("offline words on the counselling site");
        await page.Keyboard.PressAsync("Enter");
        var offlineVisit = site.Url("allowed.school.test", "/while-offline");
        await page.GotoAsync(offlineVisit);
        var queued = await WaitForQueueAsync(extension, q => q.Count >= 2 && q.Any(e => e.Url == offlineVisit));
        queued.Count.ShouldBeGreaterThanOrEqualTo(2, "the captures made while the server was down are not queued");
        queued.ShouldNotContain(e => e.Url != null && e.Url.Contains(Excluded, StringComparison.Ordinal), "the extension queued a capture of an excluded site");
        var ids = queued.Select(e => e.Id).ToList();
        await extension.ReloadAsync();
        int.Parse(await extension.Locator("#capture-status").GetAttributeAsync("data-queued") ?? "0", System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeGreaterThanOrEqualTo(2, "the popup does not say events are waiting");
        (await extension.Locator("#capture-status").InnerTextAsync()).ShouldContain("waiting to be sent");

        // ... and once it is back on the same address and database, each is delivered exactly once (the queue empties).
        await server.StartAgainAsync();
        (await WaitForQueueAsync(extension, q => q.Count == 0, TimeSpan.FromSeconds(120))).Count.ShouldBe(0, "the queue was not delivered after the restart");
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<MonitoringEvent>().AsNoTracking()
                .Where(e => ids.Contains(e.ClientEventId)).Select(e => e.ClientEventId).ToListAsync();
            stored.Order(StringComparer.Ordinal).ShouldBe(ids.Order(StringComparer.Ordinal), "each queued event stored exactly once");
            (await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<MonitoringEvent>().AsNoTracking()
                .CountAsync(e => e.Text == "offline homework notes")).ShouldBe(1);
        }
    }

    private sealed record Queued(string Id, string? Url);

    /// <summary>Reads the extension's capture queue until <paramref name="done"/> holds (every 250 ms, for at most <paramref name="timeout"/>, default 30 s).</summary>
    private static async Task<IReadOnlyList<Queued>> WaitForQueueAsync(IPage extensionPage, Func<IReadOnlyList<Queued>, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        IReadOnlyList<Queued> queue = [];
        while (true)
        {
            var json = await extensionPage.EvaluateAsync<string>("async () => JSON.stringify((await chrome.storage.local.get('brightlineCaptureQueue')).brightlineCaptureQueue ?? [])");
            using (var document = JsonDocument.Parse(json))
            {
                queue = document.RootElement.EnumerateArray()
                    .Select(e => new Queued(e.GetProperty("id").GetString()!, e.TryGetProperty("url", out var u) ? u.GetString() : null)).ToList();
            }

            if (done(queue) || DateTime.UtcNow > deadline)
            {
                return queue;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>The extension's queue and back-off, for a failure's message.</summary>
    private static Task<string> CaptureStatusAsync(IPage extensionPage) =>
        extensionPage.EvaluateAsync<string>("async () => JSON.stringify(await chrome.storage.local.get(['brightlineCaptureStatus', 'brightlineCaptureQueue', 'brightlineCaptureSettings']))");

    private static async Task<string?> WaitForEnrolmentAsync(IPage extensionPage)
    {
        // As ExtensionBrowserTests: 40 seconds, and the popup's "Try again" once if nothing is stored after 10.
        var started = DateTime.UtcNow;
        var retried = false;
        string? status = null;
        while (DateTime.UtcNow < started.AddSeconds(40))
        {
            status = await extensionPage.EvaluateAsync<string?>("async () => (await chrome.storage.local.get('brightlineEnrolment')).brightlineEnrolment?.status ?? null");
            if (status is not (null or "not-configured" or "offline"))
            {
                return status;
            }

            if (status is null && !retried && DateTime.UtcNow > started.AddSeconds(10))
            {
                retried = true;
                await extensionPage.EvaluateAsync("() => chrome.runtime.sendMessage({ type: 'brightline:enrol', force: true })");
            }

            await Task.Delay(200);
        }

        return status;
    }

}
