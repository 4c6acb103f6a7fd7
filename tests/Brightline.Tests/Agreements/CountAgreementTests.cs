using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.People;
using Brightline.Policies;
using Brightline.Portal;
using Brightline.Tests.Email;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Agreements;

/// <summary>
/// Issue 17 defect 7, "counts that contradict each other": every count is one list's answer. The dashboard's cards add
/// up to "on roll" and match the people list; "overdue" is the overdue list's length; people needing no agreement are
/// counted apart; a chase sends the number its confirmation named, and says so when the list changed in between.
/// </summary>
public sealed class CountAgreementTests
{
    /// <summary>Ben's parent has no email address: his countersignature is waiting but no reminder can reach it.</summary>
    private const string MorePupilsCsv = """
        Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
        A005,,Ben,Okafor,Year 4,4 Elm,01/09/2024,Grace Okafor,,Mother
        """;

    private static async Task<BrightlineServer> SchoolAsync(DatabaseProvider provider)
    {
        var server = await BrightlineServer.StartAsync(provider, new DateTimeOffset(2026, 9, 1, 8, 0, 0, TimeSpan.Zero));
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
        await TestSchool.ImportAsync(server, ImportKind.Pupils, MorePupilsCsv, full: false);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        // A visitor the policy asks for no agreement (they were counted as "signed"), and a pupil leaving later this
        // term (still on roll: the dashboard and the people list disagreed about them).
        db.People.Add(new Person
        {
            Id = Guid.NewGuid(), SchoolId = TestSchool.Id, ExternalId = "V01", Source = PeopleImporter.AdultsSource, GivenName = "Vera", FamilyName = "Visitor",
            KindMask = PersonGroups.Mask(Brightline.Policy.Model.PersonKind.Visitor), JoinedOn = new DateOnly(2026, 9, 1),
            CreatedAt = server.Clock.GetUtcNow(), UpdatedAt = server.Clock.GetUtcNow(),
        });
        var leo = await db.People.SingleAsync(p => p.ExternalId == "A004");
        leo.LeftOn = new DateOnly(2026, 12, 18);
        await db.SaveChangesAsync();
        return server;
    }

    private static async Task<HttpClient> ManagerAsync(BrightlineServer server)
    {
        await CreateUserAsync(server, "sbm@school.test", PortalRoles.BusinessManager);
        var client = server.CreateClient();
        (await LoginAsync(client, "sbm@school.test")).ShouldRedirectTo("/");
        return client;
    }

    private static int Number(string text) => int.Parse(text.Trim().Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static int FoundOn(IDocument people) =>
        Number(people.QuerySelector("main table caption")!.TextContent.Split(' ')[0]);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Dashboard_EveryCountIsOneListsAnswer(DatabaseProvider provider)
    {
        await using var server = await SchoolAsync(provider);
        // Half-term: the pupils' and parents' agreements are overdue; Amelia and both her parents' countersignature are done.
        var amelia = await TestSchool.PersonAsync(server, "A001");
        await SignAsync(server, amelia, amelia, "ks2-pupil");
        await SignAsync(server, amelia, await TestSchool.PersonAsync(server, "david.jones@parents.test"), "ks2-pupil");
        server.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        using var client = await ManagerAsync(server);

        var (_, dashboard) = await GetAsync(client, "/");
        var cards = dashboard.QuerySelectorAll("#standing .stat .n").Select(n => Number(n.TextContent)).ToList();
        cards.Count.ShouldBe(5);
        var (onRoll, signed, due, overdue, none) = (cards[0], cards[1], cards[2], cards[3], cards[4]);

        (signed + due + overdue + none).ShouldBe(onRoll, "each person on roll is in exactly one card");
        var (_, people) = await GetAsync(client, "/people");
        FoundOn(people).ShouldBe(onRoll, "the people list without filters is the roll (Leo leaves in December: still on it)");
        none.ShouldBe(1, "Vera the visitor needs no agreement and is not counted as signed");
        FoundOn((await GetAsync(client, "/people?state=none")).Document).ShouldBe(none);
        FoundOn((await GetAsync(client, "/people?state=signed")).Document).ShouldBe(signed);

        var overdueRows = dashboard.QuerySelectorAll("#overdue ~ div table tbody tr").Length;
        overdueRows.ShouldBe(overdue, "the overdue list has one row per overdue person");
        FoundOn((await GetAsync(client, "/people?state=overdue")).Document).ShouldBe(overdue);

        await using var scope = server.CreateScope();
        var summary = await scope.ServiceProvider.GetRequiredService<AgreementService>().ComplianceAsync(TestSchool.Id, CancellationToken.None);
        summary.Groups.Single(g => g.GroupId == "visitors").NotRequired.ShouldBe(1);
        summary.Groups.Single(g => g.GroupId == "visitors").Signed.ShouldBe(0);
        summary.Overdue.Count.ShouldBe(overdue);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Chase_ConfirmationNamesWhatIsSent_ProgressPageReportsTheSameNumber_ResubmitSendsNothingMore(DatabaseProvider provider)
    {
        await using var server = await SchoolAsync(provider);
        using var client = await ManagerAsync(server);

        var (_, agreements) = await GetAsync(client, "/agreements");
        agreements.QuerySelector("#chase-all")!.TextContent.ShouldContain("4 reminders for 5 countersignatures waiting");

        var (_, confirm) = await GetAsync(client, "/agreements/chase");
        confirm.QuerySelector("#chase-confirm h2")!.TextContent.ShouldBe("Send 4 reminders?",
            "Sarah (two children), David, Priya and Imran: one email each; Ben's mother has no email address");
        confirm.QuerySelector("#no-email")!.ShouldNotBeNull();
        confirm.Body!.TextContent.ShouldContain("Ben Okafor");

        var sent = await SubmitAsync(client, confirm, "/agreements/chase", new Dictionary<string, string>());
        sent.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var progressPath = sent.Headers.Location!.ToString();
        progressPath.ShouldStartWith("/agreements/chase/");

        // The same confirmation again (a double click or the back button) finds the run and sends nothing more.
        var again = await SubmitAsync(client, confirm, "/agreements/chase", new Dictionary<string, string>());
        again.Headers.Location!.ToString().ShouldBe(progressPath);

        var done = await WaitForFinishedAsync(client, progressPath);
        done.QuerySelector("#chase-progress")!.TextContent.ShouldContain("Sent 4 reminders");
        await server.DeliverEmailAsync();
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.EmailRecords.CountAsync(e => e.Purpose == AgreementService.ChasePurpose)).ShouldBe(4);
        server.Smtp.Messages().Count(m => m.Contains("X-Rcpt-Args: <sarah.jones@parents.test>", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Chase_ListChangedAfterConfirmation_SaysSoAndSendsNothing(DatabaseProvider provider)
    {
        await using var server = await SchoolAsync(provider);
        using var client = await ManagerAsync(server);
        var (_, confirm) = await GetAsync(client, "/agreements/chase");
        confirm.QuerySelector("#chase-confirm h2")!.TextContent.ShouldBe("Send 4 reminders?");

        // Imran countersigns Leo's agreement while the confirmation is open.
        var leo = await TestSchool.PersonAsync(server, "A004");
        await SignAsync(server, leo, leo, "ks2-pupil");
        await SignAsync(server, leo, await TestSchool.PersonAsync(server, "imran.khan@parents.test"), "ks2-pupil");

        var response = await SubmitAsync(client, confirm, "/agreements/chase", new Dictionary<string, string>());
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        var changed = page.QuerySelector("#chase-changed")!.TextContent;
        changed.ShouldContain("Nothing has been sent");
        changed.ShouldContain("You confirmed 4 reminders");
        page.QuerySelector("#chase-confirm h2")!.TextContent.ShouldBe("Send 3 reminders?");
        await using var scope = server.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().EmailRecords.CountAsync(e => e.Purpose == AgreementService.ChasePurpose)).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ChaseSelected_OnlyTheTickedChildrensParentsAreEmailed(DatabaseProvider provider)
    {
        await using var server = await SchoolAsync(provider);
        using var client = await ManagerAsync(server);
        var (_, list) = await GetAsync(client, "/agreements?agreement=ks2-pupil");
        var boxes = list.QuerySelectorAll("#chase-selected input[name=child]").ToList();
        boxes.Count.ShouldBe(3, "Amelia, Leo and Ben wait for a parent on this agreement");
        list.QuerySelector("#select-all + label")!.TextContent.ShouldBe("Select all on this page");
        var amelia = await TestSchool.PersonAsync(server, "A001");
        list.QuerySelector($"label[for=child-{amelia.Id}]")!.TextContent.ShouldBe("Select Amelia Jones");

        var path = $"/agreements/chase?agreement=ks2-pupil&child={amelia.Id}";
        var (_, confirm) = await GetAsync(client, path);
        confirm.QuerySelector("#chase-selection")!.TextContent.ShouldContain("You selected 1 person");
        confirm.QuerySelector("#chase-confirm h2")!.TextContent.ShouldBe("Send 2 reminders?", "Amelia's mother and father");
        var sent = await SubmitAsync(client, confirm, path, new Dictionary<string, string>());
        await WaitForFinishedAsync(client, sent.Headers.Location!.ToString());

        await server.DeliverEmailAsync();
        var recipients = server.Smtp.Messages().Select(m => m.Split('\n').First(l => l.StartsWith("X-Rcpt-Args:", StringComparison.Ordinal)).Trim()).ToList();
        recipients.ShouldBe(["X-Rcpt-Args: <david.jones@parents.test>", "X-Rcpt-Args: <sarah.jones@parents.test>"], ignoreOrder: true);
        CountersignTests.DecodeBody(server.Smtp.Messages().First(m => m.Contains("sarah.jones", StringComparison.Ordinal)))
            .Contains("Noah", StringComparison.Ordinal).ShouldBeFalse("only the selected child and agreement are chased");
    }

    /// <summary>The progress page, read until it says the run finished (the run is a background task; polling is how a browser sees it too).</summary>
    internal static async Task<IDocument> WaitForFinishedAsync(HttpClient client, string path)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var (response, page) = await GetAsync(client, path);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            if (page.QuerySelector("#chase-progress[data-state=finished]") is not null)
            {
                return page;
            }

            await Task.Delay(50);
        }

        throw new ShouldAssertException($"{path} did not finish");
    }
}
