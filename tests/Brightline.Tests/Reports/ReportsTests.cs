using System.Net;
using Brightline.ClientBindings;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Reports;
using Brightline.Safeguarding;
using Brightline.Sanctions;
using Brightline.Tests.Filtering;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Brightline.WebFiltering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Brightline.Portal;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Reports;

/// <summary>The governors' termly report and the annual review pack (issue 5 §5), on real data and the real DNS filter.</summary>
public sealed class ReportsTests
{
    private static async Task<T> WithAsync<T>(BrightlineServer server, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider);
    }

    private static async Task SeedAsync(BrightlineServer server)
    {
        await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var leo = await TestSchool.PersonAsync(server, "A004");
        await WithAsync(server, async s =>
        {
            var incidents = s.GetRequiredService<IncidentService>();
            await incidents.CreateAsync(new NewIncident(TestSchool.Id, "behaviour", "Amelia Jones unkind in chat", [amelia.Id], ["pupil-kind-online"], "Unkind messages.", "h.marsh@school.test"), CancellationToken.None);
            await incidents.CreateAsync(new NewIncident(TestSchool.Id, "behaviour", "Leo Khan unkind in chat", [leo.Id], ["pupil-kind-online", "pupil-tell-adult"], "More unkind messages.", "h.marsh@school.test"), CancellationToken.None);
            await incidents.CreateAsync(new NewIncident(TestSchool.Id, "safeguarding", "Concern about Leo Khan", [leo.Id], [], "A worry.", "h.marsh@school.test"), CancellationToken.None);
            await s.GetRequiredService<SanctionService>().ImposeAsync(
                new ImposeSanction(TestSchool.Id, leo.Id, SanctionKind.WithdrawInternet, "Unkind messages", null, [], "h.marsh@school.test"), CancellationToken.None);

            await s.GetRequiredService<DeviceTokens>().IssueAsync(TestSchool.Id, "ICT suite PC 1", "test", null, CancellationToken.None);
            var db = s.GetRequiredService<BrightlineDbContext>();
            var device = await db.Set<MonitoringDevice>().FirstAsync();
            var now = server.Clock.GetUtcNow();
            var e = new MonitoringEvent { SchoolId = TestSchool.Id, DeviceId = device.Id, ClientEventId = "e1", Kind = MonitoringEventKind.TypedText, OccurredAt = now, ReceivedAt = now, PersonId = leo.Id };
            db.Add(e);
            await db.SaveChangesAsync();
            foreach (var (category, severity, rank, outcome) in new[] { ("bullying", "high", 3, (AlertOutcome?)AlertOutcome.Resolved), ("bullying", "medium", 2, null), ("self-harm", "critical", 4, AlertOutcome.Escalated) })
            {
                db.Add(new MonitoringAlert
                {
                    SchoolId = TestSchool.Id, PersonId = leo.Id, DeviceId = device.Id, Category = category, Severity = severity, SeverityRank = rank,
                    Status = outcome is null ? MonitoringAlertStatus.Open : MonitoringAlertStatus.Closed, Phrase = "secret phrase Leo typed", EventId = e.Id,
                    FirstAt = now, LastAt = now, CreatedAt = now, HitCount = 1, Score = 10, Outcome = outcome,
                });
            }

            await db.SaveChangesAsync();

            // A guest Wi-Fi approval asked for this term (its reason names a visitor, which the report must not show).
            db.Add(new ApprovalRequest
            {
                Id = Guid.NewGuid(), SchoolId = TestSchool.Id, TypeId = "guest_wifi", Kind = "guest_wifi", Status = ApprovalState.Active, RequestedBy = "h.marsh@school.test",
                Reason = "Visit by Mrs Secretvisitor", DurationMinutes = 60, CreatedAt = now,
            });
            await db.SaveChangesAsync();
            return 0;
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task GovernorsReport_CountsTheTermsRecords_AndNamesNobody(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await SeedAsync(server);

        var policy = await WithAsync(server, s => s.GetRequiredService<Brightline.Policies.PolicyStore>().ActiveAsync(TestSchool.Id, CancellationToken.None));
        var term = ReportPeriods.Current(policy, SchoolClock.Today(server.Clock));
        term.ShouldBe(new ReportPeriod(new DateOnly(2026, 9, 3), new DateOnly(2026, 12, 18), "Autumn 2026"), "the policy's own term");
        var summary = await WithAsync(server, s => s.GetRequiredService<GovernorsReport>().SummariseAsync(TestSchool.Id, term, CancellationToken.None));
        summary.Incidents.ShouldBe(3);
        summary.IncidentsByKind.ShouldBe([new LabelledCount("Safeguarding concern", 1), new LabelledCount("Behaviour concern", 2)], ignoreOrder: true);
        summary.ApprovalsByKind.ShouldBe([new LabelledCount("Guest Wi-Fi (O22): active", 1)]);
        summary.IncidentsByRule.ShouldBe([new LabelledCount("pupil-kind-online", 2), new LabelledCount("pupil-tell-adult", 1), new LabelledCount("No rule cited", 1)]);
        summary.IncidentsByOutcome.ShouldBe([new LabelledCount("Still open", 3)]);
        summary.Sanctions.ShouldBe(1);
        summary.Alerts.ShouldBe(3);
        summary.AlertsByCategory.ShouldBe([new LabelledCount("bullying", 2), new LabelledCount("self-harm", 1)]);
        summary.AlertsByOutcome.ShouldContain(new LabelledCount("Awaiting an outcome", 1));
        summary.Compliance.Sum(g => g.People).ShouldBeGreaterThan(0);

        // The previous term holds none of it.
        var summer = ReportPeriods.Resolve(policy, SchoolClock.Today(server.Clock), null, new DateOnly(2026, 4, 1), new DateOnly(2026, 7, 31));
        var empty = await WithAsync(server, s => s.GetRequiredService<GovernorsReport>().SummariseAsync(TestSchool.Id, summer, CancellationToken.None));
        (empty.Incidents + empty.Sanctions + empty.Alerts).ShouldBe(0);

        // The page, as the head: numbers, and no pupil's (or anyone's) name, title or phrase.
        var head = await SignInWithTwoFactorAsync(server, "head@school.test", "head");
        var (response, page) = await GetAsync(head, "/reports/governors");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("#incidents-by-kind")!.TextContent.ShouldContain("Behaviour concern2");
        var text = page.QuerySelector(".report")!.TextContent;
        foreach (var p in await TestSchool.PeopleAsync(server))
        {
            text.ShouldNotContain(p.FamilyName, Case.Sensitive, $"{p.FullName} must not appear in the governors' report");
        }

        text.ShouldNotContain("secret phrase");
        text.ShouldNotContain("unkind in chat");
        text.ShouldNotContain("Secretvisitor");
        page.QuerySelector("#approvals-by-kind")!.TextContent.ShouldContain("Guest Wi-Fi (O22): active1");

        var pdf = await head.GetAsync("/reports/governors?handler=Pdf");
        pdf.StatusCode.ShouldBe(HttpStatusCode.OK);
        pdf.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var pdfText = PdfText.Of(await pdf.Content.ReadAsByteArrayAsync());
        pdfText.ShouldContain("Report to governors");
        pdfText.ShouldNotContain("Khan");

        // A teacher may not see it.
        await CreateUserAsync(server, "teacher@school.test", "teacher");
        var teacher = server.CreateClient();
        await LoginAsync(teacher, "teacher@school.test");
        (await teacher.GetAsync("/reports/governors")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    /// <summary>
    /// Issue 17 defect 6: a pack stored permanently with "0 passed, 0 failed, 168 not run" because the DNS filter was not
    /// running showed nothing about filtering, without a word. The portal now refuses it and asks why; with a reason the
    /// pack is stored and says so, and so does the audit log.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ReviewPack_SelfTestDidNotRun_RefusedUntilTheReasonIsGiven_ThenRecorded(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider); // no DNS filter
        await TestSchool.LoadPolicyAsync(server);
        await SeedAsync(server);
        using var head = await SignInWithTwoFactorAsync(server, "head@school.test", PortalRoles.Head);
        var (_, page) = await GetAsync(head, "/reports/review");
        page.QuerySelector("#WithoutSelfTestBecause").ShouldBeNull("the reason is asked only when the self-test did not run");
        var fields = new Dictionary<string, string> { ["From"] = "2025-12-01", ["To"] = "2026-11-30", ["Actions"] = "No actions" };
        var refused = await SubmitAsync(head, page, "/reports/review", fields, "main form[method=post]");
        var refusedPage = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await refused.Content.ReadAsStringAsync());
        refusedPage.QuerySelector(".banner.bad")!.TextContent.ShouldContain("The self-test of the live DNS filter did not run");
        refusedPage.QuerySelector("#WithoutSelfTestBecause").ShouldNotBeNull();
        (await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().Set<ReviewPack>().CountAsync())).ShouldBe(0, "nothing stored");

        fields["WithoutSelfTestBecause"] = "The DNS filter is being replaced this week; the review could not wait.";
        (await SubmitAsync(head, refusedPage, "/reports/review", fields, "main form[method=post]")).ShouldRedirectTo("/reports/review");
        var pack = await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().Set<ReviewPack>().AsNoTracking().SingleAsync());
        pack.SelfTestPassed.ShouldBe(0);
        pack.Html.ShouldContain("The self-test did not run. head@school.test stored this pack without it, giving the reason: The DNS filter is being replaced this week");
        var audit = await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().AuditEntries.AsNoTracking().SingleAsync(e => e.Action == ReviewPackService.AuditStored));
        audit.Detail!.ShouldContain("stored without a self-test because: The DNS filter is being replaced this week");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ReviewPack_SelfTestAsksTheLiveDnsFilter_AndStoresThePdf(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        await using var server = await BrightlineServer.StartAsync(provider, settings: DnsTestSettings.For(upstream));
        // The pupil VLAN (ks1) and staff VLAN moved to loopback addresses, so this server can ask from inside them.
        await TestSchool.LoadPolicyAsync(server, TestSchool.ExampleYaml
            .Replace("cidr: 10.20.0.0/16, group: ks1", "cidr: 127.0.0.5/32, group: ks1", StringComparison.Ordinal)
            .Replace("cidr: 10.30.0.0/16, group: staff", "cidr: 127.0.0.6/32, group: staff", StringComparison.Ordinal));
        await server.Services.GetRequiredService<FilterService>().RefreshAsync(CancellationToken.None);
        await SeedAsync(server);

        var test = await WithAsync(server, s => s.GetRequiredService<FilterSelfTest>().RunAsync(TestSchool.Id, CancellationToken.None));
        var porn = test.Rows.Single(r => r.Group == "ks1" && r.Category == "pornography");
        porn.Sample.ShouldNotBeNull();
        porn.From.ShouldBe("127.0.0.5");
        porn.ExpectedBlocked.ShouldBe(true);
        porn.Blocked.ShouldBe(true, porn.Detail);
        porn.Result.ShouldBe(SelfTestResults.Pass);
        // Staff may use social networking outside teaching hours only; at 10:00 on a school Wednesday it is blocked (O7), and the filter agrees.
        var social = test.Rows.Single(r => r.Group == "staff" && r.Category == "social-networking");
        social.Result.ShouldBe(SelfTestResults.Pass, social.Detail);
        test.Rows.Where(r => r.From is not null).ShouldAllBe(r => r.Result == SelfTestResults.Pass);
        test.Rows.Single(r => r.Group == "reception" && r.Category == "pornography").Result.ShouldBe(SelfTestResults.NotRun, "no loopback address is in the reception network");

        // The self-test can fail: someone signed in on the ks1 address without a signed agreement gets the portal for every
        // name, so a name the ks1 profile allows no longer resolves — the filter is not doing what the policy says for the group.
        var leo = await TestSchool.PersonAsync(server, "A004");
        server.Services.GetRequiredService<DnsClientBindings>().Bind(IPAddress.Parse("127.0.0.5"), TestSchool.Id, leo.Id, server.Clock.GetUtcNow().AddMinutes(30));
        var bound = await WithAsync(server, s => s.GetRequiredService<FilterSelfTest>().RunAsync(TestSchool.Id, CancellationToken.None));
        var ads = bound.Rows.Single(r => r.Group == "ks1" && r.Category == "advertising");
        ads.ExpectedBlocked.ShouldBe(false);
        ads.Blocked.ShouldBe(true);
        ads.Result.ShouldBe(SelfTestResults.Fail);
        server.Services.GetRequiredService<DnsClientBindings>().Unbind(IPAddress.Parse("127.0.0.5"));

        var pack = await WithAsync(server, s => s.GetRequiredService<ReviewPackService>().CreateAsync(
            TestSchool.Id, ReportPeriods.LastYear(SchoolClock.Today(server.Clock)), "Add a sample list for gambling.\nReview staff schedules in January.", "h.marsh@school.test", CancellationToken.None));
        pack.SelfTestPassed.ShouldBe(test.Passed);
        pack.SelfTestFailed.ShouldBe(0);
        var stored = await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().Set<ReviewPack>().AsNoTracking().SingleAsync());
        stored.CreatedAt.ShouldBe(server.Clock.GetUtcNow());
        stored.Pdf.ShouldNotBeNull();
        stored.Pdf.AsSpan(0, 4).SequenceEqual("%PDF"u8).ShouldBeTrue();
        var pdfText = PdfText.Of(stored.Pdf);
        pdfText.ShouldContain("Annual filtering and monitoring review");
        pdfText.ShouldContain("pornography");
        pdfText.ShouldContain("Review staff schedules in January.");
        stored.Html.ShouldContain("self-test-results");

        // The DSL lists and downloads it (audited); a teacher may not.
        var dsl = await SignInWithTwoFactorAsync(server, "dsl@school.test", "dsl");
        var (response, page) = await GetAsync(dsl, "/reports/review");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelectorAll("#packs tbody tr").Length.ShouldBe(1);
        var download = await dsl.GetAsync($"/reports/review/{pack.Id}/pdf");
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(stored.Pdf);
        (await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().AuditEntries.CountAsync(e => e.Action == ReviewPackService.AuditViewed))).ShouldBe(1);
        await CreateUserAsync(server, "teacher@school.test", "teacher");
        var teacher = server.CreateClient();
        await LoginAsync(teacher, "teacher@school.test");
        (await teacher.GetAsync($"/reports/review/{pack.Id}/pdf")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public void ReportPeriods_TermsFromThePolicyThenTheUsualPattern_AndRangesChecked()
    {
        var policy = Brightline.Policy.PolicyLoader.LoadValid(TestSchool.ExampleYaml, "example.yaml");
        var today = new DateOnly(2026, 11, 25);
        var terms = ReportPeriods.Terms(policy, today);
        terms[0].ShouldBe(new ReportPeriod(new DateOnly(2026, 9, 3), new DateOnly(2026, 12, 18), "Autumn 2026"));
        terms.ShouldNotContain(t => t.Start > today, "a term that has not started has nothing to report");
        var noTerms = policy with { School = policy.School with { Calendar = policy.School.Calendar with { Terms = [] } } };
        ReportPeriods.Current(noTerms, today).ShouldBe(new ReportPeriod(new DateOnly(2026, 9, 1), new DateOnly(2026, 12, 31), "Autumn term 2026/27"));
        ReportPeriods.Current(noTerms, new DateOnly(2027, 2, 10)).Label.ShouldBe("Spring term 2026/27");
        ReportPeriods.Resolve(policy, today, "2026-04-13", null, null).Label.ShouldBe("Summer 2026");
        Should.Throw<DomainException>(() => ReportPeriods.Resolve(policy, today, null, new DateOnly(2026, 9, 1), null)).Message.ShouldContain("both");
        Should.Throw<DomainException>(() => ReportPeriods.Resolve(policy, today, null, new DateOnly(2026, 9, 1), new DateOnly(2026, 8, 1))).Message.ShouldContain("before");
        Should.Throw<DomainException>(() => ReportPeriods.Resolve(policy, today, "2019-01-01", null, null)).Message.ShouldContain("terms listed");
    }

}
