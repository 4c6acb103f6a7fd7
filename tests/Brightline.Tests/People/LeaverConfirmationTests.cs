using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Brightline.Data;
using Brightline.People;
using Brightline.Portal;
using Brightline.Tests.Infrastructure;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.People;

/// <summary>
/// Issue 17, defect 1: an import marks nobody as a leaver unless "this is the full list" is chosen explicitly, and then
/// only after the person types back the number of leavers — checked again when the import is applied, so a slip or
/// records changed since the check never mark people as leavers. Nothing is stored on a refusal.
/// </summary>
public sealed class LeaverConfirmationTests
{
    private const string ImportPath = "/people/import";
    private const string Manager = "sbm@school.test";

    /// <summary>Only Amelia: the other three pupils (and the parents left without a child here) would be leavers.</summary>
    private const string OnePupilCsv = """
        Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
        A001,K801200100001,Amelia,Jones,Year 3,3 Oak,01/09/2023,Sarah Jones,sarah.jones@parents.test,Mother
        """;

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Portal_FullListIsNeverTheDefault_AndLeaversNeedTheirNumberTypedBack(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        await CreateUserAsync(server, Manager, PortalRoles.BusinessManager);
        using var client = server.CreateClient();
        (await LoginAsync(client, Manager)).ShouldRedirectTo("/");

        var (_, form) = await GetAsync(client, ImportPath);
        form.QuerySelector("#full-no")!.HasAttribute("checked").ShouldBeTrue("\"only the people in this file\" is the default");
        form.QuerySelector("#full-yes")!.HasAttribute("checked").ShouldBeFalse();

        // Sent without a choice (a form posted by hand): the partial import marks nobody.
        var (_, partial) = await CheckAsync(client, OnePupilCsv, full: null);
        partial.QuerySelector("#leaver-warning").ShouldBeNull();
        partial.QuerySelector("main")!.TextContent.ShouldContain("0 marked as leavers");

        var (_, full) = await CheckAsync(client, OnePupilCsv, full: true);
        var warning = full.QuerySelector("#leaver-warning").ShouldNotBeNull();
        var leavers = int.Parse(warning.QuerySelector(".big-number")!.TextContent.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        leavers.ShouldBeGreaterThanOrEqualTo(3, "Noah, Isla and Leo are not in the file");
        full.QuerySelector("label[for=confirm-leavers]")!.TextContent.ShouldContain(leavers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        full.QuerySelector("form:has(input[name=staged]) button")!.TextContent.ShouldContain($"mark {leavers} leavers");

        // Applying without the number, or with another number, changes nothing and says why.
        foreach (var typed in new[] { "", "3" + leavers, "lots" })
        {
            var refused = await SubmitAsync(client, full, ImportPath, new Dictionary<string, string> { ["confirmLeavers"] = typed }, "form:has(input[name=staged])");
            refused.IsSuccessStatusCode.ShouldBeFalse($"\"{typed}\" is not the number of leavers");
            var page = await new HtmlParser().ParseDocumentAsync(await refused.Content.ReadAsStringAsync());
            page.QuerySelector("main")!.TextContent.ShouldContain("Nothing was changed");
            (await TestSchool.PeopleAsync(server)).Count(p => p.LeftOn is not null).ShouldBe(0);
        }

        // A refusal leaves the checked file unapplied, so the right number applies it.
        var applied = await SubmitAsync(client, full, ImportPath, new Dictionary<string, string> { ["confirmLeavers"] = leavers.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "form:has(input[name=staged])");
        applied.StatusCode.ShouldBe(HttpStatusCode.OK);
        var done = await new HtmlParser().ParseDocumentAsync(await applied.Content.ReadAsStringAsync());
        done.QuerySelector("main")!.TextContent.ShouldContain("Import applied");
        var people = await TestSchool.PeopleAsync(server);
        people.Count(p => p.LeftOn is not null).ShouldBe(leavers);
        people.Single(p => p.ExternalId == "A001").LeftOn.ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Api_LeaversOnlyOnFullTrue_AndAConfirmedNumberThatDiffersIsAConflict(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        using var client = server.CreateApiClient();

        var byDefault = await PostAsync(client, "kind=pupils&dryRun=true");
        byDefault.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await byDefault.Content.ReadAsStringAsync()).ShouldContain("\"markedLeavers\":0");

        var contradiction = await PostAsync(client, "kind=pupils&full=true&partial=true");
        contradiction.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        contradiction.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");

        var wrong = await PostAsync(client, "kind=pupils&full=true&leavers=1");
        wrong.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain("Nothing was changed");
        (await TestSchool.PeopleAsync(server)).Count(p => p.LeftOn is not null).ShouldBe(0);

        var check = await TestSchool.ImportAsync(server, ImportKind.Pupils, OnePupilCsv, dryRun: true, full: true);
        var right = await PostAsync(client, $"kind=pupils&full=true&leavers={check.MarkedLeavers}");
        right.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TestSchool.PeopleAsync(server)).Count(p => p.LeftOn is not null).ShouldBe(check.MarkedLeavers);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string query)
    {
        using var content = new StringContent(OnePupilCsv, Encoding.UTF8, "text/csv");
        return await client.PostAsync("/api/v1/people/import?" + query, content);
    }

    /// <summary>"Check the file" as a browser posts it; <paramref name="full"/> null sends no choice at all.</summary>
    private static async Task<(HttpResponseMessage Response, IDocument Page)> CheckAsync(HttpClient client, string csv, bool? full)
    {
        var (_, page) = await GetAsync(client, ImportPath);
        var token = page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var upload = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("Pupils"), "kind" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "people.csv" },
        };
        if (full is { } f)
        {
            upload.Add(new StringContent(f ? "true" : "false"), "full");
        }

        var response = await client.PostAsync(ImportPath, upload);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (response, await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync()));
    }
}
