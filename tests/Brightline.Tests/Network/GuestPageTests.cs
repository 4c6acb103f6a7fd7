using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Network;
using Brightline.Tests.Filtering;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Network;

/// <summary>
/// O22 in the portal: the head issues a guest voucher at /network/guests (form, check, confirm), sees its password
/// once on the printable card, lists the school's vouchers with their status, and withdraws one after confirming;
/// both are audited. Someone the policy does not name may not open the page. Both databases.
/// </summary>
public sealed class GuestPageTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Head_IssuesAVoucherWithItsCard_ListsAndWithdrawsIt_Audited(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        await using var server = await BrightlineServer.StartAsync(provider, settings: FreeRadiusTests.Settings(upstream));
        await TestSchool.LoadPolicyAsync(server, FreeRadiusTests.PolicyYaml(quarantine: false));
        using var head = await SignInWithTwoFactorAsync(server, "head@school.test", "head");

        var (empty, form) = await GetAsync(head, "/network/guests");
        empty.StatusCode.ShouldBe(HttpStatusCode.OK);
        form.QuerySelector("h1")!.TextContent.ShouldBe("Guest Wi-Fi vouchers");
        form.Body!.TextContent.ShouldContain("No vouchers have been issued.");
        form.QuerySelector("meta[name=viewport]").ShouldNotBeNull("the page fits a phone");

        // The form, then the check with the dates in words, then the card.
        var review = await SubmitAsync(head, form, "/network/guests?handler=Review", new Dictionary<string, string>
        {
            ["VisitorName"] = "Mr Sam Visitor",
            ["Purpose"] = "Governors' finance meeting",
            ["ValidFrom"] = "25/11/2026 09:00",
            ["ValidUntil"] = "25/11/2026 17:30",
        });
        review.StatusCode.ShouldBe(HttpStatusCode.OK);
        var check = await Parse(review);
        check.Body!.TextContent.ShouldContain("Check before you confirm");
        check.Body.TextContent.ShouldContain("25 November 2026, 17:30");
        (await CountAsync(server)).ShouldBe(0, "nothing is issued before the confirmation");

        var issued = await SubmitAsync(head, check, "/network/guests?handler=Issue", new Dictionary<string, string>(), "main .card form");
        issued.StatusCode.ShouldBe(HttpStatusCode.OK);
        var card = await Parse(issued);
        var user = card.QuerySelector("#voucher-user")!.TextContent;
        var password = card.QuerySelector("#voucher-password")!.TextContent;
        user.ShouldStartWith("guest-");
        password.ShouldMatch("^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$");
        card.QuerySelector("#voucher-card")!.TextContent.ShouldContain("from 25 November 2026, 09:00 until 25 November 2026, 17:30");

        await using (var scope = server.CreateScope())
        {
            var voucher = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<GuestVoucher>().AsNoTracking().SingleAsync();
            (voucher.UserName, voucher.VisitorName, voucher.IssuedBy).ShouldBe((user, "Mr Sam Visitor", "head@school.test"));
            voucher.PasswordHash.ShouldNotContain(password);
            scope.ServiceProvider.GetRequiredService<GuestVouchers>().PasswordMatches(voucher, password).ShouldBeTrue();
        }

        // The list: status in words, and the password nowhere.
        var (_, list) = await GetAsync(head, "/network/guests");
        var row = list.QuerySelector("#vouchers tbody tr")!;
        row.TextContent.ShouldContain("Mr Sam Visitor");
        row.TextContent.ShouldContain("Valid");
        list.Body!.TextContent.ShouldNotContain(password);

        // Withdraw: a confirmation first, then withdrawn.
        var ask = await SubmitAsync(head, list, "/network/guests", new Dictionary<string, string>(), "#vouchers form");
        var confirm = await Parse(ask);
        confirm.Body!.TextContent.ShouldContain("Withdraw the voucher for Mr Sam Visitor?");
        var done = await Parse(await SubmitAsync(head, confirm, "/network/guests", new Dictionary<string, string>(), "main .card form"));
        done.Body!.TextContent.ShouldContain($"The voucher {user} for Mr Sam Visitor is withdrawn");
        done.QuerySelector("#vouchers tbody tr")!.TextContent.ShouldContain("Withdrawn");

        await using (var scope = server.CreateScope())
        {
            var actions = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().AuditEntries.AsNoTracking()
                .Where(e => e.SchoolId == TestSchool.Id && e.Subject == user).Select(e => e.Action).ToListAsync();
            actions.ShouldBe([NetworkAuditActions.VoucherIssued, NetworkAuditActions.VoucherRevoked], ignoreOrder: true);
        }

        // A teacher is not among network.guests.issued_by.
        var teacher = ClientFrom(server, IPAddress.Loopback);
        await CreateUserAsync(server, "teacher@school.test", "teacher");
        (await LoginAsync(teacher, "teacher@school.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await teacher.GetAsync("/network/guests")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static async Task<AngleSharp.Dom.IDocument> Parse(HttpResponseMessage response) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

    private static async Task<int> CountAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<GuestVoucher>().CountAsync();
    }
}
