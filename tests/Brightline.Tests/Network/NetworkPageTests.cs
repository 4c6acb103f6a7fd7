using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Network;
using Brightline.People;
using Brightline.Portal;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Network;

/// <summary>
/// The Network page and the person page's Network section (issue 13, point 6), over real Kestrel and both databases,
/// with every session and reject made the way FreeRADIUS makes them: through the RADIUS API with the school's machine
/// key. Sessions show the person's name and VLAN; a reject its reason in words; the search finds both; another
/// school's session is never listed and its address is not found; disconnecting asks for a confirmation first and is
/// audited with who asked. The example school's clock starts on Wednesday 25 November 2026, 10:00.
/// </summary>
public sealed class NetworkPageTests
{
    private const string OtherKey = "rad_other-school-key-0123456789abcdef";
    private const string StaffSsid = "AA-BB-CC-DD-EE-FF:Example-Staff";
    private const string HelenMac = "3C-22-FB-10-20-30";

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider)
    {
        var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [$"Brightline:Radius:MachineKeys:{TestSchool.Id}"] = FreeRadiusTests.MachineKey,
            [$"Brightline:Radius:MachineKeys:{TestSchool.OtherId}"] = OtherKey,
        });
        try
        {
            await TestSchool.LoadPolicyAsync(server, FreeRadiusTests.PolicyYaml(quarantine: false));
            await TestSchool.LoadOtherSchoolAsync(server);
            await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static string Body(params (string Name, string Value)[] attributes)
    {
        var body = new JsonObject();
        foreach (var (name, value) in attributes)
        {
            body[name] = new JsonObject { ["type"] = "string", ["value"] = new JsonArray(value) };
        }

        return body.ToJsonString();
    }

    private static async Task<HttpStatusCode> RadiusAsync(BrightlineServer server, string path, string key, params (string Name, string Value)[] attributes)
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.PostAsync(path, new StringContent(Body(attributes), Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    private static string Text(IDocument page, string selector) => page.QuerySelector(selector)?.TextContent ?? "";

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task NetworkPage_ListsSessionsAndRejectsFromTheRadiusApi_SearchesThem_DisconnectConfirmsAndIsAudited_OtherSchoolsNeverSeen(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var helen = await TestSchool.PersonAsync(server, "S02");
        var priya = await TestSchool.PersonAsync(server, "S01");
        await CreateUserAsync(server, "h.marsh@school.test", PortalRoles.Head, helen.Id);
        await SignAsync(server, helen, helen, "staff", "Headteacher");
        // Priya has an account but has not signed the staff agreement: her sign-in is refused (unsigned: reject).
        await CreateUserAsync(server, "priya.patel@school.test", PortalRoles.ComputingLead, priya.Id);

        // Helen joins staff-wifi: accepted on VLAN 30, then accounting Start with her laptop's address.
        (await RadiusAsync(server, RadiusApi.AuthenticatePath, FreeRadiusTests.MachineKey,
            ("User-Name", "h.marsh@school.test"), ("User-Password", Password), ("Called-Station-Id", StaffSsid), ("Calling-Station-Id", HelenMac)))
            .ShouldBe(HttpStatusCode.OK);
        (await RadiusAsync(server, RadiusApi.AccountingPath, FreeRadiusTests.MachineKey,
            ("User-Name", "h.marsh@school.test"), ("Acct-Status-Type", "Start"), ("Acct-Session-Id", "A-1"), ("NAS-IP-Address", "10.0.0.2"),
            ("Framed-IP-Address", "10.30.0.52"), ("Called-Station-Id", StaffSsid), ("Calling-Station-Id", HelenMac)))
            .ShouldBe(HttpStatusCode.NoContent);
        (await RadiusAsync(server, RadiusApi.AuthenticatePath, FreeRadiusTests.MachineKey,
            ("User-Name", "priya.patel@school.test"), ("User-Password", Password), ("Called-Station-Id", StaffSsid), ("Calling-Station-Id", "3C-22-FB-99-88-77")))
            .ShouldBe(HttpStatusCode.Unauthorized);

        // The other school's network: a session and a reject that school A's staff must never see.
        (await RadiusAsync(server, RadiusApi.AccountingPath, OtherKey,
            ("User-Name", "quillfield-visitor"), ("Acct-Status-Type", "Start"), ("Acct-Session-Id", "B-1"), ("NAS-IP-Address", "10.9.0.2"),
            ("Framed-IP-Address", "10.90.0.7"), ("Called-Station-Id", StaffSsid), ("Calling-Station-Id", "0A-0B-0C-0D-0E-0F")))
            .ShouldBe(HttpStatusCode.NoContent);
        (await RadiusAsync(server, RadiusApi.AuthenticatePath, OtherKey,
            ("User-Name", "quillfield-stranger"), ("User-Password", "x"), ("Called-Station-Id", StaffSsid)))
            .ShouldBe(HttpStatusCode.Unauthorized);
        Guid helenSession, otherSession;
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            helenSession = await db.Set<NetworkSession>().Where(s => s.SchoolId == TestSchool.Id).Select(s => s.Id).SingleAsync();
            otherSession = await db.Set<NetworkSession>().Where(s => s.SchoolId == TestSchool.OtherId).Select(s => s.Id).SingleAsync();
        }

        using var head = await SignInWithTwoFactorAsync(server, "head@school.test", PortalRoles.Head);

        // Live sessions: Helen's name linking to her page, her MAC, address, network, VLAN, since (UK format).
        var (response, page) = await GetAsync(head, "/network");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var row = page.QuerySelector("#sessions tbody tr")!;
        row.QuerySelector("th a")!.TextContent.ShouldBe("Helen Marsh");
        row.QuerySelector("th a")!.GetAttribute("href").ShouldBe($"/people/{helen.Id}");
        var cells = row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        cells.ShouldBe([HelenMac, "10.30.0.52", "staff-wifi", "30", "25/11/2026 10:00", "Disconnect Helen Marsh"]);
        page.QuerySelectorAll("#sessions tbody tr").Length.ShouldBe(1);
        page.Body!.TextContent.ShouldNotContain("quillfield");
        page.QuerySelector("nav.main-nav a[href='/network']").ShouldNotBeNull();

        // Search: by name, by MAC in lower case, by VLAN; nothing for another school's user name.
        foreach (var search in new[] { "marsh", "3c-22-fb-10", "30" })
        {
            (_, page) = await GetAsync(head, "/network?q=" + Uri.EscapeDataString(search));
            page.QuerySelectorAll("#sessions tbody tr").Length.ShouldBe(1, search);
        }

        (_, page) = await GetAsync(head, "/network?q=quillfield");
        page.QuerySelector("#no-sessions").ShouldNotBeNull();

        // Refused sign-ins: Priya's, with the reason in words; searchable by her name and by the reason.
        (_, page) = await GetAsync(head, "/network/rejects");
        page.QuerySelectorAll("#rejects tbody tr").Length.ShouldBe(1);
        Text(page, "#rejects tbody th a").ShouldBe("Priya Patel");
        Text(page, "#rejects tbody tr").ShouldContain("must be signed first");
        page.Body!.TextContent.ShouldNotContain("quillfield");
        foreach (var search in new[] { "priya", "signed first" })
        {
            (_, page) = await GetAsync(head, "/network/rejects?q=" + Uri.EscapeDataString(search));
            page.QuerySelectorAll("#rejects tbody tr").Length.ShouldBe(1, search);
        }

        // The CSV exports.
        var csv = await head.GetStringAsync("/network?handler=csv");
        csv.ShouldStartWith("Person,User name,MAC,Address,Network,VLAN,Since,Last report\r\n");
        csv.ShouldContain($"Helen Marsh,h.marsh@school.test,{HelenMac},10.30.0.52,staff-wifi,30,25/11/2026 10:00");
        csv.ShouldNotContain("quillfield");
        (await head.GetStringAsync("/network/rejects?handler=csv")).ShouldContain("Priya Patel,priya.patel@school.test");

        // The person page: Helen's session, and Priya's last reject.
        (_, page) = await GetAsync(head, $"/people/{helen.Id}");
        Text(page, "#person-sessions tbody tr").ShouldContain("staff-wifi");
        Text(page, "#person-sessions tbody tr").ShouldContain(HelenMac);
        (_, page) = await GetAsync(head, $"/people/{priya.Id}");
        page.QuerySelector("#person-no-sessions").ShouldNotBeNull();
        Text(page, "#person-last-reject").ShouldContain("must be signed first");

        // Another school's session: not found, to look at or to disconnect.
        (await head.GetAsync($"/network/sessions/{otherSession}/disconnect")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Disconnect: the page asks first; posting without the box ticked changes nothing and records nothing.
        var path = $"/network/sessions/{helenSession}/disconnect";
        (response, page) = await GetAsync(head, path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("#Confirm")!.HasAttribute("checked").ShouldBeFalse();
        (response, page) = await PostPageAsync(head, page, path, new Dictionary<string, string>());
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Text(page, ".error-summary").ShouldContain("Tick the box");
        page.QuerySelector("#disconnect-result").ShouldBeNull();
        (await DisconnectAuditsAsync(server)).ShouldBeEmpty();

        // Confirmed: the result in words — no RADIUS client with a secret covers this NAS here, so nothing can be sent
        // (DisconnectTests sends real Disconnect-Requests) — and the audit entry.
        (response, page) = await PostPageAsync(head, page, path, new Dictionary<string, string> { ["Confirm"] = "true" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Text(page, "#disconnect-result").ShouldContain("Brightline cannot reach this session's network controller");
        var audits = await DisconnectAuditsAsync(server);
        audits.Count.ShouldBe(1);
        audits[0].Actor.ShouldBe("head@school.test");
        audits[0].Subject.ShouldBe($"network-session:{helenSession}");
        audits[0].Detail.ShouldStartWith($"h.marsh@school.test on staff-wifi from {HelenMac}: Not sent:");
        audits[0].Detail.ShouldEndWith("Reason: asked for in the portal by head@school.test");

        // Posting to another school's session with a valid token: not found, nothing recorded.
        (_, page) = await GetAsync(head, path);
        (response, _) = await PostPageAsync(head, page, $"/network/sessions/{otherSession}/disconnect", new Dictionary<string, string> { ["Confirm"] = "true" });
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await DisconnectAuditsAsync(server)).Count.ShouldBe(1);

        // An IT provider runs the network but does not see people's pages: the user name stands for the person.
        await CreateUserAsync(server, "it@school.test", PortalRoles.ItProvider);
        using var it = server.CreateClient();
        (await LoginAsync(it, "it@school.test")).ShouldRedirectTo("/");
        (response, page) = await GetAsync(it, "/network");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Text(page, "#sessions tbody th").Trim().ShouldBe("h.marsh@school.test");
        page.QuerySelector("#sessions tbody th a").ShouldBeNull();

        // A teacher does not see the page or the menu item.
        await CreateUserAsync(server, "teacher@school.test", PortalRoles.Teacher);
        using var teacher = server.CreateClient();
        (await LoginAsync(teacher, "teacher@school.test")).ShouldRedirectTo("/");
        (await teacher.GetAsync("/network")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static async Task<(HttpResponseMessage Response, IDocument Page)> PostPageAsync(HttpClient client, IDocument page, string path, Dictionary<string, string> fields)
    {
        var response = await SubmitAsync(client, page, path, fields);
        var html = await response.Content.ReadAsStringAsync();
        return (response, new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html.Length == 0 ? "<html><body></body></html>" : html));
    }

    private static async Task<List<AuditEntry>> DisconnectAuditsAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Action == NetworkAuditActions.Disconnect).ToListAsync();
    }
}
