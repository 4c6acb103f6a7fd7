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

    /// <summary>The text of the email delivered to <paramref name="to"/>: sent base64 (it has an em dash), and the outbox clears a sent body.</summary>
    private static async Task<string> DeliveredBodyAsync(BrightlineServer server, string to)
    {
        var email = await server.Smtp.WaitForAsync(m => m.Contains(to, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
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
}
