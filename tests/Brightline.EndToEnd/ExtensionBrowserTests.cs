using System.Text;
using System.Text.Json;
using Brightline.Agreements;
using Brightline.BrowserExtension;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.EndToEnd.Infrastructure;
using Brightline.People;
using Brightline.Policies;
using Brightline.Sanctions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Brightline.EndToEnd;

/// <summary>
/// Brightline for Chrome in a real browser (issue 12): Debian's Chromium with the built extension
/// (clients/chrome/dist, <c>npm run build</c>) in a persistent context, new headless mode, and test host names
/// pointed at a local HTTPS site by <c>--host-resolver-rules</c>, against a real Brightline server on each database.
/// Typed text, page visits with their titles and searches reach the ingestion API and its scoring (issue 12, point 4).
/// </summary>
public sealed class ExtensionBrowserTests
{
    private const string Head = "h.marsh@school.test";

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Extension_BlocksHttpsWithTheBlockPage_AllowsTheRest_CapturesTypedTextVisitsAndSearches_AndASanctionBlocksTheNextNavigation(DatabaseProvider provider)
    {
        await using var server = await E2eServer.StartAsync(provider);
        await using var site = await HttpsTestSite.StartAsync();

        // Helen Marsh (staff) has signed her agreement, so the gate lets her use the internet; the school has an enrolment key.
        string key;
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var helen = await db.People.AsNoTracking().SingleAsync(p => p.ExternalId == "S02");
            await scope.ServiceProvider.GetRequiredService<AgreementService>().SignAsync(
                new SignRequest(E2eServer.SchoolId, helen.Id, helen.Id, "staff", "Helen Marsh", "Headteacher", null, true, SignatureMethod.Portal, "127.0.0.1", "e2e"),
                CancellationToken.None);
            key = (await scope.ServiceProvider.GetRequiredService<ExtensionKeys>().CreateAsync(E2eServer.SchoolId, "it@school.test", null, CancellationToken.None)).Key;
        }

        await using var browser = await ExtensionBrowser.LaunchAsync(["www.bet365.com", "allowed.school.test", "news.school.test", "www.google.com", "search.yahoo.com"]);
        var context = browser.Context;

        // The extension's own page can use its storage; its ID is Chromium's for an unpacked extension at this path.
        var extensionId = browser.ExtensionId;
        var popup = await context.NewPageAsync();
        await popup.GotoAsync($"chrome-extension://{extensionId}/popup.html");

        // A test browser has no managed policy and no signed-in profile: the unpacked build's test configuration stands in (docs/extension.md).
        var serverUrl = server.BaseAddress.ToString().TrimEnd('/');
        await popup.EvaluateAsync(
            "config => chrome.storage.local.set({ brightlineTestConfig: config })",
            new { serverUrl, enrolmentKey = key, email = Head });
        var state = await WaitForEnrolmentAsync(popup);
        state.GetProperty("status").GetString().ShouldBe("enrolled", state.ToString());
        state.GetProperty("person").GetString().ShouldBe("Helen Marsh");
        state.GetProperty("school").GetString().ShouldBe("Brightline Example Primary");

        // The popup: who, the school, the monitoring notice.
        await popup.ReloadAsync();
        (await popup.Locator("#person").InnerTextAsync()).ShouldBe("Helen Marsh");
        (await popup.Locator("#school").InnerTextAsync()).ShouldBe("Brightline Example Primary");
        (await popup.Locator("#notice").InnerTextAsync()).ShouldNotBeNullOrWhiteSpace();
        await popup.CloseAsync();

        // An allowed HTTPS site loads.
        var page = await context.NewPageAsync();
        // Helen's staff agreement asks for an acknowledgement every sign-in (C8, H13): the browser session's first
        // navigation shows it, and accepting continues there.
        await AcknowledgeAsync(page, extensionId, site.Url("allowed.school.test"));
        await page.GotoAsync(site.Url("allowed.school.test"));
        (await page.Locator("#site").InnerTextAsync()).ShouldBe("Test site allowed.school.test");
        await page.WaitForTimeoutAsync(500);
        page.Url.ShouldStartWith(site.Url("allowed.school.test"));

        // Typed text is captured (never a password field): a critical phrase typed into a textarea raises an alert for the DSL.
        const string secret = "hunter2-not-for-monitoring";
        await page.GotoAsync(site.Url("allowed.school.test", "/write"));
        await page.Locator("#password").FillAsync(secret);
        await page.Locator("#message").ClickAsync();
        await page.Keyboard.TypeAsync("homework done. i want to die tonight");
        await page.Keyboard.PressAsync("Enter");
        var alert = await ExtensionBrowser.WaitForAsync(server, db => db.Set<MonitoringAlert>().AsNoTracking().FirstOrDefaultAsync(a => a.Severity == "critical"));
        alert.ShouldNotBeNull("no critical alert within 30 seconds of typing the phrase");
        alert.Category.ShouldBe("self-harm");
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var helen = await db.People.AsNoTracking().SingleAsync(p => p.ExternalId == "S02");
            alert.PersonId.ShouldBe(helen.Id);
            var texts = await db.Set<MonitoringEvent>().AsNoTracking().Select(e => e.Text).ToListAsync();
            texts.ShouldContain(t => t != null && t.Contains("want to die", StringComparison.Ordinal));
            texts.ShouldNotContain(t => t != null && t.Contains(secret, StringComparison.Ordinal));
        }

        // The page visited earlier (twice: after the acknowledgement, then again) is a url event with its title.
        var home = site.Url("allowed.school.test");
        var visit = await ExtensionBrowser.WaitForAsync(server, db => db.Set<MonitoringEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.Url == home && e.Title != null));
        visit.ShouldNotBeNull("no url event with a title for the page visited");
        visit.Kind.ShouldBe(MonitoringEventKind.Url);
        visit.Title.ShouldBe("Test site allowed.school.test");
        visit.PersonId.ShouldBe(alert.PersonId);

        // A search (Google's address, served by the local site) is a search event with its query, and the engine scores the words.
        var search = site.Url("www.google.com", "/search?q=where+to+buy+weed+near+me");
        await page.GotoAsync(search);
        // Helen's profile asks for safe search: the extension's rule adds safe=active before the request, so that is the address visited.
        var safeSearch = search + "&safe=active";
        var searched = await ExtensionBrowser.WaitForAsync(server, db => db.Set<MonitoringEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.Url == safeSearch));
        searched.ShouldNotBeNull("no event for the search");
        searched.Kind.ShouldBe(MonitoringEventKind.Search);
        searched.Query.ShouldBe("where to buy weed near me");
        searched.Title.ShouldBe("where to buy weed near me - Search results");
        var drugs = await ExtensionBrowser.WaitForAsync(server, db => db.Set<MonitoringAlert>().AsNoTracking().FirstOrDefaultAsync(a => a.Category == "drugs"));
        drugs.ShouldNotBeNull("the search's words raised no alert within 30 seconds");
        drugs.PersonId.ShouldBe(alert.PersonId);

        // A page that changes its own address (as YouTube's search does, with history.pushState) is a visit too, with its new title.
        await page.EvaluateAsync("() => { history.pushState({}, '', '/search?q=volcano+facts'); document.title = 'volcano facts - Search results'; }");
        var pushed = site.Url("www.google.com", "/search?q=volcano+facts");
        var pushedSearch = await ExtensionBrowser.WaitForAsync(server, db => db.Set<MonitoringEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.Url == pushed));
        pushedSearch.ShouldNotBeNull("no event for the address the page changed itself");
        pushedSearch.Query.ShouldBe("volcano facts");
        pushedSearch.Title.ShouldBe("volcano facts - Search results");

        // Yahoo names its query p.
        var yahoo = site.Url("search.yahoo.com", "/search?p=revision+timetable");
        await page.GotoAsync(yahoo);
        var yahooSearch = await ExtensionBrowser.WaitForAsync(server, db => db.Set<MonitoringEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.Url == yahoo));
        yahooSearch.ShouldNotBeNull("no event for the Yahoo search");
        yahooSearch.Kind.ShouldBe(MonitoringEventKind.Search);
        yahooSearch.Query.ShouldBe("revision timetable");

        // A blocked HTTPS site (gambling, blocked for staff) ends on Brightline's block page, with the reason.
        await OpenBlockedAsync(page, site.Url("www.bet365.com"));
        await WaitForBlockPageAsync(page, serverUrl);
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("This website is blocked");
        (await page.Locator("#block-reason").InnerTextAsync()).ShouldContain("gambling", Case.Insensitive);
        (await page.ContentAsync()).ShouldNotContain("Test site www.bet365.com");
        var screens = Path.Combine(Environment.GetEnvironmentVariable("BRIGHTLINE_ARTIFACTS") ?? Path.GetTempPath(), "screens");
        Directory.CreateDirectory(screens);
        await page.ScreenshotAsync(new() { Path = Path.Combine(screens, $"extension-blocked-{provider}.png"), FullPage = true });

        // Neither the blocked site nor Brightline's own pages (the popup's server, the block page) are visits. The queue is
        // sent in order, so once a later visit is stored, anything recorded before it would be stored too.
        var after = site.Url("allowed.school.test", "/after");
        await page.GotoAsync(after);
        (await ExtensionBrowser.WaitForAsync(server, db => db.Set<MonitoringEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.Url == after))).ShouldNotBeNull("no url event for the page visited after the block");
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var urls = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<MonitoringEvent>().AsNoTracking()
                .Where(e => e.Url != null).Select(e => e.Url!).ToListAsync();
            urls.ShouldNotContain(u => u.Contains("bet365", StringComparison.Ordinal));
            urls.ShouldNotContain(u => u.StartsWith(serverUrl, StringComparison.Ordinal));
        }

        // A sanction (withdraw internet), imposed as the portal's form imposes it, blocks the next navigation.
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var helen = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().People.AsNoTracking().SingleAsync(p => p.ExternalId == "S02");
            await scope.ServiceProvider.GetRequiredService<SanctionService>().ImposeAsync(
                new ImposeSanction(E2eServer.SchoolId, helen.Id, SanctionKind.WithdrawInternet, "Browser test of the extension", null, [], "it@school.test"), CancellationToken.None);
        }

        await OpenBlockedAsync(page, site.Url("news.school.test"));
        await WaitForBlockPageAsync(page, serverUrl);
        (await page.Locator("#block-reason").InnerTextAsync()).ShouldContain("withdrawn");
    }

    /// <summary>
    /// Issue 12, point 5, for a St Clement's pupil with the school's own policy file: the first-run notice page, the
    /// KS2 agreement's acknowledgement (C8) before the first navigation (and not again in the session), recorded as the
    /// portal records it; and the popup's "Tell a trusted adult" link, whose page sends a worry that reaches the DSL (W5).
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Extension_StClementsPupil_AcknowledgesBeforeTheFirstNavigation_AndTellsATrustedAdultFromThePopup(DatabaseProvider provider)
    {
        const string school = "st-clements";
        const string pupil = "ruby.okafor@pupils.test";
        await using var server = await E2eServer.StartAsync(provider);
        await using var site = await HttpsTestSite.StartAsync();
        string key;
        Guid rubyId;
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            var yaml = await File.ReadAllTextAsync(Path.Combine(E2eServer.RepoRoot(), "policies", "st-clements.yaml"));
            await services.GetRequiredService<PolicyStore>().LoadAsync(yaml, "st-clements.yaml", "e2e", CancellationToken.None);
            var importer = services.GetRequiredService<PeopleImporter>();
            await importer.ImportAsync(school, new MemoryStream(Encoding.UTF8.GetBytes("""
                Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Email
                P001,K801200200001,Ruby,Okafor,Year 4,4 Elm,01/09/2022,ruby.okafor@pupils.test
                """)), ImportKind.Pupils, new ImportOptions(), "e2e", CancellationToken.None);
            await importer.ImportAsync(school, new MemoryStream(Encoding.UTF8.GetBytes("""
                Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
                D01,Dina,Shah,dsl@stclements.test,Designated Safeguarding Lead,,staff,dsl,01/09/2015
                """)), ImportKind.Staff, new ImportOptions(), "e2e", CancellationToken.None);
            var db = services.GetRequiredService<BrightlineDbContext>();
            rubyId = (await db.People.AsNoTracking().SingleAsync(p => p.SchoolId == school && p.Email == pupil)).Id;
            // Ruby has signed the KS2 agreement (C9), so the internet is hers once she has acknowledged it this session.
            await services.GetRequiredService<AgreementService>().SignAsync(
                new SignRequest(school, rubyId, rubyId, "ks2-pupil", "Ruby Okafor", null, "4 Elm", true, SignatureMethod.Portal, "127.0.0.1", "e2e"),
                CancellationToken.None);
            key = (await services.GetRequiredService<ExtensionKeys>().CreateAsync(school, "it@school.test", null, CancellationToken.None)).Key;
        }

        await using var browser = await ExtensionBrowser.LaunchAsync(["allowed.school.test", "news.school.test"]);
        var context = browser.Context;

        var extensionId = browser.ExtensionId;
        var popup = await context.NewPageAsync();
        await popup.GotoAsync($"chrome-extension://{extensionId}/popup.html");
        var serverUrl = server.BaseAddress.ToString().TrimEnd('/');
        var noticeOpened = context.WaitForPageAsync(new() { Predicate = p => p.Url.Contains("/notice.html", StringComparison.Ordinal), Timeout = 30_000 });
        await popup.EvaluateAsync("config => chrome.storage.local.set({ brightlineTestConfig: config })", new { serverUrl, enrolmentKey = key, email = pupil });
        var state = await WaitForEnrolmentAsync(popup);
        state.GetProperty("status").GetString().ShouldBe("enrolled", state.ToString());
        state.GetProperty("school").GetString().ShouldBe("St Clement's C of E Primary School");

        // Tamper evidence: a new enrolment beats at once, so the server watches this browser from now (issue 12, point 6).
        var beating = await ExtensionBrowser.WaitForAsync(server, db => db.Set<ExtensionToken>().AsNoTracking().FirstOrDefaultAsync(t => t.PersonId == rubyId && t.LastHeartbeatAt != null));
        beating.ShouldNotBeNull("the extension sent no heartbeat within 30 seconds of enrolling");

        // The first-run notice: once, after enrolment, with the school's monitoring notice.
        var notice = await noticeOpened;
        await notice.Locator("#notice").WaitForAsync();
        (await notice.Locator("h1").InnerTextAsync()).ShouldBe("This browser is monitored");
        (await notice.Locator("#notice").InnerTextAsync()).ShouldBe(state.GetProperty("notice").GetString());
        (await notice.Locator("#who").InnerTextAsync()).ShouldContain("Ruby Okafor");
        var violations = new List<string>();
        await PortalPages.AccessibilityAsync(notice, "first-run notice", violations);
        await notice.CloseAsync();

        // The first navigation of the session goes to the acknowledgement (C8); accepting continues to the site.
        var page = await context.NewPageAsync();
        await OpenBlockedAsync(page, site.Url("allowed.school.test"));
        await WaitForAcknowledgementPageAsync(page, extensionId);
        await page.Locator("#text").WaitForAsync();
        (await page.Locator("#text").InnerTextAsync()).ShouldBe("I agree to the Acceptable Usage Policy and will use this computer safely and responsibly.");
        (await page.Locator("#title").InnerTextAsync()).ShouldContain("KS2");
        var screens = Path.Combine(Environment.GetEnvironmentVariable("BRIGHTLINE_ARTIFACTS") ?? Path.GetTempPath(), "screens");
        Directory.CreateDirectory(screens);
        await page.ScreenshotAsync(new() { Path = Path.Combine(screens, $"extension-acknowledgement-{provider}.png"), FullPage = true });
        await PortalPages.AccessibilityAsync(page, "acknowledgement", violations);
        await page.GetByRole(AriaRole.Button, new() { Name = "I understand and agree" }).ClickAsync();
        await page.WaitForURLAsync(site.Url("allowed.school.test"), new() { Timeout = 30_000 });
        (await page.Locator("#site").InnerTextAsync()).ShouldBe("Test site allowed.school.test");

        // Recorded as the portal records it, once; the rest of the session is not asked again.
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var records = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Acknowledgements.AsNoTracking()
                .Where(a => a.SchoolId == school).ToListAsync();
            records.ShouldHaveSingleItem().AgreementId.ShouldBe("ks2-pupil");
            records[0].PersonId.ShouldBe(rubyId);
        }

        await page.GotoAsync(site.Url("news.school.test"));
        (await page.Locator("#site").InnerTextAsync()).ShouldBe("Test site news.school.test");
        await page.WaitForTimeoutAsync(500);
        page.Url.ShouldStartWith(site.Url("news.school.test"));

        // The popup: who is signed in, the school, and "Tell a trusted adult", whose page sends a worry to the DSL (W5).
        await popup.ReloadAsync();
        (await popup.Locator("#person").InnerTextAsync()).ShouldBe("Ruby Okafor");
        (await popup.Locator("#school").InnerTextAsync()).ShouldBe("St Clement's C of E Primary School");
        var concernOpened = context.WaitForPageAsync(new() { Predicate = p => p.Url.Contains("/concern.html", StringComparison.Ordinal), Timeout = 30_000 });
        await popup.GetByRole(AriaRole.Link, new() { Name = "Tell a trusted adult" }).ClickAsync();
        var concern = await concernOpened;
        await concern.GetByLabel("What is worrying you?").WaitForAsync();
        await PortalPages.AccessibilityAsync(concern, "tell a trusted adult", violations);
        await concern.GetByLabel("What is worrying you?").FillAsync("An older boy online keeps messaging me and I feel scared.");
        await concern.GetByRole(AriaRole.Button, new() { Name = "Send to a trusted adult" }).ClickAsync();
        await concern.Locator("#sent").WaitForAsync(new() { Timeout = 30_000 });
        (await concern.Locator("#sent-message").InnerTextAsync()).ShouldContain("Thank you for telling us");
        await concern.ScreenshotAsync(new() { Path = Path.Combine(screens, $"extension-trusted-adult-{provider}.png"), FullPage = true });
        await PortalPages.AccessibilityAsync(concern, "tell a trusted adult, sent", violations);
        violations.ShouldBeEmpty(string.Join("\n", violations));

        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var incident = await db.Set<Incident>().AsNoTracking().SingleAsync(i => i.SchoolId == school);
            incident.Kind.ShouldBe("safeguarding");
            (await db.Set<IncidentPerson>().AsNoTracking().Where(p => p.IncidentId == incident.Id).Select(p => p.PersonId).ToListAsync()).ShouldBe([rubyId]);
        }

        var email = await server.Smtp.WaitForAsync(m => m.Contains("dsl@stclements.test", StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(30));
        email.ShouldNotContain("scared");
    }

    /// <summary>
    /// Issue 12, points 2 and 3 in the browser: a browser with no signed-in account signs in through the portal from
    /// the popup; safe search and YouTube Restricted Mode reach the site as the rules rewrite them; a blocked frame is
    /// replaced; a cached block never reaches the site again; the navigation timing of a cached decision is printed;
    /// and with the server stopped, a host known to be illegal stays blocked while an ordinary new address loads.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Extension_SignsInThroughThePortal_EnforcesSafeSearch_BlocksFrames_AndFailsClosedForIllegalHostsOffline(DatabaseProvider provider)
    {
        const string tom = "t.baker@school.test";
        const string password = "correct horse battery staple";
        await using var server = await E2eServer.StartAsync(provider);
        await using var site = await HttpsTestSite.StartAsync();

        // Tom Baker (staff) has signed his agreement and has a portal account; the school has an enrolment key.
        string key;
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var person = await db.People.AsNoTracking().SingleAsync(p => p.ExternalId == "S03");
            await scope.ServiceProvider.GetRequiredService<AgreementService>().SignAsync(
                new SignRequest(E2eServer.SchoolId, person.Id, person.Id, "staff", "Tom Baker", "Teaching Assistant", null, true, SignatureMethod.Portal, "127.0.0.1", "e2e"),
                CancellationToken.None);
            key = (await scope.ServiceProvider.GetRequiredService<ExtensionKeys>().CreateAsync(E2eServer.SchoolId, "it@school.test", null, CancellationToken.None)).Key;
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = tom, Email = tom, EmailConfirmed = true, DisplayName = "Tom Baker" };
            (await users.CreateAsync(user, password)).Succeeded.ShouldBeTrue();
            db.SchoolMemberships.Add(new SchoolMembership { UserId = user.Id, SchoolId = E2eServer.SchoolId, Role = Brightline.Portal.PortalRoles.Staff, PersonId = person.Id });
            await db.SaveChangesAsync();
        }

        await using var browser = await ExtensionBrowser.LaunchAsync(["www.bet365.com", "allowed.school.test", "news.school.test", "frames.school.test", "www.google.com", "www.youtube.com", "iwf-test.brightline.invalid"]);
        var context = browser.Context;

        // No managed policy and no browser account: the test configuration gives the server and the key, but no email.
        var extensionId = browser.ExtensionId;
        var popup = await context.NewPageAsync();
        await popup.GotoAsync($"chrome-extension://{extensionId}/popup.html");
        var serverUrl = server.BaseAddress.ToString().TrimEnd('/');

        // Navigation timing's baseline: the same page while the extension has no configuration and so decides nothing.
        const string timingScript = "() => { const n = performance.getEntriesByType('navigation')[0]; return n.responseStart - n.startTime; }";
        var undecided = new List<double>();
        var baseline = await context.NewPageAsync();
        for (var i = 0; i < 5; i++)
        {
            await baseline.GotoAsync(site.Url("allowed.school.test", "/timing"));
            undecided.Add(await baseline.EvaluateAsync<double>(timingScript));
        }

        await baseline.CloseAsync();
        await popup.EvaluateAsync("config => chrome.storage.local.set({ brightlineTestConfig: config })", new { serverUrl, enrolmentKey = key });
        var state = await WaitForEnrolmentAsync(popup);
        state.GetProperty("status").GetString().ShouldBe("no-account", state.ToString());

        // The popup offers the portal sign-in; it opens in a tab, the person signs in and confirms, and the extension enrols.
        await popup.ReloadAsync();
        var signInTab = await context.RunAndWaitForPageAsync(() => popup.Locator("#sign-in").ClickAsync());
        await signInTab.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await signInTab.Locator("#Email").FillAsync(tom);
        await signInTab.Locator("#Password").FillAsync(password);
        await signInTab.Locator("main form button[type=submit]").First.ClickAsync();
        await signInTab.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/extension/sign-in\\?device="));
        await signInTab.Locator("#extension-sign-in-confirm").ClickAsync();
        await signInTab.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/extension/sign-in\\?done=1#code="));
        var options = await context.NewPageAsync();
        await options.GotoAsync($"chrome-extension://{extensionId}/popup.html");
        state = await WaitForAsync(async () =>
        {
            var s = await options.EvaluateAsync<JsonElement>("async () => (await chrome.storage.local.get('brightlineEnrolment')).brightlineEnrolment ?? {}");
            return s.TryGetProperty("status", out var st) && st.GetString() != "no-account" ? (JsonElement?)s : null;
        }) ?? throw new ShouldAssertException("The extension did not finish the portal sign-in within 30 seconds: its enrolment stayed 'no-account'.");
        state.GetProperty("status").GetString().ShouldBe("enrolled", state.ToString());
        state.GetProperty("person").GetString().ShouldBe("Tom Baker");
        await signInTab.CloseAsync();
        // Signed out of the portal again (the enrolment does not need the session): a signed-in portal session would
        // send the block page to the portal's own acknowledgement gate first.
        await context.ClearCookiesAsync();

        // The first decision also tells the extension what to enforce (staff: safe search, YouTube moderate).
        var page = await context.NewPageAsync();
        // Tom's staff agreement asks for an acknowledgement every sign-in (C8, H13): the session's first navigation shows it.
        await AcknowledgeAsync(page, extensionId, site.Url("allowed.school.test"));
        await page.GotoAsync(site.Url("allowed.school.test"));
        (await page.Locator("#site").InnerTextAsync()).ShouldBe("Test site allowed.school.test");
        // The rules are in place once the decision has come back (the page does not wait for it): safe search's three and YouTube's.
        var rules = await WaitForAsync(async () =>
        {
            var ids = await options.EvaluateAsync<int[]>("async () => (await chrome.declarativeNetRequest.getDynamicRules()).map(r => r.id)");
            return ids.Length >= 4 ? ids : null;
        });
        rules.ShouldNotBeNull("the safe-search and YouTube rules were not added within 30 seconds");

        // Safe search: the search reaches the (local) Google with safe=active added by the extension's rule.
        await page.GotoAsync(site.Url("www.google.com", "/search?q=volcano+facts"));
        site.Requests.ShouldContain(r => r.Host == "www.google.com" && r.PathAndQuery.Contains("safe=active", StringComparison.Ordinal), string.Join("\n", site.Requests));
        page.Url.ShouldContain("safe=active");

        // YouTube Restricted Mode: the header on every request to YouTube's hosts.
        await page.GotoAsync(site.Url("www.youtube.com", "/watch?v=abc"));
        site.Requests.Where(r => r.Host == "www.youtube.com").ShouldAllBe(r => r.YouTubeRestrict == "Moderate");
        site.Requests.ShouldContain(r => r.Host == "www.youtube.com");

        // Navigation timing with the decision cached (printed and recorded in docs/extension.md, not asserted): the same
        // page as the baseline above, opened again once its allow is cached.
        var cached = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            await page.GotoAsync(site.Url("allowed.school.test", "/timing"));
            cached.Add(await page.EvaluateAsync<double>(timingScript));
        }

        static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        static string Samples(List<double> v) => string.Join(", ", v.Select(c => c.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)));
        Console.WriteLine($"[{provider}] navigation timing, start to first byte, median of 5: decision cached {Median(cached):F1} ms, extension deciding nothing {Median(undecided):F1} ms, difference {Median(cached) - Median(undecided):F1} ms. Samples: [{Samples(cached)}] / [{Samples(undecided)}]");

        // A blocked frame (gambling) is replaced by the extension's frame page, naming the site; an allowed frame loads.
        await page.GotoAsync(site.Url("frames.school.test", "/frame?src=" + Uri.EscapeDataString(site.Url("www.bet365.com", "/embedded"))));
        var blockedFrame = await WaitForAsync(() => Task.FromResult(page.Frames.FirstOrDefault(f => f.Url.StartsWith($"chrome-extension://{extensionId}/frame-blocked.html", StringComparison.Ordinal))));
        blockedFrame.ShouldNotBeNull($"the blocked frame was not replaced; frames: {string.Join(", ", page.Frames.Select(f => f.Url))}");
        (await blockedFrame.Locator("#host").InnerTextAsync()).ShouldBe("www.bet365.com");
        (await blockedFrame.Locator("#reason").InnerTextAsync()).ShouldContain("gambling", Case.Insensitive);
        (await page.ContentAsync()).ShouldNotContain("Test site www.bet365.com");
        await page.GotoAsync(site.Url("frames.school.test", "/frame?src=" + Uri.EscapeDataString(site.Url("news.school.test", "/embedded"))));
        var allowedFrame = await WaitForAsync(() => Task.FromResult(page.Frames.FirstOrDefault(f => f.Url.StartsWith(site.Url("news.school.test"), StringComparison.Ordinal))));
        allowedFrame.ShouldNotBeNull();
        (await allowedFrame.Locator("#site").InnerTextAsync()).ShouldBe("Test site news.school.test");

        // A cached block never reaches the site again: the session rule redirects the frame, and a top-level load, before the request.
        var bet365Requests = site.Requests.Count(r => r.Host == "www.bet365.com");
        await page.GotoAsync(site.Url("frames.school.test", "/frame?src=" + Uri.EscapeDataString(site.Url("www.bet365.com", "/embedded"))));
        (await WaitForAsync(() => Task.FromResult(page.Frames.FirstOrDefault(f => f.Url.Contains("frame-blocked.html", StringComparison.Ordinal))))).ShouldNotBeNull();
        await OpenBlockedAsync(page, site.Url("www.bet365.com", "/embedded"));
        await WaitForBlockPageAsync(page, serverUrl);
        site.Requests.Count(r => r.Host == "www.bet365.com").ShouldBe(bet365Requests, "a cached block reached the site");

        // An illegal host, decided once online, is remembered.
        await OpenBlockedAsync(page, site.Url("iwf-test.brightline.invalid", "/first"));
        await WaitForBlockPageAsync(page, serverUrl);

        // Offline: the server stops. A new address on the illegal host stays blocked (it never reaches the site: fail
        // closed); a new ordinary address loads (fail open, docs/extension.md).
        await server.App.StopAsync();
        try
        {
            await page.GotoAsync(site.Url("iwf-test.brightline.invalid", "/never-decided"), new() { WaitUntil = WaitUntilState.Commit });
        }
        catch (PlaywrightException e) when (e.Message.Contains("net::ERR_CONNECTION_REFUSED", StringComparison.Ordinal) || e.Message.Contains("net::ERR_ABORTED", StringComparison.Ordinal))
        {
            // Redirected (by the illegal-host rule, before the request) to the block page, on the stopped server.
        }

        await page.WaitForTimeoutAsync(1000);
        site.Requests.ShouldNotContain(r => r.Host == "iwf-test.brightline.invalid" && r.PathAndQuery == "/never-decided");
        (await page.ContentAsync()).ShouldNotContain("Test site iwf-test.brightline.invalid");
        await page.GotoAsync(site.Url("news.school.test", "/while-offline"));
        (await page.Locator("#site").InnerTextAsync()).ShouldBe("Test site news.school.test");
    }

    /// <summary>Polls <paramref name="probe"/> (every 200 ms, for at most 30 seconds) until it finds something.</summary>
    private static async Task<T?> WaitForAsync<T>(Func<Task<T?>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                return default;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Waits (every 100 ms, at most 30 seconds) until the tab shows the extension's acknowledgement page. The tab's address
    /// is polled rather than awaited as a navigation: the page the extension opens in place of a navigation in flight does
    /// not always reach Playwright's navigation waiter (it saw an aborted navigation, or no load event), though the tab is there.
    /// </summary>
    private static async Task WaitForAcknowledgementPageAsync(IPage page, string extensionId)
    {
        var prefix = $"chrome-extension://{extensionId}/acknowledgement.html?";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!page.Url.StartsWith(prefix, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"The acknowledgement page did not open within 30 seconds; the tab is at {page.Url}.");
            }

            await Task.Delay(100);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "I understand and agree" }).WaitForAsync(new() { Timeout = 30_000 });
    }

    /// <summary>
    /// The session's first navigation, held for the acknowledgement (C8, H13): waits (at most 30 seconds) for the
    /// extension's acknowledgement page, accepts, and waits for the address asked for.
    /// </summary>
    private static async Task AcknowledgeAsync(IPage page, string extensionId, string url)
    {
        await OpenBlockedAsync(page, url);
        await WaitForAcknowledgementPageAsync(page, extensionId);
        await page.GetByRole(AriaRole.Button, new() { Name = "I understand and agree" }).ClickAsync();
        await page.WaitForURLAsync(url, new() { Timeout = 30_000 });
    }

    /// <summary>
    /// Opens a URL the extension will redirect: when its decision comes before the site answers, the browser drops the
    /// original navigation (ERR_ABORTED) for the block page, which is the behaviour under test, not a failure.
    /// </summary>
    private static async Task OpenBlockedAsync(IPage page, string url)
    {
        try
        {
            await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        }
        catch (PlaywrightException e) when (e.Message.Contains("net::ERR_ABORTED", StringComparison.Ordinal))
        {
        }
    }

    /// <summary>
    /// Waits (at most 30 seconds) for the block page. A navigation the extension replaces can be reported as aborted to the
    /// waiter (the site's page and the block page race), which is the redirect under test: it waits on for the block page.
    /// </summary>
    private static async Task WaitForBlockPageAsync(IPage page, string serverUrl)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await page.WaitForURLAsync(serverUrl + "/blocked?**", new() { Timeout = 30_000 });
                return;
            }
            catch (PlaywrightException e) when (e.Message.Contains("net::ERR_ABORTED", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>
    /// Waits up to 40 seconds for the extension to store an enrolment that is neither "not-configured" nor "offline".
    /// When nothing at all is stored after 10 seconds (in a loaded CI run the start-up enrolment was once never
    /// saved), it does what the person would: the popup's "Try again", which forces an enrolment. The extension's
    /// minute alarm does the same by itself in a real browser.
    /// </summary>
    private static async Task<JsonElement> WaitForEnrolmentAsync(IPage extensionPage)
    {
        var started = DateTime.UtcNow;
        var retried = false;
        JsonElement state = default;
        while (DateTime.UtcNow < started.AddSeconds(40))
        {
            var value = await extensionPage.EvaluateAsync<JsonElement?>("async () => (await chrome.storage.local.get('brightlineEnrolment')).brightlineEnrolment ?? null");
            if (value is { } element && element.ValueKind == JsonValueKind.Object)
            {
                state = element;
                if (element.TryGetProperty("status", out var status) && status.GetString() is not ("not-configured" or "offline"))
                {
                    return state;
                }
            }
            else if (!retried && DateTime.UtcNow > started.AddSeconds(10))
            {
                retried = true;
                await extensionPage.EvaluateAsync("() => chrome.runtime.sendMessage({ type: 'brightline:enrol', force: true })");
            }

            await Task.Delay(200);
        }

        return state.ValueKind == JsonValueKind.Object
            ? state
            : throw new ShouldAssertException("The extension stored no enrolment within 40 seconds, even after \"Try again\".");
    }
}
