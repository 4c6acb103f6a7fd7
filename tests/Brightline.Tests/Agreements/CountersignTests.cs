using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Tests.Email;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;

namespace Brightline.Tests.Agreements;

public sealed partial class CountersignTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task CountersignLink_DeliveredBySmtp_SignsOnceThenRefused(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        var noah = await TestSchool.PersonAsync(server, "A002");

        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AgreementService>().SendCountersignLinkAsync(TestSchool.Id, noah.Id, "ks1-pupil", "test", CancellationToken.None);
        }

        var message = await server.Smtp.WaitForAsync(m => m.Contains("sarah.jones@parents.test", StringComparison.OrdinalIgnoreCase));
        var body = DecodeBody(message);
        body.ShouldContain("Noah");
        body.ShouldNotContain("Jones,"); // first name only, no surname-bearing detail beyond the greeting
        var link = LinkPattern().Match(body);
        link.Success.ShouldBeTrue(body);
        link.Value.ShouldStartWith(server.BaseAddress.ToString().TrimEnd('/'));
        var token = link.Groups["token"].Value;

        using var client = server.CreateClient();
        // The portal's countersign page is built alongside; when it is mapped, the link must open it.
        var page = await client.GetAsync(new Uri(link.Value));
        var portalPage = page.StatusCode != HttpStatusCode.NotFound;
        if (portalPage)
        {
            page.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await using (var scope = server.CreateScope())
        {
            var agreements = scope.ServiceProvider.GetRequiredService<AgreementService>();
            var context = await agreements.OpenCountersignAsync(token, CancellationToken.None);
            context.ShouldNotBeNull();
            context.Child.Id.ShouldBe(noah.Id);
            var signature = await agreements.CountersignAsync(token, "sarah jones", "203.0.113.9", CancellationToken.None);
            signature.Method.ShouldBe(Brightline.Data.Entities.SignatureMethod.EmailLink);
            signature.Capacity.ShouldBe(Brightline.Data.Entities.SignerCapacity.Parent);
            await Should.ThrowAsync<DomainException>(() => agreements.CountersignAsync(token, "Sarah Jones", null, CancellationToken.None));
            (await agreements.OpenCountersignAsync(token, CancellationToken.None)).ShouldBeNull();
        }

        (await StatusAsync(server, noah)).Single().State.ShouldBe(AgreementState.Signed);
        if (portalPage)
        {
            (await client.GetAsync(new Uri(link.Value))).StatusCode.ShouldBe(HttpStatusCode.Gone);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ChaseParents_OneEmailPerParent_LinkExpiresAfterConfiguredDays(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);

        using var api = server.CreateApiClient();
        var response = await api.PostAsync("/api/v1/agreements/chase", null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"sent\":4");

        // Sarah has two children outstanding but gets one email with two links.
        var sarahMail = DecodeBody(await server.Smtp.WaitForAsync(m => m.Contains("sarah.jones@parents.test", StringComparison.OrdinalIgnoreCase)));
        LinkPattern().Matches(sarahMail).Count.ShouldBe(2);
        await server.DeliverEmailAsync();
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            (await db.EmailRecords.CountAsync(e => e.Purpose == AgreementService.ChasePurpose && e.Sent)).ShouldBe(4);
        }

        var token = LinkPattern().Match(sarahMail).Groups["token"].Value;
        server.Clock.Advance(TimeSpan.FromDays(15));
        await using (var scope = server.CreateScope())
        {
            var agreements = scope.ServiceProvider.GetRequiredService<AgreementService>();
            (await agreements.OpenCountersignAsync(token, CancellationToken.None)).ShouldBeNull();
            await Should.ThrowAsync<DomainException>(() => agreements.CountersignAsync(token, "Sarah Jones", null, CancellationToken.None));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Compliance_MixedStates_CountsByGroupAndClass(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, new DateTimeOffset(2026, 9, 1, 8, 0, 0, TimeSpan.Zero));
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        await SignAsync(server, amelia, amelia, "ks2-pupil");
        await SignAsync(server, amelia, await TestSchool.PersonAsync(server, "david.jones@parents.test"), "ks2-pupil");
        server.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

        await using var scope = server.CreateScope();
        var summary = await scope.ServiceProvider.GetRequiredService<AgreementService>().ComplianceAsync(TestSchool.Id, CancellationToken.None);

        var lowerKs2 = summary.Groups.Single(g => g.GroupId == "lower_ks2");
        (lowerKs2.People, lowerKs2.Signed).ShouldBe((1, 1));
        summary.Classes.Select(c => c.ClassName).ShouldBe(["R Oak", "1 Ash", "3 Oak", "5 Ash"]);
        summary.Overdue.Select(o => o.PersonId).ShouldNotContain(amelia.Id);
        summary.Overdue.Count.ShouldBe(3 + 4); // three pupils, four parents' own agreement
        summary.PolicyReviewDue.ShouldBeTrue(); // the example policy's review date has passed
    }

    internal static string DecodeBody(string message)
    {
        message = message.Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = message.IndexOf("\n\n", StringComparison.Ordinal);
        var headers = message[..split];
        var body = message[(split + 2)..];
        return headers.Contains("Content-Transfer-Encoding: base64", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(body.Split('\n').Select(l => l.Trim()).TakeWhile(l => l.Length > 0))))
            : body;
    }

    [GeneratedRegex(@"https?://[^\s/]+/countersign/(?<token>[A-Za-z0-9_-]{43})")]
    internal static partial Regex LinkPattern();
}
