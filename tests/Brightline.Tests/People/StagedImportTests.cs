using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Portal;
using Brightline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.People;

/// <summary>
/// Security issue, item 7: People → Import stages the checked file in the database (not in process memory),
/// bounded in size and number, expiring, and applied exactly once by the account and school that checked it.
/// </summary>
public sealed class StagedImportTests
{
    private const string ImportPath = "/people/import";
    private const string ApplyPath = "/people/import?handler=Apply";
    private const string Manager = "sbm@school.test";

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task CheckThenApply_OnAnotherServerAfterTheFirstStopped_AppliesTheCheckedFileOnce(DatabaseProvider provider)
    {
        string connectionString;
        string stagedId;
        await using (var first = await BrightlineServer.StartAsync(provider))
        {
            connectionString = first.Services.GetRequiredService<BrightlineDbContext>().Database.GetConnectionString()!;
            await TestSchool.LoadPolicyAsync(first);
            await CreateUserAsync(first, Manager, PortalRoles.BusinessManager);
            using var client = await SignInAsync(first, Manager);

            var (checkedResponse, report) = await CheckAsync(client, TestSchool.PupilsCsv);

            checkedResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
            Text(report).ShouldContain("What this import would do");
            stagedId = report.QuerySelector("input[name=staged]")!.GetAttribute("value")!;
            stagedId.ShouldMatch("^[0-9a-f]{32}$");
            var row = await StagedAsync(first, stagedId);
            row.Sha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(TestSchool.PupilsCsv))));
            row.Kind.ShouldBe("pupils");
            row.Summary.ShouldContain("4 rows read: 4 new");
            row.ExpiresAt.ShouldBe(first.Clock.GetUtcNow().AddMinutes(30));
            (await TestSchool.PeopleAsync(first)).ShouldBeEmpty("the check is a dry run");
        }

        // The process that checked the file is gone: a second portal process on the same database applies it.
        await using var second = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Brightline:Database:ConnectionString"] = connectionString,
        });
        using var again = await SignInAsync(second, Manager);

        var (applied, appliedPage) = await ApplyAsync(again, stagedId);

        applied.StatusCode.ShouldBe(HttpStatusCode.OK);
        Text(appliedPage).ShouldContain("Import applied");
        (await TestSchool.PeopleAsync(second)).Count.ShouldBe(8, "four pupils and their four parents");
        var stored = await StagedAsync(second, stagedId);
        stored.AppliedAt.ShouldNotBeNull();
        stored.Content.ShouldBeEmpty("an applied file's bytes are not kept");

        // Applying it again is refused, clearly, and changes nothing.
        var (twice, twicePage) = await ApplyAsync(again, stagedId);

        twice.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        Text(twicePage).ShouldContain("already applied");
        Text(twicePage).ShouldContain("It was not applied again");
        await using var scope = second.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.AuditEntries.CountAsync(a => a.Action == AuditActions.Import)).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Apply_TwoAtOnce_ImportsTheFileOnce(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await CreateUserAsync(server, Manager, PortalRoles.BusinessManager);
        using var client = await SignInAsync(server, Manager);
        var (_, report) = await CheckAsync(client, TestSchool.PupilsCsv);
        var stagedId = report.QuerySelector("input[name=staged]")!.GetAttribute("value")!;

        var answers = await Task.WhenAll(ApplyAsync(client, stagedId), ApplyAsync(client, stagedId));

        answers.Select(a => a.Response.StatusCode).OrderBy(s => s).ShouldBe([HttpStatusCode.OK, HttpStatusCode.Conflict]);
        (await TestSchool.PeopleAsync(server)).Count.ShouldBe(8);
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.AuditEntries.CountAsync(a => a.Action == AuditActions.Import)).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Apply_AnotherSchoolsAdministrator_NotFoundAndTheCheckStillWaits(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("westfield.yaml")));
        using var ours = await SignInWithTwoFactorAsync(server, "admin@example.test", PortalRoles.Admin);
        using var theirs = await SignInWithTwoFactorAsync(server, "admin@westfield.test", PortalRoles.Admin, schoolId: "westfield");
        var (_, report) = await CheckAsync(ours, TestSchool.PupilsCsv);
        var stagedId = report.QuerySelector("input[name=staged]")!.GetAttribute("value")!;

        var (refused, refusedPage) = await ApplyAsync(theirs, stagedId);

        refused.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        Text(refusedPage).ShouldContain("no longer available");
        Text(refusedPage).ShouldNotContain("Import applied");
        (await TestSchool.PeopleAsync(server)).ShouldBeEmpty();
        (await StagedAsync(server, stagedId)).AppliedAt.ShouldBeNull();

        var (applied, _) = await ApplyAsync(ours, stagedId);
        applied.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TestSchool.PeopleAsync(server)).Count.ShouldBe(8);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Check_UploadOverTheLimit_RefusedNamingTheLimitAndNothingStored(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Brightline:People:MaxImportBytes"] = "102400",
        });
        await TestSchool.LoadPolicyAsync(server);
        await CreateUserAsync(server, Manager, PortalRoles.BusinessManager);
        using var client = await SignInAsync(server, Manager);
        var (_, blank) = await GetAsync(client, ImportPath);
        Text(blank).ShouldContain("at most 100 KB");

        // Far over: refused by its declared length before the form is read, and sent back to the page.
        var (huge, _) = await CheckAsync(client, BigCsv(2 * 1024 * 1024));
        huge.ShouldRedirectTo("/people/import?refused=too-large");
        var (_, hugePage) = await GetAsync(client, huge.Headers.Location!.ToString());
        Text(hugePage).ShouldContain("larger than the limit of 100 KB");

        // Just over: the form is read (to disk), but the file is refused before it is kept.
        var (over, overPage) = await CheckAsync(client, BigCsv(110 * 1024));
        over.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        Text(overPage).ShouldContain("larger than the limit of 100 KB");
        overPage.QuerySelector("input[name=staged]").ShouldBeNull();

        // Without a declared length (chunked, which no browser sends for a form): turned back unread too.
        var (chunked, _) = await CheckAsync(client, BigCsv(2 * 1024 * 1024), chunked: true);
        chunked.ShouldRedirectTo("/people/import?refused=no-length");
        var (_, chunkedPage) = await GetAsync(client, chunked.Headers.Location!.ToString());
        Text(chunkedPage).ShouldContain("did not say how large it was");

        await using var scope = server.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().StagedImports.CountAsync()).ShouldBe(0);
        (await TestSchool.PeopleAsync(server)).ShouldBeEmpty();

        // Under the limit still works.
        var (fine, _) = await CheckAsync(client, TestSchool.PupilsCsv);
        fine.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ImportApi_BodyOverTheLimit_ProblemDetails413NamingTheLimit(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Brightline:People:MaxImportBytes"] = "102400",
        });
        await TestSchool.LoadPolicyAsync(server);
        using var client = server.CreateApiClient();
        var big = Encoding.UTF8.GetBytes(BigCsv(300 * 1024));

        // With a declared length, and without one (chunked): both stop at the limit.
        foreach (var chunked in new[] { false, true })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/people/import?kind=pupils") { Content = new ByteArrayContent(big) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            request.Headers.TransferEncodingChunked = chunked;

            var response = await client.SendAsync(request);

            response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, chunked ? "chunked" : "with Content-Length");
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            (await response.Content.ReadAsStringAsync()).ShouldContain("larger than the limit of 100 KB");
        }

        (await TestSchool.PeopleAsync(server)).ShouldBeEmpty();
        using var fine = new StringContent(TestSchool.PupilsCsv, Encoding.UTF8, "text/csv");
        (await client.PostAsync("/api/v1/people/import?kind=pupils", fine)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TestSchool.PeopleAsync(server)).Count.ShouldBe(8);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Apply_AfterTheCheckExpired_PurgedAndRefusedWithCheckAgain(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await CreateUserAsync(server, Manager, PortalRoles.BusinessManager);
        using var client = await SignInAsync(server, Manager);
        var (_, report) = await CheckAsync(client, TestSchool.PupilsCsv);
        var stagedId = report.QuerySelector("input[name=staged]")!.GetAttribute("value")!;

        server.Clock.Advance(TimeSpan.FromMinutes(31));
        await WaitUntilAsync(async () =>
        {
            await using var scope = server.CreateScope();
            return !await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().StagedImports.AnyAsync();
        }, "the purge removes the expired check");

        var (refused, page) = await ApplyAsync(client, stagedId);

        refused.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        Text(page).ShouldContain("Check the file again");
        page.QuerySelector("input[type=file]").ShouldNotBeNull("the page offers the upload again");
        (await TestSchool.PeopleAsync(server)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Check_BeyondTheSchoolsBound_ReplacesTheOldestCheck(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Brightline:People:MaxStagedImportsPerSchool"] = "2",
        });
        await TestSchool.LoadPolicyAsync(server);
        await CreateUserAsync(server, Manager, PortalRoles.BusinessManager);
        using var client = await SignInAsync(server, Manager);
        var ids = new List<string>();
        foreach (var csv in new[] { TestSchool.PupilsCsv, TestSchool.StaffCsv, TestSchool.PupilsCsv })
        {
            var (_, report) = await CheckAsync(client, csv, csv == TestSchool.StaffCsv ? "Staff" : "Pupils");
            ids.Add(report.QuerySelector("input[name=staged]")!.GetAttribute("value")!);
            server.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        await using (var scope = server.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().StagedImports.Select(s => s.Id).ToListAsync())
                .ShouldBe(ids.Skip(1), ignoreOrder: true);
        }

        (await ApplyAsync(client, ids[0])).Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ApplyAsync(client, ids[1])).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TestSchool.PeopleAsync(server)).Count.ShouldBe(3, "the staff file was applied");
    }

    private static async Task<HttpClient> SignInAsync(BrightlineServer server, string email)
    {
        var client = server.CreateClient();
        (await LoginAsync(client, email)).ShouldRedirectTo("/");
        return client;
    }

    /// <summary>"Check the file": the page's upload form, posted as a browser posts it (multipart, antiforgery token from the page).</summary>
    private static async Task<(HttpResponseMessage Response, IDocument Page)> CheckAsync(HttpClient client, string csv, string kind = "Pupils", bool chunked = false)
    {
        var (_, page) = await GetAsync(client, ImportPath);
        var token = page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var upload = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(kind), "kind" },
            { new StringContent("true"), "full" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "people.csv" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, ImportPath) { Content = upload };
        request.Headers.TransferEncodingChunked = chunked;
        var response = await client.SendAsync(request);
        return (response, await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>"Apply" with <paramref name="stagedId"/>, from this client's own copy of the page (its antiforgery token).</summary>
    private static async Task<(HttpResponseMessage Response, IDocument Page)> ApplyAsync(HttpClient client, string stagedId)
    {
        var (_, page) = await GetAsync(client, ImportPath);
        var response = await SubmitAsync(client, page, ApplyPath, new Dictionary<string, string> { ["staged"] = stagedId });
        return (response, await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync()));
    }

    private static async Task<StagedImport> StagedAsync(BrightlineServer server, string id)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().StagedImports.AsNoTracking().SingleAsync(s => s.Id == id);
    }

    private static string Text(IDocument page) => page.QuerySelector("main")?.TextContent ?? page.DocumentElement.TextContent;

    /// <summary>A pupils file of about <paramref name="bytes"/> bytes.</summary>
    private static string BigCsv(int bytes)
    {
        var sb = new StringBuilder("Admission No,Legal Forename,Legal Surname,Year Group,Reg Group\n");
        for (var i = 0; sb.Length < bytes; i++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"X{i:D6},Pupil,Number{i},Year 3,3 Oak\n");
        }

        return sb.ToString();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, what);
            await Task.Delay(50);
        }
    }
}
