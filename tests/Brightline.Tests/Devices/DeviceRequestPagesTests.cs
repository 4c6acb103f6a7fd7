using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using static Brightline.Tests.Devices.DeviceRequestWorld;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Devices;

/// <summary>The request pages and the API at Westbrook Hay (H3): a parent asks through the form, the head decides through the page and the API.</summary>
public sealed class DeviceRequestPagesTests
{
    private const string Pupils = """
        Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
        H001,,Poppy,Hill,Reception,R Oak,01/09/2026,Rachel Hill,rachel.hill@parents.test,Mother
        H002,,Oscar,Hill,Year 4,4 Ash,01/09/2022,Rachel Hill,rachel.hill@parents.test,Mother
        H003,,Mia,Stone,Year 4,4 Elm,01/09/2022,Tom Stone,tom.stone@parents.test,Father
        """;

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task H3_ParentAsksThroughTheForm_EyfsShowsThePolicysReason_HeadDecidesOnThePageAndTheApi(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        await LoadSchoolAsync(server, "westbrook-hay", Pupils);
        var poppy = await PersonAsync(server, "westbrook-hay", p => p.ExternalId == "H001");
        var oscar = await PersonAsync(server, "westbrook-hay", p => p.ExternalId == "H002");
        var rachel = await PersonAsync(server, "westbrook-hay", p => p.Email == "rachel.hill@parents.test");
        var tom = await PersonAsync(server, "westbrook-hay", p => p.Email == "tom.stone@parents.test");
        await CreateUserAsync(server, "rachel.hill@parents.test", "parent", rachel.Id, "westbrook-hay");
        await CreateUserAsync(server, "tom.stone@parents.test", "parent", tom.Id, "westbrook-hay");
        var parent = server.CreateClient();
        (await LoginAsync(parent, "rachel.hill@parents.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // The parent chooses among their children (names, not IDs).
        var (response, page) = await GetAsync(parent, "/devices/requests/new");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var options = page.QuerySelectorAll("#for option").Select(o => o.TextContent.Trim()).ToList();
        options.ShouldContain("Poppy Hill");
        options.ShouldContain("Oscar Hill");
        options.ShouldNotContain("Mia Stone");

        // H3: for Poppy (EYFS) the page shows the policy's reason instead of the form.
        (response, page) = await GetAsync(parent, $"/devices/requests/new?for={poppy.Id}&kind=personal_device");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("#refusal")!.TextContent.ShouldContain(EyfsReason);
        page.QuerySelector("#request-form").ShouldBeNull();

        // For Oscar the form asks for the passcode in words; without the tick nothing is stored.
        var path = $"/devices/requests/new?for={oscar.Id}&kind=personal_device";
        (response, page) = await GetAsync(parent, path);
        page.QuerySelector("#refusal").ShouldBeNull();
        page.QuerySelector("#request-form")!.TextContent.ShouldContain("A password, PIN or fingerprint protects the device");
        var fields = new Dictionary<string, string>
        {
            ["DeviceKind"] = "phone",
            ["Description"] = "Black phone in a red case",
            ["Reason"] = "Walks home alone on Tuesdays",
            ["Macs"] = "aa-bb-cc-dd-ee-02",
        };
        var refused = await SubmitAsync(parent, page, path, fields, "#request-form");
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("password, pin or fingerprint");
        (await DbAsync(server, db => db.Set<DeviceRequest>().CountAsync())).ShouldBe(0);
        fields["Attestations"] = "passcode";
        var sent = await SubmitAsync(parent, page, path, fields, "#request-form");
        sent.ShouldRedirectTo("/devices/requests/");
        var detail = sent.Headers.Location!.ToString();

        // The parent's list and the detail; another parent cannot open it.
        (response, page) = await GetAsync(parent, "/devices/requests");
        page.QuerySelectorAll("#requests tbody tr").Length.ShouldBe(1);
        page.QuerySelector("#requests tbody tr")!.TextContent.ShouldContain("Oscar Hill");
        (response, page) = await GetAsync(parent, detail);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("#decide").ShouldBeNull("the parent who asked does not decide");
        page.QuerySelector("#withdraw").ShouldNotBeNull();
        var other = server.CreateClient();
        await LoginAsync(other, "tom.stone@parents.test");
        (await other.GetAsync(detail)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The head (no person record here, so no agreement to sign first) sees the queue and decides on the page, confirming.
        var head = await SignInWithTwoFactorAsync(server, "head@westbrook.test", "head", schoolId: "westbrook-hay");
        (response, page) = await GetAsync(head, "/devices/requests");
        page.QuerySelectorAll("#requests tbody tr").Length.ShouldBe(1);
        var csv = await head.GetAsync("/devices/requests?handler=csv&state=pending");
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        (await csv.Content.ReadAsStringAsync()).ShouldContain("Oscar Hill");
        (response, page) = await GetAsync(head, detail);
        page.QuerySelector("#decide").ShouldNotBeNull();
        var unconfirmed = await SubmitAsync(head, page, detail + "?handler=Approve", new Dictionary<string, string>(), "#decide");
        unconfirmed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await unconfirmed.Content.ReadAsStringAsync()).ShouldContain("Tick the box");
        (await SubmitAsync(head, page, detail + "?handler=Approve", new Dictionary<string, string> { ["Confirm"] = "true" }, "#decide")).ShouldRedirectTo(detail);
        (await DbAsync(server, db => db.Set<DeviceRequest>().SingleAsync())).State.ShouldBe(DeviceRequestState.Approved);

        // The API: the list, ProblemDetails for the EYFS refusal in the policy's words, for bad JSON and for a refusal without a note.
        var token = page.QuerySelector("#decide input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        head.DefaultRequestHeaders.Add("RequestVerificationToken", token);
        var list = await head.GetFromJsonAsync<JsonElement>("/api/v1/devices/requests/?state=approved");
        list.GetProperty("total").GetInt32().ShouldBe(1);
        list.GetProperty("requests")[0].GetProperty("person").GetString().ShouldBe("Oscar Hill");

        var eyfs = await head.PostAsJsonAsync("/api/v1/devices/requests/", new
        {
            personId = poppy.Id, kind = "personal_device", deviceKind = "wearable", description = "Smart watch", reason = "To call home", attestations = new[] { "passcode" },
        });
        eyfs.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        eyfs.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await eyfs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldBe(EyfsReason);

        var bad = await head.PostAsync("/api/v1/devices/requests/", new StringContent("{not json", Encoding.UTF8, "application/json"));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("not valid JSON");

        var second = await head.PostAsJsonAsync("/api/v1/devices/requests/", new
        {
            personId = oscar.Id, kind = "personal_device", deviceKind = "tablet", description = "Green tablet", reason = "Reading app", attestations = new[] { "passcode" },
        });
        second.StatusCode.ShouldBe(HttpStatusCode.Created);
        var secondId = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // The head asked this one, so the head may not decide it either.
        (await head.PostAsJsonAsync($"/api/v1/devices/requests/{secondId}/approve", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var third = await parent.GetAsync("/devices/requests");
        third.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await head.PostAsJsonAsync($"/api/v1/devices/requests/{Guid.NewGuid()}/refuse", new { note = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // H3: the head may withdraw the approval early — on the page only with the tick, through the API with a reason;
        // the parent sees no such button.
        (response, page) = await GetAsync(head, detail);
        page.QuerySelector("#withdraw-approval").ShouldNotBeNull();
        var (_, parentPage) = await GetAsync(parent, detail);
        parentPage.QuerySelector("#withdraw-approval").ShouldBeNull();
        var notTicked = await SubmitAsync(head, page, detail + "?handler=WithdrawApproval", new Dictionary<string, string> { ["Reason"] = "Used in lessons" }, "#withdraw-approval");
        notTicked.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await notTicked.Content.ReadAsStringAsync()).ShouldContain("Tick the box");
        var approvedId = (await DbAsync(server, db => db.Set<DeviceRequest>().SingleAsync(r => r.State == DeviceRequestState.Approved))).Id;
        var noReason = await head.PostAsJsonAsync($"/api/v1/devices/requests/{approvedId}/withdraw", new { });
        noReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        noReason.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var withdrawn = await head.PostAsJsonAsync($"/api/v1/devices/requests/{approvedId}/withdraw", new { reason = "Used in lessons" });
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await withdrawn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString().ShouldBe("withdrawn");
        (await DbAsync(server, db => db.Set<Device>().SingleAsync())).State.ShouldBe(DeviceState.Withdrawn);
        (await head.PostAsJsonAsync($"/api/v1/devices/requests/{approvedId}/withdraw", new { reason = "again" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }
}
