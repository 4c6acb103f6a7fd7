using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Policy.Model;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.LostProperty;

/// <summary>
/// Issue 14: lost property (H15, Westbrook Hay), lost-or-stolen reports (F7, Westfield) and leavers' equipment (C19,
/// St Clement's) through the API (<c>/api/v1/devices/…</c>, ProblemDetails for bad input, school-scoped) and their
/// CSV exports (API <c>?format=csv</c> and the portal's download links), on each school's own policy file.
/// </summary>
public sealed class DevicesFeaturesApiTests
{
    private static async Task<T> WithDbAsync<T>(BrightlineServer server, Func<BrightlineDbContext, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }

    private static Task<List<AuditEntry>> ExportEntriesAsync(BrightlineServer server) =>
        WithDbAsync(server, db => db.AuditEntries.AsNoTracking().Where(e => e.Action == Brightline.Audit.AuditActions.Export).OrderBy(e => e.Id).ToListAsync());

    /// <summary>A signed-in member of staff's client, with the antiforgery header a cookie write to the API needs.</summary>
    private static async Task<HttpClient> SessionAsync(BrightlineServer server, string email)
    {
        var client = server.CreateClient();
        (await LoginAsync(client, email)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return await WithAntiforgeryAsync(client);
    }

    private static async Task<HttpClient> WithAntiforgeryAsync(HttpClient client)
    {
        var (_, page) = await GetAsync(client, "/account/password");
        client.DefaultRequestHeaders.Add("RequestVerificationToken", page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!);
        return client;
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
    }

    private static async Task<JsonObject> OkAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task H15_Api_LogsHandsToCustodianReturnsAndDisposes_ProblemDetailsForBadInput_OtherSchoolNotFound_CsvExport(DatabaseProvider provider)
    {
        const string school = "westbrook-hay";
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, LostPropertyTests.WestbrookHayWithTerms());
        await TestSchool.LoadPolicyAsync(server);
        await CreateUserAsync(server, "head-of-it@westbrook.test", "computing_lead", schoolId: school);
        using var api = server.CreateApiClient();
        var q = "?school=" + school;

        // Logging a found device: bad input is a ProblemDetails in words; nothing is stored.
        (await ProblemAsync(await api.PostAsJsonAsync("/api/v1/devices/found" + q, new { foundWhere = "Library", foundBy = "Mrs Green" }), HttpStatusCode.BadRequest))
            .ShouldContain("Describe the device");
        (await ProblemAsync(await api.PostAsJsonAsync("/api/v1/devices/found" + q, new { kind = "toaster", description = "x", foundWhere = "Hall", foundBy = "Mr Brown" }), HttpStatusCode.BadRequest))
            .ShouldContain("'toaster' is not a kind of device");
        (await WithDbAsync(server, db => db.Set<FoundDevice>().CountAsync())).ShouldBe(0);

        var created = await OkAsync(await api.PostAsJsonAsync("/api/v1/devices/found" + q, new
        {
            kind = "laptop", description = "Grey Dell laptop, no name", serial = "DL-7781", foundWhere = "Library", foundBy = "Mrs Green",
        }), HttpStatusCode.Created);
        var id = created["device"]!["id"]!.GetValue<Guid>();
        created["device"]!["state"]!.GetValue<string>().ShouldBe("found");
        // A description typed by anyone, which a spreadsheet would otherwise run as a formula.
        var formula = (await OkAsync(await api.PostAsJsonAsync("/api/v1/devices/found" + q, new
        {
            description = "=HYPERLINK(\"http://evil.test\")", foundWhere = "Field", foundBy = "Caretaker",
        }), HttpStatusCode.Created))["device"]!["id"]!.GetValue<Guid>();

        // The list, by tab and search, paged; a tab the list does not have is a mistake said in words.
        var list = await OkAsync(await api.GetAsync("/api/v1/devices/found" + q + "&search=dell"));
        (list["tab"]!.GetValue<string>(), list["total"]!.GetValue<int>(), list["page"]!.GetValue<int>()).ShouldBe(("found", 1, 1));
        list["devices"]![0]!["description"]!.GetValue<string>().ShouldBe("Grey Dell laptop, no name");
        list["devices"]![0]!["foundBy"]!.GetValue<string>().ShouldBe("Mrs Green");
        (await ProblemAsync(await api.GetAsync("/api/v1/devices/found" + q + "&tab=lost"), HttpStatusCode.BadRequest)).ShouldContain("'lost' is not a lost-property tab");
        (await ProblemAsync(await api.GetAsync("/api/v1/devices/found" + q + "&format=xml"), HttpStatusCode.BadRequest)).ShouldContain("format=csv");

        // One device, with its history; a malformed id is 400; another school's found device is not found (school isolation).
        var one = await OkAsync(await api.GetAsync($"/api/v1/devices/found/{id}" + q));
        one["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()).ShouldBe(["found"]);
        (await ProblemAsync(await api.GetAsync("/api/v1/devices/found/not-a-guid" + q), HttpStatusCode.BadRequest)).ShouldContain("not a found device id");
        await ProblemAsync(await api.GetAsync($"/api/v1/devices/found/{id}?school={TestSchool.Id}"), HttpStatusCode.NotFound);
        await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/devices/found/{id}/dispose?school={TestSchool.Id}", new { confirm = true }), HttpStatusCode.NotFound);

        // Lost property is the keepers': a DSL's session may use the API but not this (as on the portal).
        // (A DSL signs in with two factors.)
        var dsl = await WithAntiforgeryAsync(await SignInWithTwoFactorAsync(server, "dsl@westbrook.test", "dsl", schoolId: school));
        await ProblemAsync(await dsl.GetAsync("/api/v1/devices/found"), HttpStatusCode.Forbidden);

        // H15 custody: signed with a password, so the API key (a machine) cannot; the custodian signs as the caller.
        (await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/devices/found/{id}/custody" + q, new { password = Password }), HttpStatusCode.Forbidden))
            .ShouldContain("cannot sign for a found device");
        var head = await SessionAsync(server, "head-of-it@westbrook.test");
        (await ProblemAsync(await head.PostAsJsonAsync($"/api/v1/devices/found/{id}/custody", new { password = "guess" }), HttpStatusCode.BadRequest))
            .ShouldContain("The password is not right");
        var held = await OkAsync(await head.PostAsJsonAsync($"/api/v1/devices/found/{id}/custody", new { password = Password }));
        held["device"]!["state"]!.GetValue<string>().ShouldBe("in_custody");
        held["device"]!["custodian"]!.GetValue<string>().ShouldBe("head-of-it@westbrook.test");
        held["device"]!["holdUntil"]!.GetValue<string>().ShouldBe("2026-12-16", "one term on Westbrook Hay's calendar: until the end of Autumn 2026");
        (await ProblemAsync(await head.PostAsJsonAsync($"/api/v1/devices/found/{id}/dispose", new { wipeMethod = "Reset", wipedBy = "J. Patel", confirm = true }), HttpStatusCode.BadRequest))
            .ShouldContain("held until 16/12/2026");

        // A claimed device goes back with the owner's typed name, witnessed by the caller's own password.
        (await ProblemAsync(await head.PostAsJsonAsync($"/api/v1/devices/found/{formula}/return", new { password = Password }), HttpStatusCode.BadRequest))
            .ShouldContain("types their full name");
        var returned = await OkAsync(await head.PostAsJsonAsync($"/api/v1/devices/found/{formula}/return", new { ownerName = "Sam Owner", password = Password }));
        (returned["device"]!["outcome"]!.GetValue<string>(), returned["device"]!["returnedTo"]!.GetValue<string>(), returned["device"]!["witnessedBy"]!.GetValue<string>())
            .ShouldBe(("returned", "Sam Owner", "head-of-it@westbrook.test"));

        // The hold ends: disposal needs the wipe and an explicit "confirm": true.
        server.Clock.Advance(TimeSpan.FromDays(22));
        await LostStolenTests.WaitForMailAsync(server, m => m.Contains("due for disposal", StringComparison.Ordinal) && m.Contains("head-of-it@westbrook.test", StringComparison.Ordinal));
        (await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/devices/found/{id}/dispose" + q, new { wipeMethod = "Factory reset, disk erased", wipedBy = "J. Patel" }), HttpStatusCode.BadRequest))
            .ShouldContain("\"confirm\": true");
        (await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/devices/found/{id}/dispose" + q, new { wipedBy = "J. Patel", confirm = true }), HttpStatusCode.BadRequest))
            .ShouldContain("how the device's data was wiped");
        var disposed = await OkAsync(await api.PostAsJsonAsync($"/api/v1/devices/found/{id}/dispose" + q, new
        {
            wipeMethod = "Factory reset, disk erased", wipedBy = "J. Patel", note = "WEEE recycling", confirm = true,
        }));
        (disposed["device"]!["state"]!.GetValue<string>(), disposed["device"]!["outcome"]!.GetValue<string>()).ShouldBe(("disposed", "disposed"));
        (await WithDbAsync(server, db => db.Set<DeviceHistoryEntry>().AsNoTracking().Where(h => h.DeviceId == id).OrderBy(h => h.Id).Select(h => h.Action).ToListAsync()))
            .ShouldBe(["found", "state.in_custody", "listed_for_disposal", "state.disposed"]);

        // The export: the whole tab as CSV, UK dates, names as signed, formula-safe cells.
        var csvResponse = await api.GetAsync("/api/v1/devices/found" + q + "&tab=closed&format=csv");
        csvResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        csvResponse.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var csv = await csvResponse.Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("Description,Kind,Serial,State,Found,Found where,Found by");
        lines.Length.ShouldBe(3);
        csv.ShouldContain("Grey Dell laptop, no name");
        csv.ShouldContain("head-of-it@westbrook.test");
        csv.ShouldContain("16/12/2026");
        csv.ShouldContain("Factory reset, disk erased");
        csv.ShouldContain("\"'=HYPERLINK(\"\"http://evil.test\"\")\"");
        csv.ShouldContain("Sam Owner");
        csv.ShouldNotContain(id.ToString());
        // Issue 17 (export): the API's download is audited as the portal's is — what, how many rows, by whom.
        var exported = await ExportEntriesAsync(server);
        exported.Count.ShouldBe(1);
        (exported[0].SchoolId, exported[0].Actor, exported[0].Subject).ShouldBe((school, "api-key", "lost property"));
        exported[0].Detail!.ShouldContain("2 rows");
        exported[0].Detail!.ShouldContain("filter: tab=closed");

        // The portal's download link on the list page gives the same file.
        head = server.CreateClient();
        (await LoginAsync(head, "head-of-it@westbrook.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (_, page) = await GetAsync(head, "/devices/found?tab=closed");
        var link = page.QuerySelector("#found-csv")!.GetAttribute("href")!;
        link.ShouldContain("handler=csv");
        var portalCsv = await head.GetAsync(link);
        portalCsv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        (await portalCsv.Content.ReadAsStringAsync()).ShouldBe(csv);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task F7_Api_ReportLost_ByKeeperKeyAndByTheDevicesOwnPerson_ProblemDetailsForBadInput_OtherSchoolNotFound(DatabaseProvider provider)
    {
        const string school = "westfield";
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("westfield.yaml")));
        await TestSchool.LoadPolicyAsync(server);
        var (owner, laptop, tablet) = await WithDbAsync(server, async db =>
        {
            var now = server.Clock.GetUtcNow();
            var person = new Person
            {
                Id = Guid.NewGuid(), SchoolId = school, ExternalId = "D100", Source = "manual", GivenName = "Dee", FamilyName = "Safe", KindMask = 1 << (int)PersonKind.Staff,
                JoinedOn = new DateOnly(2024, 9, 1), CreatedAt = now, UpdatedAt = now,
            };
            Device New(string tag, string name, Guid? personId) => new()
            {
                Id = Guid.NewGuid(), SchoolId = school, AssetTag = tag, Kind = DeviceKind.Laptop, Model = "HP ProBook 450", Name = name,
                Ownership = DeviceOwnership.School, State = DeviceState.InUse, PersonId = personId, Macs = "", CreatedAt = now, CreatedBy = "test", UpdatedAt = now,
            };
            var mine = New("WF-L-020", "Dee's staff laptop", person.Id);
            var suite = New("WF-T-003", "Suite tablet 3", null);
            db.AddRange(person, mine, suite);
            await db.SaveChangesAsync();
            return (person, mine, suite);
        });
        await using (var scope = server.CreateScope())
        {
            // Dee signs the staff agreement first, so the agreement gate (C8) lets her into the portal.
            await scope.ServiceProvider.GetRequiredService<Brightline.Agreements.AgreementService>().SignAsync(
                new Brightline.Agreements.SignRequest(school, owner.Id, owner.Id, "staff", "DEE SAFE", "DSL", null, true, SignatureMethod.Portal, "127.0.0.1", "test"),
                CancellationToken.None);
        }

        using var api = server.CreateApiClient();
        var q = "?school=" + school;

        // Bad input: lost or stolen must be said, and what happened; a malformed id; another school's device is not found.
        (await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/devices/{tablet.Id}/report-lost" + q, new { circumstances = "Gone from the trolley." }), HttpStatusCode.BadRequest))
            .ShouldContain("lost or stolen");
        (await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/devices/{tablet.Id}/report-lost" + q, new { stolen = false, circumstances = " " }), HttpStatusCode.BadRequest))
            .ShouldContain("last seen");
        await ProblemAsync(await api.PostAsJsonAsync("/api/v1/devices/not-a-guid/report-lost" + q, new { stolen = false, circumstances = "x" }), HttpStatusCode.BadRequest);
        await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/devices/{tablet.Id}/report-lost?school={TestSchool.Id}", new { stolen = false, circumstances = "x" }), HttpStatusCode.NotFound);
        (await WithDbAsync(server, db => db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == tablet.Id))).State.ShouldBe(DeviceState.InUse);

        // The API key reports as a keeper: any device of the school.
        var lost = await OkAsync(await api.PostAsJsonAsync($"/api/v1/devices/{tablet.Id}/report-lost" + q, new { stolen = false, circumstances = "Not on the trolley after Year 5's lesson." }));
        lost["state"]!.GetValue<string>().ShouldBe("lost");
        lost["incident"]!.GetValue<Guid?>().ShouldNotBeNull();
        (await WithDbAsync(server, db => db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == tablet.Id))).State.ShouldBe(DeviceState.Lost);
        (await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/devices/{tablet.Id}/report-lost" + q, new { stolen = true, circumstances = "Again." }), HttpStatusCode.BadRequest))
            .ShouldContain("only a device in use, on loan or in repair");

        // A member of staff who is not a keeper (the DSL) may report only the device assigned to her, as on the portal.
        var dee = await WithAntiforgeryAsync(await SignInWithTwoFactorAsync(server, "dsl@westfield.test", "dsl", owner.Id, school));
        await ProblemAsync(await dee.PostAsJsonAsync($"/api/v1/devices/{Guid.NewGuid()}/report-lost", new { stolen = true, circumstances = "x" }), HttpStatusCode.NotFound);
        var stolen = await OkAsync(await dee.PostAsJsonAsync($"/api/v1/devices/{laptop.Id}/report-lost", new { stolen = true, circumstances = "Taken from my car on Tuesday evening." }));
        stolen["state"]!.GetValue<string>().ShouldBe("stolen");
        var history = await WithDbAsync(server, db => db.Set<DeviceHistoryEntry>().AsNoTracking().Where(h => h.DeviceId == laptop.Id).OrderBy(h => h.Id).ToListAsync());
        history[0].Action.ShouldBe("state.stolen");
        history[0].Actor.ShouldBe("dsl@westfield.test");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C19_Api_OpensListsAndClosesChecklistLines_ProblemDetailsForBadInput_OtherSchoolNotFound_CsvExport(DatabaseProvider provider)
    {
        const string school = "st-clements";
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("st-clements.yaml")));
        await TestSchool.LoadPolicyAsync(server);
        var (leaver, ipad, phone) = await WithDbAsync(server, async db =>
        {
            var now = server.Clock.GetUtcNow();
            var person = new Person
            {
                Id = Guid.NewGuid(), SchoolId = school, ExternalId = "S300", Source = "staff", GivenName = "Lena", FamilyName = "Leaver", KindMask = 1 << (int)PersonKind.Staff,
                JoinedOn = new DateOnly(2020, 9, 1), CreatedAt = now, UpdatedAt = now,
            };
            Device New(string name, DeviceOwnership ownership) => new()
            {
                Id = Guid.NewGuid(), SchoolId = school, Kind = DeviceKind.Tablet, Model = name, Name = name, Ownership = ownership, State = DeviceState.InUse, PersonId = person.Id,
                Macs = "", CreatedAt = now, CreatedBy = "test", UpdatedAt = now,
            };
            var tablet = New("Class 4 iPad 7", DeviceOwnership.School);
            var personal = New("Lena's phone", DeviceOwnership.Personal);
            db.AddRange(person, tablet, personal);
            await db.SaveChangesAsync();
            return (person, tablet, personal);
        });
        await CreateUserAsync(server, "sbm@stclements.test", "business_manager", schoolId: school);
        using var api = server.CreateApiClient();
        var q = "?school=" + school;

        // Opening: whom, why and when, in words when wrong.
        (await ProblemAsync(await api.PostAsJsonAsync("/api/v1/devices/leavers" + q, new { person = "S300", reason = "retiring" }), HttpStatusCode.BadRequest))
            .ShouldContain("'retiring' is not a reason");
        (await ProblemAsync(await api.PostAsJsonAsync("/api/v1/devices/leavers" + q, new { person = "Nobody Here", reason = "leaving" }), HttpStatusCode.BadRequest))
            .ShouldContain("Nobody at the school");
        (await ProblemAsync(await api.PostAsJsonAsync("/api/v1/devices/leavers" + q, new { personId = leaver.Id, reason = "long_absence", startsOn = "2026-12-01", endsOn = "2026-12-03" }), HttpStatusCode.BadRequest))
            .ShouldContain("shorter than the policy's long absence");
        // Another school's person cannot be given a checklist here.
        (await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/devices/leavers?school={TestSchool.Id}", new { personId = leaver.Id, reason = "leaving" }), HttpStatusCode.BadRequest))
            .ShouldContain("not at this school");

        var opened = await OkAsync(await api.PostAsJsonAsync("/api/v1/devices/leavers" + q, new { person = "S300", reason = "leaving", startsOn = "2026-12-18" }), HttpStatusCode.Created);
        var id = opened["id"]!.GetValue<Guid>();
        (opened["person"]!.GetValue<string>(), opened["reason"]!.GetValue<string>(), opened["startsOn"]!.GetValue<string>()).ShouldBe(("Lena Leaver", "leaving", "2026-12-18"));
        var items = opened["items"]!.AsArray();
        items.Select(i => (i!["kind"]!.GetValue<string>(), i["deviceId"]!.GetValue<Guid>())).ShouldBe([("school_device", ipad.Id), ("personal_device", phone.Id)]);
        await ProblemAsync(await api.PostAsJsonAsync("/api/v1/devices/leavers" + q, new { personId = leaver.Id, reason = "leaving", startsOn = "2026-12-18" }), HttpStatusCode.Conflict);

        // Listing (open/closed, search, paged) and one checklist; another school's checklist is not found.
        var list = await OkAsync(await api.GetAsync("/api/v1/devices/leavers" + q + "&search=lena"));
        (list["status"]!.GetValue<string>(), list["total"]!.GetValue<int>()).ShouldBe(("open", 1));
        (list["checklists"]![0]!["person"]!.GetValue<string>(), list["checklists"]![0]!["open"]!.GetValue<int>()).ShouldBe(("Lena Leaver", 2));
        (await ProblemAsync(await api.GetAsync("/api/v1/devices/leavers" + q + "&status=pending"), HttpStatusCode.BadRequest)).ShouldContain("status=closed");
        (await OkAsync(await api.GetAsync($"/api/v1/devices/leavers/{id}" + q)))["items"]!.AsArray().Count.ShouldBe(2);
        await ProblemAsync(await api.GetAsync($"/api/v1/devices/leavers/{id}?school={TestSchool.Id}"), HttpStatusCode.NotFound);
        await ProblemAsync(await api.GetAsync("/api/v1/devices/leavers/nope" + q), HttpStatusCode.BadRequest);

        // Closing lines: the outcome must fit the line; a written-off line says why.
        var ipadItem = items[0]!["id"]!.GetValue<long>();
        var phoneItem = items[1]!["id"]!.GetValue<long>();
        (await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/devices/leavers/{id}/items/{ipadItem}/close" + q, new { outcome = "lost" }), HttpStatusCode.BadRequest))
            .ShouldContain("Choose what happened");
        (await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/devices/leavers/{id}/items/{phoneItem}/close" + q, new { outcome = "returned" }), HttpStatusCode.BadRequest))
            .ShouldContain("personal device is not returned");
        (await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/devices/leavers/{id}/items/{ipadItem}/close" + q, new { outcome = "written_off" }), HttpStatusCode.BadRequest))
            .ShouldContain("Say why it is written off");
        await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/devices/leavers/{id}/items/x/close" + q, new { outcome = "returned" }), HttpStatusCode.BadRequest);
        await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/devices/leavers/{id}/items/{ipadItem}/close?school={TestSchool.Id}", new { outcome = "returned" }), HttpStatusCode.NotFound);
        var afterIpad = await OkAsync(await api.PostAsJsonAsync($"/api/v1/devices/leavers/{id}/items/{ipadItem}/close" + q, new { outcome = "returned", note = "Charger too" }));
        afterIpad["items"]![0]!["outcome"]!.GetValue<string>().ShouldBe("returned");
        afterIpad["closedAt"].ShouldBeNull();
        var ipadNow = await WithDbAsync(server, db => db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == ipad.Id));
        ipadNow.PersonId.ShouldBeNull("handed back: no longer assigned");

        // The export of the open list: names, UK dates, counts; formula-safe.
        var csv = await (await api.GetAsync("/api/v1/devices/leavers" + q + "&format=csv")).Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("Person,Reason,From,Until,Opened,Opened by,Items,Still to come back,Closed");
        lines.Length.ShouldBe(2);
        lines[1].ShouldStartWith("Lena Leaver,Leaving,18/12/2026,,");
        lines[1].ShouldContain(",2,1,");
        csv.ShouldNotContain(leaver.Id.ToString());
        (await ExportEntriesAsync(server)).Where(e => e.Subject == "leavers' checklists").Select(e => e.Detail).ShouldHaveSingleItem()!.ShouldContain("1 row;");

        var closed = await OkAsync(await api.PostAsJsonAsync($"/api/v1/devices/leavers/{id}/items/{phoneItem}/close" + q, new { outcome = "data_removed" }));
        closed["closedAt"].ShouldNotBeNull("every line is closed");
        (await OkAsync(await api.GetAsync("/api/v1/devices/leavers" + q + "&status=closed")))["total"]!.GetValue<int>().ShouldBe(1);

        // The portal's download link on the list page (closed tab).
        var sbm = server.CreateClient();
        (await LoginAsync(sbm, "sbm@stclements.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (_, page) = await GetAsync(sbm, "/devices/leavers?closed=true");
        var link = page.QuerySelector("#leavers-csv")!.GetAttribute("href")!;
        var portalCsv = await sbm.GetAsync(link);
        portalCsv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var portalLines = (await portalCsv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        portalLines.Length.ShouldBe(2);
        portalLines[1].ShouldStartWith("Lena Leaver,Leaving,18/12/2026,,");
        portalLines[1].ShouldContain(",2,0,");
    }
}
