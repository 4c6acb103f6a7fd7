using System.Net;
using System.Text.Json;
using Brightline.Consents;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.People;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Consents;

/// <summary>
/// Photo and media consent on St Clement's own policy (policies/st-clements.yaml): C14 "no image published without written
/// parental consent and the child's verbal consent … the consent list is consulted before posting", and F11's "within
/// each child's photo permissions", in a running portal on both databases.
/// </summary>
public sealed class ConsentRegisterTests
{
    private const string School = "st-clements";
    private const string Website = "website-photos";

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider, DateTimeOffset? now = null)
    {
        var server = await BrightlineServer.StartAsync(provider, now);
        try
        {
            await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("st-clements.yaml")));
            await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv, schoolId: School);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static ConsentActor Office => new(School, "office-user", "office@stclements.test");

    private static async Task RecordAsync(BrightlineServer server, Guid child, string question, bool given, ConsentMethod method, string? note = null)
    {
        await using var scope = server.CreateScope();
        var register = scope.ServiceProvider.GetRequiredService<ConsentRegister>();
        await register.RecordAsync(Office, child, question, given, method, null, method == ConsentMethod.ChildVerbal ? null : "Sarah Jones", note, CancellationToken.None);
    }

    private static async Task<PublicationCheck> CheckAsync(BrightlineServer server, string channel, params Guid[] children)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ConsentRegister>().CheckPublicationAsync(School, children, channel, "test", CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C14_ParentalYesWithoutVerbal_NotAllowed_BothYes_Allowed_ThenWithdrawalTakesEffect(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var amelia = await TestSchool.PersonAsync(server, "A001");

        // Never asked: counts as no.
        var before = await CheckAsync(server, "website", amelia.Id);
        before.Allowed.ShouldBeFalse();
        before.Gaps.Single().Reason.ShouldBe("Amelia J. has no parental consent and no verbal consent of their own for the school website (not answered this year)");

        // C14: the parent's written yes alone is not enough.
        await RecordAsync(server, amelia.Id, Website, true, ConsentMethod.Paper);
        var parentOnly = await CheckAsync(server, "website", amelia.Id);
        parentOnly.Allowed.ShouldBeFalse("C14: the child's verbal consent is needed too");
        parentOnly.Gaps.Single().LacksVerbal.ShouldBeTrue();
        parentOnly.Gaps.Single().LacksParental.ShouldBeFalse();
        parentOnly.Gaps.Single().Reason.ShouldBe("Amelia J. has not given their own verbal consent for the school website");

        await RecordAsync(server, amelia.Id, Website, true, ConsentMethod.ChildVerbal);
        var both = await CheckAsync(server, "website", amelia.Id);
        both.Allowed.ShouldBeTrue();
        both.Reminders.ShouldContain(r => r.StartsWith("First names only", StringComparison.Ordinal));
        both.Reminders.ShouldContain(r => r.Contains("home address", StringComparison.Ordinal));

        // Social media is another question: the website answers give nothing there.
        (await CheckAsync(server, "social_media", amelia.Id)).Allowed.ShouldBeFalse();

        // A withdrawal is a newer "no", with a note; it takes effect at once and the earlier answers stay.
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        await using (var scope = server.CreateScope())
        {
            var register = scope.ServiceProvider.GetRequiredService<ConsentRegister>();
            await Should.ThrowAsync<Brightline.Kernel.InvalidException>(() =>
                register.RecordAsync(Office, amelia.Id, Website, false, ConsentMethod.Withdrawal, null, "Sarah Jones", null, CancellationToken.None));
        }

        await RecordAsync(server, amelia.Id, Website, false, ConsentMethod.Withdrawal, "Mother phoned the office, 25/11/2026");
        var withdrawn = await CheckAsync(server, "website", amelia.Id);
        withdrawn.Allowed.ShouldBeFalse();
        withdrawn.Gaps.Single().Reason.ShouldBe("Amelia J. has no parental consent for the school website (a parent said no)");

        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            (await db.Set<ConsentAnswer>().CountAsync(a => a.SchoolId == School && a.ChildId == amelia.Id)).ShouldBe(3, "nothing is deleted");
            var audited = await db.AuditEntries.Where(e => e.SchoolId == School && e.Action.StartsWith("consent-")).Select(e => e.Action).ToListAsync();
            audited.Count(a => a == ConsentAuditActions.Answered).ShouldBe(2);
            audited.ShouldContain(ConsentAuditActions.Withdrawn);
            audited.ShouldContain(ConsentAuditActions.Checked);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C14_LastYearsAnswer_DoesNotCount_AfterTheAcademicYearRolls(DatabaseProvider provider)
    {
        // 31 August 2026, the last day of 2025/26 (St Clement's academic_year_start is 09-01).
        await using var server = await StartAsync(provider, new DateTimeOffset(2026, 8, 31, 10, 0, 0, TimeSpan.Zero));
        var leo = await TestSchool.PersonAsync(server, "A004");
        await RecordAsync(server, leo.Id, Website, true, ConsentMethod.Paper);
        await RecordAsync(server, leo.Id, Website, true, ConsentMethod.ChildVerbal);
        (await CheckAsync(server, "website", leo.Id)).Allowed.ShouldBeTrue();

        server.Clock.Advance(TimeSpan.FromDays(2)); // 2 September 2026: 2026/27
        var rolled = await CheckAsync(server, "website", leo.Id);
        rolled.Allowed.ShouldBeFalse("renew: yearly — last year's answers do not count");
        rolled.Gaps.Single().LacksParental.ShouldBeTrue();
        rolled.Gaps.Single().LacksVerbal.ShouldBeTrue();

        await using var scope = server.CreateScope();
        var state = (await scope.ServiceProvider.GetRequiredService<ConsentRegister>().ForChildAsync(School, leo.Id, CancellationToken.None)).ShouldNotBeNull();
        state.For(Website)!.Parental.ShouldBe(ConsentState.NotAsked);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C14_F11_ClassList_ShowsNamesNotIds_SearchesAndExportsCsv_NotForParents(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        await RecordAsync(server, amelia.Id, Website, true, ConsentMethod.Paper);

        await CreateUserAsync(server, "sbm@stclements.test", "business_manager", schoolId: School);
        var office = server.CreateClient();
        (await LoginAsync(office, "sbm@stclements.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (response, page) = await GetAsync(office, "/consents?class=3%20Oak");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var table = page.QuerySelector("#consent-list").ShouldNotBeNull();
        var row = table.QuerySelector("tbody tr").ShouldNotBeNull();
        row.QuerySelector("th")!.TextContent.Trim().ShouldBe("Amelia Jones");
        table.TextContent.ShouldNotContain(amelia.Id.ToString());
        var cells = row.QuerySelectorAll("td.c").Select(c => string.Join(' ', c.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToList();
        cells[0].ShouldBe("Parent: ✓ yes Child: – not asked");
        cells[1].ShouldBe("Parent: – not asked Child: – not asked");
        page.QuerySelectorAll(".class-picker a").Select(a => a.TextContent).ShouldBe(["R Oak", "1 Ash", "3 Oak", "5 Ash"]);

        var csv = await office.GetStringAsync("/consents?handler=csv&class=3%20Oak");
        csv.ShouldContain("Amelia Jones,3 Oak,yes,not asked,not asked,not asked");

        // Search by name across the school.
        var (_, found) = await GetAsync(office, "/consents?q=jones");
        found.QuerySelectorAll("#search-list tbody th").Select(t => t.TextContent.Trim()).ShouldBe(["Amelia Jones (3 Oak)", "Noah Jones (1 Ash)"]);

        // A pupil (or parent) cannot open the consent list.
        await CreateUserAsync(server, "parent@stclements.test", "parent", schoolId: School);
        var parent = server.CreateClient();
        await LoginAsync(parent, "parent@stclements.test");
        (await parent.GetAsync("/consents")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C14_WithdrawalOnTheChildPage_AsksForConfirmationFirst(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        await RecordAsync(server, amelia.Id, Website, true, ConsentMethod.Paper);
        await CreateUserAsync(server, "sbm@stclements.test", "business_manager", schoolId: School);
        var office = server.CreateClient();
        await LoginAsync(office, "sbm@stclements.test");
        var path = $"/consents/children/{amelia.Id}";
        var (_, page) = await GetAsync(office, path);
        var fields = new Dictionary<string, string> { ["Question"] = Website, ["ParentName"] = "Sarah Jones", ["Note"] = "Letter from mother, 24/11/2026" };
        var ask = await SubmitAsync(office, page, path + "?handler=Withdraw", fields, "#withdraw-form");
        ask.StatusCode.ShouldBe(HttpStatusCode.OK);
        var confirmPage = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await ask.Content.ReadAsStringAsync());
        confirmPage.QuerySelector("#confirm-withdrawal").ShouldNotBeNull();
        await using (var scope = server.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<ConsentAnswer>().CountAsync()).ShouldBe(1, "nothing recorded before confirmation");
        }

        var confirmed = await SubmitAsync(office, confirmPage, path + "?handler=Withdraw", new Dictionary<string, string>(), "#confirm-withdrawal");
        confirmed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (_, after) = await GetAsync(office, path + "?recorded=1");
        after.QuerySelector("#history tbody tr td:nth-child(4)")!.TextContent.ShouldBe("Withdrawal");
        after.QuerySelector("#current tbody tr td")!.TextContent.ShouldContain("no");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C14_Api_ListAndCheck_BadChannelIsProblemDetailsNamingTheField(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var noah = await TestSchool.PersonAsync(server, "A002");
        await RecordAsync(server, amelia.Id, Website, true, ConsentMethod.Paper);
        await RecordAsync(server, amelia.Id, Website, true, ConsentMethod.ChildVerbal);
        using var api = server.CreateApiClient();

        var list = JsonDocument.Parse(await api.GetStringAsync("/api/v1/consents?school=st-clements&class=3%20Oak")).RootElement;
        list.GetProperty("academicYear").GetString().ShouldBe("2026/27");
        var child = list.GetProperty("children")[0];
        child.GetProperty("name").GetString().ShouldBe("Amelia Jones");
        var website = child.GetProperty("consents").EnumerateArray().Single(c => c.GetProperty("question").GetString() == Website);
        website.GetProperty("parental").GetString().ShouldBe("yes");
        website.GetProperty("verbal").GetString().ShouldBe("yes");
        website.GetProperty("allowed").GetBoolean().ShouldBeTrue();

        var ok = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/consents/check?school=st-clements&channel=website&children={amelia.Id}")).RootElement;
        ok.GetProperty("allowed").GetBoolean().ShouldBeTrue();

        var no = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/consents/check?school=st-clements&channel=website&children={amelia.Id},{noah.Id}")).RootElement;
        no.GetProperty("allowed").GetBoolean().ShouldBeFalse();
        var missing = no.GetProperty("missing")[0];
        missing.GetProperty("firstName").GetString().ShouldBe("Noah");
        missing.GetProperty("parental").GetBoolean().ShouldBeTrue();

        var bad = await api.GetAsync($"/api/v1/consents/check?school=st-clements&channel=tiktok&children={amelia.Id}");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        bad.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("field").GetString().ShouldBe("channel");
        problem.GetProperty("detail").GetString()!.ShouldContain("'tiktok' is not a publication channel");

        var badId = JsonDocument.Parse(await (await api.GetAsync("/api/v1/consents/check?school=st-clements&channel=website&children=nope")).Content.ReadAsStringAsync()).RootElement;
        badId.GetProperty("field").GetString().ShouldBe("children");
        var noClass = JsonDocument.Parse(await (await api.GetAsync("/api/v1/consents?school=st-clements&class=9%20Nowhere")).Content.ReadAsStringAsync()).RootElement;
        noClass.GetProperty("field").GetString().ShouldBe("class");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C14_ParentLink_RecordsAnswersOnlyForTheParentsOwnChildren_Once(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var noah = await TestSchool.PersonAsync(server, "A002");
        var leo = await TestSchool.PersonAsync(server, "A004");   // another family's child
        var sarah = (await TestSchool.PeopleAsync(server)).Single(p => p.Email == "sarah.jones@parents.test");
        string token;
        await using (var scope = server.CreateScope())
        {
            token = await scope.ServiceProvider.GetRequiredService<ConsentRegister>().CreateLinkAsync(School, sarah.Id, "test", CancellationToken.None);
        }

        var client = server.CreateClient();
        var path = $"/consents/answer/{token}";
        var (opened, page) = await GetAsync(client, path);
        opened.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelectorAll("#answer-form h2").Select(h => h.TextContent).ShouldBe(["Amelia", "Noah"]);
        page.QuerySelector("#answer-form")!.TextContent.ShouldNotContain("Jones", Case.Sensitive, "first names only");

        // A child of another family slipped into the form: refused, nothing recorded, the link still works.
        var forged = await SubmitAsync(client, page, path, new Dictionary<string, string>
        {
            [$"Answers[{amelia.Id}|{Website}]"] = "yes",
            [$"Answers[{leo.Id}|{Website}]"] = "yes",
        }, "#answer-form");
        forged.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await using (var scope = server.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<ConsentAnswer>().CountAsync()).ShouldBe(0);
        }

        var answered = await SubmitAsync(client, page, path, new Dictionary<string, string>
        {
            [$"Answers[{amelia.Id}|{Website}]"] = "yes",
            [$"Answers[{amelia.Id}|social-media-photos]"] = "no",
            [$"Answers[{noah.Id}|{Website}]"] = "no",
        }, "#answer-form");
        answered.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await answered.Content.ReadAsStringAsync()).ShouldContain("Your answers have been recorded");

        await using (var scope = server.CreateScope())
        {
            var answers = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<ConsentAnswer>().AsNoTracking().ToListAsync();
            answers.Count.ShouldBe(3);
            answers.ShouldAllBe(a => a.Method == ConsentMethod.ParentForm && a.ParentId == sarah.Id && a.AcademicYear == "2026/27");
            answers.Select(a => a.ChildId).ShouldNotContain(leo.Id);
        }

        // C14: the parent's yes is there; Amelia's own verbal consent is still to be asked.
        var check = await CheckAsync(server, "website", amelia.Id);
        check.Gaps.Single().LacksVerbal.ShouldBeTrue();
        check.Gaps.Single().LacksParental.ShouldBeFalse();

        // Single use.
        (await client.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Gone);
    }
}
