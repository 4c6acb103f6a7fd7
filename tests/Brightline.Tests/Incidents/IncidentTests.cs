using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Incidents;

public sealed class IncidentTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Incident_CreatedWithTimeline_CorrectionAppends_OthersRefused(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        var amelia = await TestSchool.PersonAsync(server, "A001");

        var dsl = await Brightline.Tests.Portal.PortalTestKit.SignInWithTwoFactorAsync(server, "dsl@school.test", "dsl");
        var path = $"/incidents/new?person={amelia.Id}";
        var (response, page) = await GetAsync(dsl, path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        // Issue 17 defect 6: the rules breached are chosen from the policy's rules, and a rule it does not have is refused.
        page.QuerySelectorAll("#RuleIds option").Select(o => o.GetAttribute("value")).ShouldContain("pupil-kind-online");
        var unknownRule = await SubmitAsync(dsl, page, path, new Dictionary<string, string>
        {
            ["Kind"] = "safeguarding", ["Title"] = "Cites a rule the policy lacks", ["RuleIds"] = "not-a-rule", ["Text"] = "Should not be stored.",
        });
        unknownRule.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await unknownRule.Content.ReadAsStringAsync()).ShouldContain("&quot;not-a-rule&quot; is not a rule in the school&#x27;s policy");
        var created = await SubmitAsync(dsl, page, path, new Dictionary<string, string>
        {
            ["Kind"] = "safeguarding",
            ["Title"] = "Upsetting messages in a game chat",
            ["RuleIds"] = "pupil-tell-adult, pupil-kind-online",
            ["Text"] = "Amelia told her teacher at 10:15 on Tuesday.",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var detail = created.Headers.Location!.ToString().Split('?')[0];
        detail.ShouldStartWith("/incidents/", Case.Sensitive);

        // A correction is a new entry naming the one it corrects; the original stays as written.
        var (_, incidentPage) = await GetAsync(dsl, detail);
        var firstId = incidentPage.QuerySelector("ol.timeline li")!.Id!["entry-".Length..];
        (await SubmitAsync(dsl, incidentPage, detail, new Dictionary<string, string> { ["text"] = "It was 10:50, not 10:15.", ["corrects"] = firstId }))
            .ShouldRedirectTo(detail);
        var (_, after) = await GetAsync(dsl, detail);
        // The routing emails are on the timeline too, as a restricted entry the DSL can read.
        var entries = after.QuerySelectorAll("ol.timeline li").Select(li => li.TextContent).Where(t => !t.Contains("People told", StringComparison.Ordinal)).ToList();
        entries.Count.ShouldBe(2);
        entries[0].ShouldContain("10:15 on Tuesday");
        entries[0].ShouldContain("Corrected by a later entry");
        entries[1].ShouldContain("corrects entry 1", customMessage: "cited by its number in the timeline, not its database ID (issue 17 defect 6)");
        after.QuerySelectorAll("#Corrects option").Skip(1).Select((o, n) => o.TextContent.StartsWith($"Entry {n + 1} (", StringComparison.Ordinal)).ShouldAllBe(numbered => numbered);
        after.Body!.TextContent.ShouldContain(amelia.FullName);
        after.Body.TextContent.ShouldContain("pupil-tell-adult");

        // A teacher who did not record it cannot read it; a parent cannot record incidents.
        await CreateUserAsync(server, "teacher@school.test", "teacher");
        var teacher = server.CreateClient();
        (await LoginAsync(teacher, "teacher@school.test")).ShouldRedirectTo("/");
        (await teacher.GetAsync(detail)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await CreateUserAsync(server, "parent@parents.test", "parent");
        var parent = server.CreateClient();
        await LoginAsync(parent, "parent@parents.test");
        (await parent.GetAsync("/incidents/new")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.Set<Incident>().SingleAsync()).Status.ShouldBe(IncidentStatus.Open);
        (await db.Set<IncidentPerson>().SingleAsync()).PersonId.ShouldBe(amelia.Id);
        (await db.Set<IncidentEntry>().CountAsync(e => e.Kind != IncidentEntryKind.Notified)).ShouldBe(2);
        var audit = await db.AuditEntries.AsNoTracking().ToListAsync();
        audit.Count(a => a.Action == IncidentService.AuditCreate).ShouldBe(1);
        audit.Count(a => a.Action == IncidentService.AuditEntry).ShouldBe(1);
    }
}
