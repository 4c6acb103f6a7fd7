using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.People;
using Brightline.Safeguarding;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Portal.Trends;

/// <summary>
/// Issue 17, "what schools expect and do not find": the charts count what the caller may see at their own school, and
/// the person picker finds people by name, class or admission number among those the caller may see, with or without script.
/// </summary>
public sealed class TrendsAndPickerTests
{
    private static async Task<BrightlineServer> StartTwoSchoolsAsync(DatabaseProvider provider)
    {
        var server = await TestSchool.StartWithPupilsAsync(provider, staff: true);
        await TestSchool.LoadOtherSchoolAsync(server);
        // The other school has pupils with the same names and numbers: nothing of theirs may show here.
        await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv, schoolId: TestSchool.OtherId);
        return server;
    }

    private static async Task<Guid[]> IdsAsync(BrightlineServer server, string schoolId, params string[] numbers)
    {
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var people = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && numbers.Contains(p.ExternalId)).ToListAsync();
        return numbers.Select(n => people.Single(p => p.ExternalId == n).Id).ToArray();
    }

    private static async Task<List<(string Key, string Label, string Number)>> SearchAsync(HttpClient client, string q)
    {
        var response = await client.GetAsync("/people/search?q=" + Uri.EscapeDataString(q));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("key").GetString()!, e.GetProperty("label").GetString()!, e.GetProperty("number").GetString()!)).ToList();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task PersonSearch_ByNameClassOrNumber_OnlyPeopleTheCallerMaySee_OwnSchoolOnly(DatabaseProvider provider)
    {
        await using var server = await StartTwoSchoolsAsync(provider);
        var ownIds = (await IdsAsync(server, TestSchool.Id, "A001", "A002", "A003", "A004")).Select(i => i.ToString()).ToHashSet();
        var otherIds = (await IdsAsync(server, TestSchool.OtherId, "A001", "A002")).Select(i => i.ToString()).ToList();

        var admin = await SignInWithTwoFactorAsync(server, "admin@school.test", "admin");

        // By name (any part, any case), by the whole class, by the start of the admission number.
        var jones = await SearchAsync(admin, "JONES");
        jones.Select(p => p.Number).ShouldContain("A001");
        jones.Select(p => p.Number).ShouldContain("A002");
        jones.ShouldAllBe(p => !otherIds.Contains(p.Key));
        (await SearchAsync(admin, "amelia jon")).Select(p => p.Number).ShouldBe(["A001"]);
        (await SearchAsync(admin, "3 oak")).Select(p => p.Number).ShouldContain("A001");
        (await SearchAsync(admin, "3 oak")).Select(p => p.Number).ShouldNotContain("A002");
        var byNumber = await SearchAsync(admin, "a00");
        byNumber.Select(p => p.Number).Order(StringComparer.Ordinal).ShouldBe(["A001", "A002", "A003", "A004"]);
        byNumber.ShouldAllBe(p => ownIds.Contains(p.Key));
        // The label names the person, their class and number; never an internal ID.
        byNumber.Single(p => p.Number == "A001").Label.ShouldBe("Amelia Jones, 3 Oak, number A001");
        (await SearchAsync(admin, "")).ShouldBeEmpty();
        (await admin.GetAsync("/people/search?q=" + new string('x', 101))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        // A teacher sees only their own class's pupils: one whose account stands for no person (so no class) finds nobody.
        await CreateUserAsync(server, "teacher@school.test", "teacher");
        var teacher = server.CreateClient();
        (await LoginAsync(teacher, "teacher@school.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await SearchAsync(teacher, "jones")).ShouldBeEmpty();
        (await SearchAsync(teacher, "a00")).ShouldBeEmpty();

        // A parent chooses nobody on a staff form: refused.
        await CreateUserAsync(server, "sarah.jones@parents.test", "parent");
        var parent = server.CreateClient();
        (await LoginAsync(parent, "sarah.jones@parents.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await parent.GetAsync("/people/search?q=jones")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The script is served from the portal itself, as its content security policy requires.
        var script = await server.CreateClient().GetAsync("/assets/person-picker.js");
        script.StatusCode.ShouldBe(HttpStatusCode.OK);
        script.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
    }

    /// <summary>Without script: a typed name that fits one person picks them; one that fits several lists them to choose from.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task NewIncident_PickerWithoutScript_TypedNameResolves_UnclearNameListsChoices(DatabaseProvider provider)
    {
        await using var server = await StartTwoSchoolsAsync(provider);
        var amelia = (await IdsAsync(server, TestSchool.Id, "A001"))[0];
        var admin = await SignInWithTwoFactorAsync(server, "admin@school.test", "admin");

        var (_, page) = await GetAsync(admin, "/incidents/new");
        page.QuerySelector("label[for=PersonText]").ShouldNotBeNull();
        page.QuerySelector("script[src='/assets/person-picker.js']").ShouldNotBeNull();
        var fields = new Dictionary<string, string> { ["Kind"] = IncidentKinds.Security, ["Title"] = "Shared a password", ["Text"] = "Told a friend.", ["PersonText"] = "jones" };

        var unclear = await SubmitAsync(admin, page, "/incidents/new", fields);
        unclear.StatusCode.ShouldBe(HttpStatusCode.OK);
        var (_, listed) = await GetAsync(admin, "/incidents/new");
        var html = await unclear.Content.ReadAsStringAsync();
        html.ShouldContain("choose one");
        html.ShouldContain("Amelia Jones, 3 Oak, number A001");
        html.ShouldNotContain(">" + amelia, Case.Sensitive);

        // Choosing from the list (the radio's value) with the same text records the incident about her.
        fields["Person"] = amelia.ToString();
        (await SubmitAsync(admin, listed, "/incidents/new", fields)).ShouldRedirectTo("/incidents/");
        fields.Remove("Person");
        fields["PersonText"] = "amelia";
        (await SubmitAsync(admin, listed, "/incidents/new", fields)).ShouldRedirectTo("/incidents/");

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.Set<IncidentPerson>().AsNoTracking().Select(p => p.PersonId).ToListAsync()).ShouldBe([amelia, amelia]);
    }

    private static Dictionary<string, List<string>> Table(IDocument page, string chartId)
    {
        var table = page.QuerySelector($"#{chartId} table").ShouldNotBeNull($"no table for {chartId}");
        var heads = table.QuerySelectorAll("thead th").Select(h => h.TextContent.Trim()).ToList();
        return table.QuerySelectorAll("tbody tr").ToDictionary(
            r => r.QuerySelector("th")!.TextContent.Trim(),
            r => r.QuerySelectorAll("td").Select((c, i) => $"{heads[i + 1]}={c.TextContent.Trim()}").ToList());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Trends_AlertsPerWeekAndIncidentsPerTerm_CountOwnSchoolOnly(DatabaseProvider provider)
    {
        await using var server = await StartTwoSchoolsAsync(provider);
        var now = server.Clock.GetUtcNow(); // Wednesday 25 November 2026
        await using (var scope = server.CreateScope())
        {
            var s = scope.ServiceProvider;
            var db = s.GetRequiredService<BrightlineDbContext>();
            foreach (var school in new[] { TestSchool.Id, TestSchool.OtherId })
            {
                await s.GetRequiredService<DeviceTokens>().IssueAsync(school, "ICT suite PC", "test", null, CancellationToken.None);
            }

            var devices = await db.Set<MonitoringDevice>().AsNoTracking().ToListAsync();
            // School A: this week two bullying (high, medium), one self-harm (critical); two weeks ago one bullying (low).
            // School B: five critical alerts this week, which school A's chart must not count.
            var alerts = new List<(string School, string Category, string Severity, DateTimeOffset At)>
            {
                (TestSchool.Id, "bullying", "high", now), (TestSchool.Id, "bullying", "medium", now), (TestSchool.Id, "self-harm", "critical", now),
                (TestSchool.Id, "bullying", "low", now.AddDays(-14)),
            };
            alerts.AddRange(Enumerable.Repeat((TestSchool.OtherId, "self-harm", "critical", now), 5));
            var n = 0;
            foreach (var (school, category, severity, at) in alerts)
            {
                var device = devices.First(d => d.SchoolId == school);
                var e = new MonitoringEvent { SchoolId = school, DeviceId = device.Id, ClientEventId = $"e{++n}", Kind = MonitoringEventKind.TypedText, OccurredAt = at, ReceivedAt = at };
                db.Add(e);
                await db.SaveChangesAsync();
                db.Add(new MonitoringAlert
                {
                    SchoolId = school, DeviceId = device.Id, Category = category, Severity = severity, SeverityRank = 1, Status = MonitoringAlertStatus.Open,
                    Phrase = "words", EventId = e.Id, FirstAt = at, LastAt = at, CreatedAt = at, HitCount = 1, Score = 10,
                });
            }

            await db.SaveChangesAsync();

            // Incidents: two this (Autumn 2026) term at school A, one moved back into the Summer term; one at school B.
            var incidents = s.GetRequiredService<IncidentService>();
            await incidents.CreateAsync(new NewIncident(TestSchool.Id, IncidentKinds.Safeguarding, "Phishing", [], [], "Clicked.", "h.marsh@school.test", Notify: false), CancellationToken.None);
            await incidents.CreateAsync(new NewIncident(TestSchool.Id, IncidentKinds.Safeguarding, "Password shared", [], [], "Shared.", "h.marsh@school.test", Notify: false), CancellationToken.None);
            var summer = await incidents.CreateAsync(new NewIncident(TestSchool.Id, IncidentKinds.Safeguarding, "Old one", [], [], "Before.", "h.marsh@school.test", Notify: false), CancellationToken.None);
            await incidents.CreateAsync(new NewIncident(TestSchool.OtherId, IncidentKinds.Safeguarding, "Elsewhere", [], [], "Other school.", "h.marsh@school.test", Notify: false), CancellationToken.None);
            var stored = await db.Set<Incident>().SingleAsync(i => i.Id == summer.Id);
            stored.CreatedAt = new DateTimeOffset(2026, 6, 10, 10, 0, 0, TimeSpan.Zero);
            await db.SaveChangesAsync();
        }

        var dsl = await SignInWithTwoFactorAsync(server, "dsl@school.test", "dsl");
        var (response, page) = await GetAsync(dsl, "/monitoring/trends");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("#alerts-per-week svg[role=img]")!.GetAttribute("aria-label").ShouldNotBeNullOrWhiteSpace();
        var weeks = Table(page, "alerts-per-week");
        weeks.Count.ShouldBe(12);
        weeks["23 Nov"].ShouldBe(["critical=1", "high=1", "medium=1", "low=0", "Total=3"]);
        weeks["9 Nov"].ShouldBe(["critical=0", "high=0", "medium=0", "low=1", "Total=1"]);
        weeks["16 Nov"].Last().ShouldBe("Total=0");
        var categories = Table(page, "alerts-per-category");
        categories.Keys.Count.ShouldBe(2);
        categories.Values.Select(v => v.Last()).ShouldBe(["Total=3", "Total=1"]);

        var (incidentsResponse, incidentsPage) = await GetAsync(dsl, "/incidents/trends");
        incidentsResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        var terms = Table(incidentsPage, "incidents-per-term");
        // The example policy's calendar names its terms; the counts are school A's only.
        static int Count(List<string> cells) => int.Parse(cells.Single().Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
        terms.Values.Sum(Count).ShouldBe(3);
        Count(terms.Last().Value).ShouldBe(2);
        terms.Single(t => t.Key.Contains("Summer", StringComparison.Ordinal) && t.Key.Contains("2026", StringComparison.Ordinal)).Value.ShouldSatisfyAllConditions(v => Count(v).ShouldBe(1));

        // A teacher may not open the alert trends.
        await CreateUserAsync(server, "teacher@school.test", "teacher");
        var teacher = server.CreateClient();
        (await LoginAsync(teacher, "teacher@school.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await teacher.GetAsync("/monitoring/trends")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
