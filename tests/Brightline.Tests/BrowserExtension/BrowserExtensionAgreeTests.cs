using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Brightline.Agreements;
using Brightline.BrowserExtension;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.People;
using Brightline.Policies;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.BrowserExtension.ExtensionTestKit;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.BrowserExtension;

/// <summary>
/// Issue 12, points 5 and 6, on real Kestrel and both databases, with the seed schools' own policy files: the
/// acknowledgement St Clement's (C8) and Westbrook Hay (H13) ask for before the first navigation, recorded in the
/// store the portal's /acknowledge page reads; "Tell a trusted adult" reaching the DSL as a safeguarding report (W5);
/// and the heartbeat, silence and removal alerts for IT and the DSL. The clock is Wednesday 25 November 2026, 10:00
/// (UK time is UTC in November): a school day, in school hours at both schools.
/// </summary>
public sealed class BrowserExtensionAgreeTests
{
    private const string StClements = "st-clements";
    private const string Westbrook = "westbrook-hay";

    /// <summary>A Year 4 pupil with a school email (the browser's account), and a DSL and IT provider to be told.</summary>
    private const string PupilsCsv = """
        Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Email
        P001,K801200200001,Ruby,Okafor,Year 4,4 Elm,01/09/2022,ruby.okafor@pupils.test
        """;

    private const string StaffCsv = """
        Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
        D01,Dina,Shah,dsl@staff.test,Designated Safeguarding Lead,,staff,dsl,01/09/2015
        I01,Ian,Cole,it@staff.test,IT technician,,staff,it_provider,01/09/2020
        """;

    private const string Pupil = "ruby.okafor@pupils.test";

    private static string PolicyFile(string name) => File.ReadAllText(RepoPaths.Policy(name + ".yaml"));

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider, string school, string? yaml = null)
    {
        var server = await BrightlineServer.StartAsync(provider);
        try
        {
            await using var scope = server.CreateScope();
            await scope.ServiceProvider.GetRequiredService<PolicyStore>().LoadAsync(yaml ?? PolicyFile(school), school + ".yaml", "test", CancellationToken.None);
            await TestSchool.ImportAsync(server, ImportKind.Pupils, PupilsCsv, schoolId: school);
            await TestSchool.ImportAsync(server, ImportKind.Staff, StaffCsv, schoolId: school);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> EnrolPupilAsync(BrightlineServer server, string school)
    {
        var (status, body) = await EnrolAsync(server, await CreateKeyAsync(server, school), Pupil, "chromebook-7", "Chromebook 7");
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        return body.GetProperty("token").GetString()!;
    }

    private static HttpClient Client(BrightlineServer server, string token)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonElement> DueAsync(BrightlineServer server, string token, DateTimeOffset sessionStarted)
    {
        using var client = Client(server, token);
        var since = Uri.EscapeDataString(sessionStarted.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return await client.GetFromJsonAsync<JsonElement>($"/api/v1/extension/acknowledgement?since={since}");
    }

    private static async Task<HttpStatusCode> AcceptAsync(BrightlineServer server, string token, string agreementId)
    {
        using var client = Client(server, token);
        using var response = await client.PostAsJsonAsync("/api/v1/extension/acknowledgement", new { agreementId });
        return response.StatusCode;
    }

    private static async Task<T> InScopeAsync<T>(BrightlineServer server, Func<BrightlineDbContext, Task<T>> query)
    {
        await using var scope = server.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Acknowledgement_StClementsPupil_IsDueEveryBrowserSession_AndTheAcceptanceIsTheRecordThePortalKeeps(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider, StClements);
        var token = await EnrolPupilAsync(server, StClements);
        var session = server.Clock.GetUtcNow();

        // C8: the KS2 agreement's acceptable usage clause, before the first navigation of every sign-in (a browser session).
        var due = await DueAsync(server, token, session);
        due.GetProperty("due").GetBoolean().ShouldBeTrue(due.ToString());
        due.GetProperty("agreementId").GetString().ShouldBe("ks2-pupil");
        due.GetProperty("every").GetString().ShouldBe("sign_in");
        due.GetProperty("text").GetString().ShouldBe("I agree to the Acceptable Usage Policy and will use this computer safely and responsibly.");
        due.GetProperty("policyUrl").GetString()!.ShouldEndWith("/policy/agreements/ks2-pupil");

        // Accepting something not shown is refused; the one shown is recorded.
        (await AcceptAsync(server, token, "staff")).ShouldBe(HttpStatusCode.Conflict);
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        (await AcceptAsync(server, token, "ks2-pupil")).ShouldBe(HttpStatusCode.OK);
        (await DueAsync(server, token, session)).GetProperty("due").GetBoolean().ShouldBeFalse("accepted in this session");

        // The record is the portal's: one acknowledgement of ks2-pupil for Ruby, audited as the portal's are.
        var ruby = await InScopeAsync(server, db => db.People.AsNoTracking().SingleAsync(p => p.SchoolId == StClements && p.Email == Pupil));
        var records = await InScopeAsync(server, db => db.Acknowledgements.AsNoTracking().Where(a => a.SchoolId == StClements).ToListAsync());
        records.ShouldHaveSingleItem().AgreementId.ShouldBe("ks2-pupil");
        records[0].PersonId.ShouldBe(ruby.Id);
        (await InScopeAsync(server, db => db.AuditEntries.AsNoTracking().CountAsync(e => e.SchoolId == StClements && e.Action == Brightline.Audit.AuditActions.Acknowledge)))
            .ShouldBe(1);

        // The next browser session (the browser restarted later) asks again.
        server.Clock.Advance(TimeSpan.FromHours(2));
        (await DueAsync(server, token, server.Clock.GetUtcNow())).GetProperty("due").GetBoolean().ShouldBeTrue("a new session asks again");

        // Without a token the API answers 401, as every extension API does.
        using var anonymous = server.CreateClient();
        (await anonymous.GetAsync("/api/v1/extension/acknowledgement")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Acknowledgement_WestbrookHayPupil_IsTheH13Logon_AndAnAcceptanceInThePortalOrTheBrowserCountsInBoth(DatabaseProvider provider)
    {
        // Westbrook Hay's own file first: H13, "by logging on I agree", every sign-in, for its prep pupils.
        await using (var own = await StartAsync(provider, Westbrook))
        {
            var ownToken = await EnrolPupilAsync(own, Westbrook);
            var due = await DueAsync(own, ownToken, own.Clock.GetUtcNow());
            due.GetProperty("agreementId").GetString().ShouldBe("pupils");
            due.GetProperty("every").GetString().ShouldBe("sign_in");
            due.GetProperty("text").GetString().ShouldBe("By logging on I agree to the guidelines and policies for ICT use at Westbrook Hay.");
        }

        // The same file with the acknowledgement asked once a day, so the portal's session does not enter into it: an
        // acceptance in the browser clears the portal's /acknowledge page, and one in the portal clears the browser's.
        var daily = PolicyFile(Westbrook).Replace(
            "    acknowledgement:                  # H13: logging on means agreeing\n      every: sign_in\n",
            "    acknowledgement:                  # H13: logging on means agreeing\n      every: day\n", StringComparison.Ordinal);
        daily.ShouldNotBe(PolicyFile(Westbrook));
        await using var server = await StartAsync(provider, Westbrook, daily);
        var token = await EnrolPupilAsync(server, Westbrook);
        var ruby = await InScopeAsync(server, db => db.People.AsNoTracking().SingleAsync(p => p.SchoolId == Westbrook && p.Email == Pupil));
        await using (var scope = server.CreateScope())
        {
            // H2: Ruby has signed her own agreement, so the portal's gate asks only for the acknowledgement.
            await scope.ServiceProvider.GetRequiredService<AgreementService>().SignAsync(
                new SignRequest(Westbrook, ruby.Id, ruby.Id, "pupils", "Ruby Okafor", null, "4 Elm", true, SignatureMethod.Portal, "127.0.0.1", "test"),
                CancellationToken.None);
        }

        await CreateUserAsync(server, Pupil, "pupil", ruby.Id, Westbrook);
        using var portal = server.CreateClient();
        (await LoginAsync(portal, Pupil)).ShouldRedirectTo("/");
        (await portal.GetAsync("/")).ShouldRedirectTo("/acknowledge");

        var due2 = await DueAsync(server, token, server.Clock.GetUtcNow());
        due2.GetProperty("every").GetString().ShouldBe("day");
        (await AcceptAsync(server, token, "pupils")).ShouldBe(HttpStatusCode.OK);
        var (_, page) = await GetAsync(portal, "/acknowledge");
        page.QuerySelector("main")!.TextContent.ShouldContain("There is nothing to acknowledge right now");

        // The next day: due again in both; accepted in the portal, the browser has nothing to ask.
        server.Clock.Advance(TimeSpan.FromDays(1));
        (await DueAsync(server, token, server.Clock.GetUtcNow())).GetProperty("due").GetBoolean().ShouldBeTrue();
        using var tomorrow = server.CreateClient();
        (await LoginAsync(tomorrow, Pupil)).ShouldRedirectTo("/");
        var (_, form) = await GetAsync(tomorrow, "/acknowledge");
        form.QuerySelector("main form").ShouldNotBeNull(form.QuerySelector("main")?.TextContent);
        (await SubmitAsync(tomorrow, form, "/acknowledge", new Dictionary<string, string>())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await DueAsync(server, token, server.Clock.GetUtcNow())).GetProperty("due").GetBoolean().ShouldBeFalse("accepted in the portal today");
        (await InScopeAsync(server, db => db.Acknowledgements.AsNoTracking().CountAsync(a => a.PersonId == ruby.Id))).ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TellATrustedAdult_IsASafeguardingReportAboutThePupil_EmailedToTheDsl(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider, StClements);
        var token = await EnrolPupilAsync(server, StClements);
        using var client = Client(server, token);

        using (var empty = await client.PostAsJsonAsync("/api/v1/extension/concern", new { text = "   " }))
        {
            empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().ShouldBe("empty");
        }

        const string worry = "Someone in a game keeps asking me to send photos and says not to tell anyone.";
        using (var sent = await client.PostAsJsonAsync("/api/v1/extension/concern", new { text = worry }))
        {
            sent.StatusCode.ShouldBe(HttpStatusCode.OK, await sent.Content.ReadAsStringAsync());
        }

        var ruby = await InScopeAsync(server, db => db.People.AsNoTracking().SingleAsync(p => p.SchoolId == StClements && p.Email == Pupil));
        var incident = await InScopeAsync(server, db => db.Set<Incident>().AsNoTracking().SingleAsync(i => i.SchoolId == StClements));
        incident.Kind.ShouldBe(IncidentKinds.Safeguarding);
        incident.Title.ShouldBe(AgreeApi.ConcernTitle);
        incident.CreatedBy.ShouldBe("Ruby Okafor (Brightline for Chrome)");
        (await InScopeAsync(server, db => db.Set<IncidentPerson>().AsNoTracking().Where(p => p.IncidentId == incident.Id).Select(p => p.PersonId).ToListAsync()))
            .ShouldBe([ruby.Id]);
        (await InScopeAsync(server, db => db.Set<IncidentEntry>().AsNoTracking().Where(e => e.IncidentId == incident.Id).Select(e => e.Text).ToListAsync()))
            .ShouldContain(worry);

        // W5: the safeguarding register's routing tells the DSL, with a link and no details, as for any safeguarding report.
        var emails = await InScopeAsync(server, db => db.EmailRecords.AsNoTracking().Where(e => e.SchoolId == StClements).ToListAsync());
        emails.ShouldContain(e => e.Recipient == "dsl@staff.test" && e.Purpose == "incident-created");
        emails.ShouldNotContain(e => e.Recipient == Pupil);
        var delivered = await server.Smtp.WaitForAsync(m => m.Contains("dsl@staff.test", StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(20));
        delivered.ShouldNotContain("photos");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Heartbeat_SilenceInSchoolHoursAlertsItAndTheDslOnce_NotOutsideHours_AndARemovalAlertsAtOnce(DatabaseProvider provider)
    {
        // Westbrook Hay's own file: a school day from 08:30 to 16:00, and the documented default of 20 silent minutes.
        await using var server = await StartAsync(provider, Westbrook);
        var token = await EnrolPupilAsync(server, Westbrook);
        using var client = Client(server, token);

        async Task BeatAsync()
        {
            using var response = await client.PostAsync("/api/v1/extension/heartbeat", null);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        async Task<int> CheckAsync()
        {
            await using var scope = server.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<TamperAlerts>().CheckSilenceAsync(CancellationToken.None);
        }

        Task<List<MonitoringAlert>> AlertsAsync() =>
            InScopeAsync(server, db => db.Set<MonitoringAlert>().AsNoTracking().Where(a => a.Category == TamperAlerts.Category).OrderBy(a => a.Id).ToListAsync());

        await BeatAsync();
        var beat = await InScopeAsync(server, db => db.Set<ExtensionToken>().AsNoTracking().SingleAsync());
        beat.LastHeartbeatAt.ShouldBe(server.Clock.GetUtcNow());

        // 19 minutes of silence is within the limit; 21 is over it: one alert, however many passes follow.
        server.Clock.Advance(TimeSpan.FromMinutes(19));
        await CheckAsync();
        (await AlertsAsync()).ShouldBeEmpty();
        server.Clock.Advance(TimeSpan.FromMinutes(2));
        await CheckAsync();
        server.Clock.Advance(TimeSpan.FromMinutes(30));
        await CheckAsync();
        await CheckAsync();
        var alert = (await AlertsAsync()).ShouldHaveSingleItem();
        alert.Phrase.ShouldBe(TamperAlerts.SilentPhrase);
        alert.PersonId.ShouldBe(beat.PersonId);
        alert.DeviceId.ShouldBe(beat.Id);
        alert.Status.ShouldBe(MonitoringAlertStatus.Open);
        alert.Context!.ShouldContain("Chromebook 7");
        var emails = await InScopeAsync(server, db => db.EmailRecords.AsNoTracking().Where(e => e.Purpose == "extension-tamper").Select(e => e.Recipient).ToListAsync());
        emails.ShouldBe(["it@staff.test", "dsl@staff.test"], ignoreOrder: true);

        // A beat ends the silence; the next silence is a new one, and alerts again.
        await BeatAsync();
        server.Clock.Advance(TimeSpan.FromMinutes(25));
        await CheckAsync();
        (await AlertsAsync()).Count.ShouldBe(2);

        // Outside school hours nothing is alerted: silent from 15:50 to 17:00, the next morning (the silence began
        // yesterday), or on Saturday.
        server.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 15, 50, 0, TimeSpan.Zero));
        await BeatAsync();
        server.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 17, 0, 0, TimeSpan.Zero));
        await CheckAsync();
        server.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero));
        await CheckAsync();
        (await AlertsAsync()).Count.ShouldBe(2);
        server.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));
        await BeatAsync();
        server.Clock.Advance(TimeSpan.FromHours(2));
        await CheckAsync();
        (await AlertsAsync()).Count.ShouldBe(2);

        // Removing the extension opens its uninstall address: an alert at once, the token retired, and the address
        // does nothing the second time.
        using var browser = server.CreateClient();
        using (var removed = await browser.GetAsync($"/extension/removed?token={Uri.EscapeDataString(token)}"))
        {
            removed.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await removed.Content.ReadAsStringAsync()).ShouldContain("The school has been told");
        }

        using (var again = await browser.GetAsync($"/extension/removed?token={Uri.EscapeDataString(token)}"))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var alerts = await AlertsAsync();
        alerts.Count.ShouldBe(3);
        alerts[2].Phrase.ShouldBe(TamperAlerts.RemovedPhrase);
        var row = await InScopeAsync(server, db => db.Set<ExtensionToken>().AsNoTracking().SingleAsync());
        row.RemovedAt.ShouldNotBeNull();
        row.RevokedAt.ShouldNotBeNull();
        (await client.PostAsync("/api/v1/extension/heartbeat", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await InScopeAsync(server, db => db.EmailRecords.AsNoTracking().CountAsync(e => e.Purpose == "extension-tamper"))).ShouldBe(6);
    }
}
