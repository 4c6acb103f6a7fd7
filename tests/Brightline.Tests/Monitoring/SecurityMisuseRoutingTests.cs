using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Monitoring;
using Brightline.People;
using Brightline.Policy.Model;
using Brightline.Portal;
using Brightline.Safeguarding;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Monitoring.MonitoringTestKit;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Monitoring;

/// <summary>
/// H12 (Westbrook Hay: "not enter into activities such as packet sniffing and port scanning"): the monitor raises a
/// security-misuse alert, the policy's <c>monitoring.categories.security-misuse.notify: [it_support]</c> emails IT
/// support (a link, no captured text), and IT support may open that category's alerts only — never a self-harm
/// alert of the same school — while the DSL still sees, and is still emailed about, everything.
/// </summary>
public sealed class SecurityMisuseRoutingTests
{
    private const string School = "westbrook-hay";
    private const string PortScan = "how do i port scan the school network with nmap";
    private const string SelfHarm = "i want to die tonight";

    [Fact]
    public void H12_PolicyCategoryIds_AreTheEnginesCategories() =>
        MonitoringCategoryIds.All.ShouldBe(MonitoringCategories.All.Select(c => c.Key));

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task H12_WestbrookHay_PortScan_AlertsAndEmailsItSupport_WhoSeesOnlyThatCategory(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?> { ["Brightline:Monitoring:Worker"] = "false" });
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("westbrook-hay.yaml")));
        (await TestSchool.ImportAsync(server, ImportKind.Pupils, """
            Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date
            H001,Milo,Ashdown,Year 7,7A,01/09/2020
            H002,Nia,Brook,Year 8,8B,01/09/2019
            """, schoolId: School)).Errors.ShouldBeEmpty();
        var milo = await TestSchool.PersonAsync(server, "H001");
        var nia = await TestSchool.PersonAsync(server, "H002");
        var itUser = await CreateUserAsync(server, "it@westbrookhay.test", PortalRoles.ItSupport, schoolId: School);
        var dslUser = await CreateUserAsync(server, "dsl@westbrookhay.test", PortalRoles.Dsl, schoolId: School);

        string token;
        await using (var scope = server.CreateScope())
        {
            token = (await scope.ServiceProvider.GetRequiredService<DeviceTokens>().IssueAsync(School, "Library PC 3", "test", null, CancellationToken.None)).Token;
        }

        using var agent = DeviceClient(server, token);
        var (posted, _) = await PostAsync(agent, Event("h12-1", text: PortScan, person: milo.Id), Event("h12-2", text: SelfHarm, person: nia.Id));
        posted.StatusCode.ShouldBe(HttpStatusCode.OK);
        await ScoreAsync(server);

        var alerts = await AllAsync<MonitoringAlert>(server);
        var misuse = alerts.Single(a => a.PersonId == milo.Id);
        misuse.SchoolId.ShouldBe(School);
        misuse.Category.ShouldBe(MonitoringCategories.SecurityMisuse);
        misuse.SeverityRank.ShouldBeGreaterThanOrEqualTo((int)Severity.Medium);
        misuse.SeverityRank.ShouldBeLessThan((int)Severity.Critical, "misuse is IT support's, not a safeguarding emergency");
        var selfHarm = alerts.Single(a => a.PersonId == nia.Id);
        selfHarm.Category.ShouldBe(MonitoringCategories.SelfHarm);
        selfHarm.Severity.ShouldBe("critical");

        // IT support is emailed about the misuse alert only: which school, a link, nothing captured.
        var outbox = await AllAsync<EmailOutboxMessage>(server);
        var toIt = outbox.Where(m => m.Recipient == "it@westbrookhay.test").ShouldHaveSingleItem();
        toIt.SchoolId.ShouldBe(School);
        toIt.Purpose.ShouldBe("monitoring-alert-category");
        toIt.Subject.ShouldContain("Westbrook Hay");
        toIt.TextBody.ShouldContain("Westbrook Hay");
        toIt.TextBody.ShouldContain($"/monitoring/alerts/{misuse.Id}");
        foreach (var secret in new[] { "nmap", "port scan", "Milo", "Ashdown", "security-misuse", "hack" })
        {
            (toIt.Subject + toIt.TextBody).ShouldNotContain(secret, Case.Insensitive);
        }

        // The DSL is still emailed about the critical self-harm alert (a separate entry kind: the category email
        // never counts as the DSL's notification), and IT support is not.
        outbox.ShouldContain(m => m.Recipient == "dsl@westbrookhay.test" && m.TextBody.Contains($"/monitoring/alerts/{selfHarm.Id}"));
        var entries = await AllAsync<MonitoringAlertEntry>(server);
        entries.Where(e => e.Kind == AlertEntryKind.CategoryNotified).Select(e => (e.AlertId, e.Recipient, e.Role))
            .ShouldBe([(misuse.Id, "it@westbrookhay.test", RoleKeys.ItSupport)]);
        entries.ShouldContain(e => e.Kind == AlertEntryKind.Notified && e.AlertId == selfHarm.Id && e.Recipient == "dsl@westbrookhay.test");
        entries.ShouldNotContain(e => e.Kind == AlertEntryKind.Notified && e.AlertId == misuse.Id);

        // A second pass emails nobody again.
        await ScoreAsync(server);
        (await AllAsync<EmailOutboxMessage>(server)).Count.ShouldBe(outbox.Count);

        // IT support: the queue holds the misuse alert only; it opens; the self-harm alert is not found, nor its screenshot.
        using var it = await SignInEnrolledAsync(server, itUser);
        var (queueResponse, queue) = await GetAsync(it, "/monitoring?status=all");
        queueResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        queue.QuerySelectorAll("#alerts tbody tr").Select(r => r.TextContent).ShouldHaveSingleItem().ShouldContain(MonitoringCategories.SecurityMisuse);
        queue.QuerySelectorAll("#category option").Select(o => o.GetAttribute("value")).ShouldBe(["", MonitoringCategories.SecurityMisuse]);
        var (filtered, onlySelfHarm) = await GetAsync(it, "/monitoring?status=all&category=self-harm");
        filtered.StatusCode.ShouldBe(HttpStatusCode.OK);
        onlySelfHarm.QuerySelectorAll("#alerts tbody tr").ShouldBeEmpty();

        var (opened, page) = await GetAsync(it, $"/monitoring/alerts/{misuse.Id}");
        opened.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("#capture mark")!.TextContent.ShouldNotBeNullOrWhiteSpace();
        (await GetAsync(it, $"/monitoring/alerts/{selfHarm.Id}")).Response.StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Forbidden);
        (await it.GetAsync($"/monitoring/alerts/{selfHarm.Id}?handler=Screenshot")).StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Forbidden);
        (await GetAsync(it, "/monitoring/permissions")).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "asking to read email content (H17) is the monitoring viewers' alone");

        // IT support reading it does not stop the DSL's escalation of a critical alert; the DSL sees both.
        (await AllAsync<MonitoringAlert>(server)).Single(a => a.Id == misuse.Id).OpenedAt.ShouldBeNull();
        using var dsl = await SignInEnrolledAsync(server, dslUser);
        var (_, dslQueue) = await GetAsync(dsl, "/monitoring?status=all");
        dslQueue.QuerySelectorAll("#alerts tbody tr").Length.ShouldBe(2);
        (await GetAsync(dsl, $"/monitoring/alerts/{selfHarm.Id}")).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await GetAsync(dsl, $"/monitoring/alerts/{misuse.Id}")).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
