using System.Net;
using System.Text;
using AngleSharp.Html.Parser;
using Brightline.Data;
using Brightline.People;
using Brightline.Portal;
using Brightline.Tests.Email;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Portal;

/// <summary>The business manager's workflows, driven through the pages as a browser without JavaScript would.</summary>
public sealed class PortalWorkflowTests
{
    private const string BadPupilsCsv = """
        Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
        Z001,Ada,Lovelace,Year 3,3 Oak,01/09/2024,Anne Lovelace,anne.lovelace@parents.test,Mother
        Z002,,Nobody,Year 3,3 Oak,01/09/2024,,,
        Z003,Alan,Turing,Year 9x,3 Oak,01/09/2024,,,
        """;

    private static async Task<HttpClient> BusinessManagerAsync(BrightlineServer server)
    {
        await CreateUserAsync(server, "sbm@school.test", PortalRoles.BusinessManager);
        var client = server.CreateClient();
        (await LoginAsync(client, "sbm@school.test")).ShouldRedirectTo("/");
        return client;
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ImportPage_CheckThenApply_ReportsBadRowsAndSavesOnlyOnApply(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        using var client = await BusinessManagerAsync(server);

        var (_, page) = await GetAsync(client, "/people/import");
        var token = page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var upload = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("Pupils"), "kind" },
            { new StringContent("true"), "full" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(BadPupilsCsv)), "file", "pupils.csv" },
        };
        var checkedResponse = await client.PostAsync("/people/import", upload);
        checkedResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        var report = await new HtmlParser().ParseDocumentAsync(await checkedResponse.Content.ReadAsStringAsync());
        var problems = report.QuerySelectorAll("table")
            .Single(t => t.QuerySelector("caption")?.TextContent.Contains("could not be imported", StringComparison.Ordinal) == true)
            .QuerySelectorAll("tbody tr").Select(r => r.QuerySelector("td")!.TextContent.Trim()).ToList();
        problems.ShouldBe(["3", "4"], "the nameless row and the unknown year group, by their line in the file");
        (await TestSchool.PeopleAsync(server)).ShouldBeEmpty("the check is a dry run");

        (await SubmitAsync(client, report, "/people/import", new Dictionary<string, string>(), "form[action*=Apply], form:has(input[name=staged])"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var people = await TestSchool.PeopleAsync(server);
        people.Select(p => p.ExternalId).ShouldBe(["anne.lovelace@parents.test", "Z001"], ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ChasePage_ConfirmThenSend_EmailsEachWaitingParentOnce(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        using var client = await BusinessManagerAsync(server);

        var (confirm, page) = await GetAsync(client, "/agreements/chase");
        confirm.StatusCode.ShouldBe(HttpStatusCode.OK);
        await server.DeliverEmailAsync();
        server.Smtp.Messages().ShouldBeEmpty("nothing is sent before the confirmation");

        page.QuerySelector("#chase-confirm h2")!.TextContent.ShouldBe("Send 4 reminders?", "Sarah, David, Priya and Imran each have a child waiting for a parent's signature");
        var sent = await SubmitAsync(client, page, "/agreements/chase", new Dictionary<string, string>());
        sent.ShouldRedirectTo("/agreements/chase/");
        var done = await Brightline.Tests.Agreements.CountAgreementTests.WaitForFinishedAsync(client, sent.Headers.Location!.ToString());
        done.QuerySelector("#chase-progress")!.TextContent.ShouldContain("Sent 4 reminders");
        await server.Smtp.WaitForAsync(m => m.Contains("imran.khan@parents.test", StringComparison.Ordinal));
        await server.DeliverEmailAsync();
        server.Smtp.Messages().Count(m => m.Contains("X-Rcpt-Args: <sarah.jones@parents.test>", StringComparison.Ordinal))
            .ShouldBe(1, "one email per parent, even with two children");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SignatureRecord_Printable_ShowsExactTextHashAndSigner(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var priya = await TestSchool.PersonAsync(server, "S01");
        var signature = await SignAsync(server, priya, priya, "staff", "Computing Lead");
        using var client = await BusinessManagerAsync(server);

        var (response, page) = await GetAsync(client, $"/signatures/{signature.Id}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = page.Body!.TextContent;
        text.ShouldContain(signature.TextHash);
        text.ShouldContain("Priya Patel");
        text.ShouldContain("Computing Lead");

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var version = await db.AgreementVersions.SingleAsync(v => v.Id == signature.AgreementVersionId);
        version.TextHash.ShouldBe(signature.TextHash, "the record cites the exact text that was signed");
        (await client.GetAsync($"/signatures/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
