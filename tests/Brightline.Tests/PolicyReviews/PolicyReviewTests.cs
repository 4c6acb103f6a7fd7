using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.PolicyReviews;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.PolicyReviews;

/// <summary>
/// The review cycle (issue 15 part 7; W12, O23, C22): reminders to the policy's owner ahead of and after the next review,
/// and the review or approval recorded with its date and minute reference, on the seed schools' own policy files.
/// </summary>
public sealed class PolicyReviewTests
{
    private const string StClements = "st-clements";

    private static async Task<T> WithAsync<T>(BrightlineServer server, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider);
    }

    private static Task<List<EmailOutboxMessage>> OutboxAsync(BrightlineServer server) =>
        WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().EmailOutbox.AsNoTracking()
            .Where(m => m.Purpose == PolicyReviewLog.EmailPurpose).OrderBy(m => m.Id).ToListAsync());

    /// <summary>
    /// The text of the email delivered to <paramref name="to"/> (whose text contains <paramref name="bodyContains"/>, when
    /// given): sent base64 (it has an em dash), and the outbox clears a sent body.
    /// </summary>
    private static async Task<string> DeliveredBodyAsync(BrightlineServer server, string to, string? bodyContains = null)
    {
        var email = await server.Smtp.WaitForAsync(
            m => m.Contains(to, StringComparison.Ordinal) && (bodyContains is null || Body(m).Contains(bodyContains, StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        return Body(email);
    }

    private static string Body(string email)
    {
        var split = email.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", 2);
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(split[1].Where(c => !char.IsWhiteSpace(c)))));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C22_StClements_OverdueReview_RemindsTheComputingLeadAndHeadOnceAWeek_UntilAnApprovalIsRecorded(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider); // 25/11/2026; the file's next review is 01/02/2026
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("st-clements.yaml")));
        await CreateUserAsync(server, "sjn@stclements.test", "computing_lead", schoolId: StClements);
        var headAccount = await CreateUserAsync(server, "jp@stclements.test", "head", schoolId: StClements);

        (await WithAsync(server, s => s.GetRequiredService<PolicyReviewLog>().RemindSchoolAsync(StClements, CancellationToken.None))).ShouldBeTrue();
        (await WithAsync(server, s => s.GetRequiredService<PolicyReviewLog>().RemindSchoolAsync(StClements, CancellationToken.None))).ShouldBeFalse("one reminder a week");
        var sent = await OutboxAsync(server);
        sent.Select(m => m.Recipient).ShouldBe(["sjn@stclements.test", "jp@stclements.test"], ignoreOrder: true);
        sent[0].Subject.ShouldBe("St Clement's C of E Primary School: the ICT acceptable-use policy's review is overdue (due 01/02/2026)");
        var body = await DeliveredBodyAsync(server, "sjn@stclements.test");
        body.ShouldContain("owned by SJN (Computing Lead) and approved by Head Teacher, every 12 months");
        body.ShouldContain("/policy/review");

        server.Clock.Advance(TimeSpan.FromDays(7));
        (await WithAsync(server, s => s.GetRequiredService<PolicyReviewLog>().RemindSchoolAsync(StClements, CancellationToken.None))).ShouldBeTrue("the next week's reminder");
        (await OutboxAsync(server)).Count.ShouldBe(4);

        // The head records the approval from the minutes (C22: approved by the Head), with the next review agreed.
        var head = await SignInEnrolledAsync(server, headAccount); // after the clock moved: a session a week old has ended
        var (response, page) = await GetAsync(head, "/policy/review");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, page.DocumentElement.TextContent[..Math.Min(2000, page.DocumentElement.TextContent.Length)]);
        page.QuerySelector(".banner.warn")!.TextContent.ShouldContain("The review is overdue");
        page.QuerySelector("#By")!.GetAttribute("value").ShouldBe("Head Teacher", "the approver the policy names");
        var future = await SubmitAsync(head, page, "/policy/review", new Dictionary<string, string>
        {
            ["Kind"] = "approved", ["On"] = "2027-01-10", ["By"] = "JP (Head Teacher)",
        });
        future.StatusCode.ShouldBe(HttpStatusCode.OK);
        var (_, refused) = await GetAsync(head, "/policy/review"); // the refusal page holds the form again
        (await future.Content.ReadAsStringAsync()).ShouldContain("is in the future; record a review once it has happened");
        (await SubmitAsync(head, refused, "/policy/review", new Dictionary<string, string>
        {
            ["Kind"] = "approved", ["On"] = "2026-11-30", ["By"] = "JP (Head Teacher)", ["MinuteReference"] = "SLT 30/11/26 item 4",
            ["NextReview"] = "2027-11-01", ["Note"] = "Reviewed by SJN; wording on AI tools added.",
        })).ShouldRedirectTo("/policy/review?recorded=true");

        (_, page) = await GetAsync(head, "/policy/review");
        var row = page.QuerySelectorAll("#reviews tbody tr").ShouldHaveSingleItem();
        row.TextContent.ShouldContain("30/11/2026");
        row.TextContent.ShouldContain("SLT 30/11/26 item 4");
        row.TextContent.ShouldContain("01/11/2027");
        page.QuerySelector(".banner.warn").ShouldBeNull("the agreed next review is 11 months away");
        page.QuerySelector("dl.facts")!.TextContent.ShouldContain("agreed at a recorded review; the file says 1 February 2026");
        (await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().AuditEntries
            .CountAsync(e => e.Action == PolicyReviewLog.AuditRecorded && e.Detail!.Contains("SLT 30/11/26 item 4")))).ShouldBe(1);
        var (_, dashboard) = await GetAsync(head, "/");
        dashboard.QuerySelector("main")!.TextContent.ShouldContain("Policy next review: 1 November 2027");

        server.Clock.Advance(TimeSpan.FromDays(7));
        (await WithAsync(server, s => s.GetRequiredService<PolicyReviewLog>().RemindSchoolAsync(StClements, CancellationToken.None))).ShouldBeFalse("nothing is due now");

        // A DSL may read the record but not write it; a teacher may not open it.
        var dsl = await SignInWithTwoFactorAsync(server, "dsl@stclements.test", "dsl", schoolId: StClements);
        (_, page) = await GetAsync(dsl, "/policy/review");
        page.QuerySelector("#reviews").ShouldNotBeNull();
        page.QuerySelector("form #By").ShouldBeNull();
        await CreateUserAsync(server, "teacher@stclements.test", "teacher", schoolId: StClements);
        var teacher = server.CreateClient();
        await LoginAsync(teacher, "teacher@stclements.test");
        (await teacher.GetAsync("/policy/review")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task O23_WestbrookHay_TheHourlyWorkerEmailsTheHead_NamingTheSchool(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?> { ["Brightline:PolicyReviews:RemindOwners"] = "true" });
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("westbrook-hay.yaml")));
        // The policy's owner is "Senior Deputy Head", not a portal role: the head is told (the governing body approves, O23).
        await CreateUserAsync(server, "head@westbrookhay.test", "head", schoolId: "westbrook-hay");
        server.Clock.Advance(TimeSpan.FromHours(1));
        for (var i = 0; i < 100 && (await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().Set<PolicyReviewReminder>().CountAsync())) == 0; i++)
        {
            await Task.Delay(100);
        }

        (await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().Set<PolicyReviewReminder>().CountAsync())).ShouldBe(1, "the worker's pass");
        var email = await server.Smtp.WaitForAsync(m => m.Contains("head@westbrookhay.test", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        email.ShouldContain("Westbrook Hay");
        var body = await DeliveredBodyAsync(server, "head@westbrookhay.test");
        body.ShouldContain("The review was due on 31 March 2024");
        body.ShouldContain("Sent by Brightline for Westbrook Hay");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task W10_Wetherby_IctCoordinatorReportsAWeakness_HeadIsTold_AndItStaysListedUntilTheNextReview(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider); // 25/11/2026; Wetherby's next review was 01/06/2026
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("wetherby.yaml")));
        var coordinatorAccount = await CreateUserAsync(server, "ict@wetherby.test", "computing_lead", schoolId: "wetherby");
        var headAccount = await CreateUserAsync(server, "head@wetherby.test", "head", schoolId: "wetherby");

        // W10 (line 108 of the seed): staff report weaknesses in network security to the ICT Coordinator — the security register tells them.
        var policy = await WithAsync(server, s => s.GetRequiredService<Brightline.Policies.PolicyStore>().ActiveAsync("wetherby", CancellationToken.None));
        policy.Incidents.Find("security")!.Notify.ShouldContain("computing_lead");

        var coordinator = await SignInEnrolledAsync(server, coordinatorAccount);
        var (_, page) = await GetAsync(coordinator, "/policy/review");
        page.QuerySelector("#open-weaknesses").ShouldBeNull();
        var missing = await SubmitAsync(coordinator, page, "/policy/review", new Dictionary<string, string> { ["On"] = "2026-11-24" }, "#weakness-form");
        missing.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await missing.Content.ReadAsStringAsync()).ShouldContain("Describe the weakness");
        (await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().Set<PolicyReviewRecord>().CountAsync())).ShouldBe(0, "nothing stored from a refused form");

        (await SubmitAsync(coordinator, page, "/policy/review", new Dictionary<string, string>
        {
            ["On"] = "2026-11-24", ["Note"] = "Year 6 found the filter lets through proxy sites on the guest Wi-Fi; move guests to the pupil profile.",
        }, "#weakness-form")).ShouldRedirectTo("/policy/review?recorded=true");
        (_, page) = await GetAsync(coordinator, "/policy/review");
        var listed = page.QuerySelector("#open-weaknesses")!.TextContent;
        listed.ShouldContain("24/11/2026, ict@wetherby.test: Year 6 found the filter lets through proxy sites");

        // The head (the owner) is told with a link; the reporter is not emailed about their own report.
        var told = await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().EmailOutbox.AsNoTracking()
            .Where(m => m.Purpose == PolicyReviewLog.WeaknessEmailPurpose).ToListAsync());
        told.Select(m => m.Recipient).ShouldBe(["head@wetherby.test"]);
        told[0].Subject.ShouldBe("Wetherby School Kensington: a weakness in how the ICT acceptable-use policy is working was reported");
        var body = await DeliveredBodyAsync(server, "head@wetherby.test");
        body.ShouldContain("ict@wetherby.test reported a weakness on 24 November 2026");
        body.ShouldNotContain("proxy", Case.Insensitive);

        // The overdue review's reminder counts it.
        (await WithAsync(server, s => s.GetRequiredService<PolicyReviewLog>().RemindSchoolAsync("wetherby", CancellationToken.None))).ShouldBeTrue();
        var reminder = await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().EmailOutbox.AsNoTracking()
            .Where(m => m.Purpose == PolicyReviewLog.EmailPurpose).Select(m => m.Id).ToListAsync());
        reminder.Count.ShouldBe(1);
        var reminderBody = await DeliveredBodyAsync(server, "head@wetherby.test", "The review was due on");
        reminderBody.ShouldContain("1 weakness has been reported since the last review (W10)");

        // Once the governors' review is recorded the weakness has been considered: the list starts again.
        var head = await SignInEnrolledAsync(server, headAccount);
        (_, page) = await GetAsync(head, "/policy/review");
        (await SubmitAsync(head, page, "/policy/review", new Dictionary<string, string>
        {
            ["Kind"] = "approved", ["On"] = "2026-11-25", ["By"] = "Governors", ["MinuteReference"] = "FGB 25/11/26 item 6",
        }, "main form:not(#weakness-form)")).ShouldRedirectTo("/policy/review?recorded=true");
        (_, page) = await GetAsync(head, "/policy/review");
        page.QuerySelector("#open-weaknesses").ShouldBeNull();
        page.QuerySelector("#reviews")!.TextContent.ShouldContain("Weakness reported");
        (await WithAsync(server, s => s.GetRequiredService<PolicyReviewLog>().StatusAsync("wetherby", CancellationToken.None))).LastRecord!.Kind.ShouldBe("approved");
    }
}
