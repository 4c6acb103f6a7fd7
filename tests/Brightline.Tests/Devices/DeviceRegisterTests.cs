using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Kernel;
using Brightline.Network;
using Brightline.Pages.Devices;
using Brightline.People;
using Brightline.Policy.Model;
using Brightline.Portal;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Devices;

/// <summary>
/// The device register (issue 14, point 1), on both databases: register, edit with old → new history, unique asset tags,
/// state changes with the data wipe recorded on disposal (H15, F7), attestations against the policy's school-device rules
/// (C16 laptops encrypted, C17 phones with a passcode), search/filter/paging/export, the CSV import's dry run and row
/// errors, the pages, labels and API, school scoping, and MAC authentication from the register (O21, C3).
/// </summary>
public sealed class DeviceRegisterTests
{
    private const string Actor = "priya.patel@school.test";

    /// <summary>C16 and C17 as a policy's devices.school_devices section says them.</summary>
    private static readonly DevicesPolicy s_safety = new()
    {
        SchoolDevices = [new DeviceSafetyRule(["laptop"], [DeviceAttestationKeys.Encrypted], "C16"), new DeviceSafetyRule(["phone", "tablet"], [DeviceAttestationKeys.Passcode], "C17")],
    };

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider)
    {
        var server = await BrightlineServer.StartAsync(provider);
        try
        {
            await TestSchool.LoadPolicyAsync(server);
            await TestSchool.LoadOtherSchoolAsync(server);
            await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
            await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static DeviceInput Laptop(string tag, string name, Guid? person = null, string? macs = null) =>
        new(tag, null, "laptop", "Dell Latitude 5440", name, "school", person, null, "Staff room", null, macs, null);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Register_AddEditAssignStateAndDisposal_KeepEveryChangeInHistory_TagsAndMacsUnique_C16C17Attestations(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var priya = await TestSchool.PersonAsync(server, "S01");
        var helen = await TestSchool.PersonAsync(server, "S02");
        await using var scope = server.CreateScope();
        var register = scope.ServiceProvider.GetRequiredService<DeviceRegister>();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var ct = CancellationToken.None;

        var laptop = await register.AddAsync(TestSchool.Id, Laptop("BL-0001", "Priya's laptop", priya.Id, "AA-BB-CC-00-00-10"), Actor, ct);
        laptop.Macs.ShouldBe("aa:bb:cc:00:00:10");
        (await db.Set<DeviceMac>().SingleAsync(m => m.DeviceId == laptop.Id)).Mac.ShouldBe("aa:bb:cc:00:00:10", "the MAC index is kept in step");

        // Asset tags are unique in the school, whatever their case; a MAC belongs to one device.
        var dup = await Should.ThrowAsync<InvalidException>(() => register.AddAsync(TestSchool.Id, Laptop("bl-0001", "Another laptop"), Actor, ct));
        dup.Message.ShouldContain("The asset tag 'bl-0001' is already on 'Priya's laptop'");
        (await Should.ThrowAsync<InvalidException>(() => register.AddAsync(TestSchool.Id, Laptop("BL-0002", "Another", macs: "aabbcc000010"), Actor, ct)))
            .Message.ShouldContain("aa:bb:cc:00:00:10 is already the MAC address of 'Priya's laptop'");
        (await Should.ThrowAsync<InvalidException>(() => register.AddAsync(TestSchool.Id, Laptop("BL-0003", "") with { Kind = "toaster" }, Actor, ct)))
            .Message.ShouldSatisfyAllConditions(m => m.ShouldContain("The device's name is missing."), m => m.ShouldContain("'toaster' is not a kind of device"));
        // Another school may use the same tag: tags are unique per school.
        (await register.AddAsync(TestSchool.OtherId, Laptop("BL-0001", "Quillfield laptop"), Actor, ct)).AssetTag.ShouldBe("BL-0001");

        // Edit: the history says what changed, old → new, with names not ids.
        var changes = await register.EditAsync(TestSchool.Id, laptop.Id, Laptop("BL-0001", "Priya's laptop", helen.Id, "AA-BB-CC-00-00-10 AA-BB-CC-00-00-11") with { Location = "Office" }, Actor, ct);
        changes.ShouldBe(["Person: Priya Patel → Helen Marsh", "Location: 'Staff room' → 'Office'", "MAC addresses: 'aa:bb:cc:00:00:10' → 'aa:bb:cc:00:00:10 aa:bb:cc:00:00:11'"]);
        (await register.EditAsync(TestSchool.Id, laptop.Id, Laptop("BL-0001", "Priya's laptop", helen.Id, "aa:bb:cc:00:00:10 aa:bb:cc:00:00:11") with { Location = "Office" }, Actor, ct))
            .ShouldBeEmpty("an edit that changes nothing records nothing");
        (await register.AssignAsync(TestSchool.Id, laptop.Id, null, "3 Oak", "Oak classroom", Actor, ct)).ShouldContain("Class: — → '3 Oak'");

        // C16: a school laptop must be encrypted; the latest attestation decides.
        var missing = DeviceSafety.Missing(s_safety, (await register.FindAsync(TestSchool.Id, laptop.Id, ct))!, await register.AttestationsAsync(TestSchool.Id, laptop.Id, ct));
        missing.Single().ShouldBe((DeviceAttestationKeys.Encrypted, (string?)"C16"));
        await register.AttestAsync(TestSchool.Id, laptop.Id, DeviceAttestationKeys.Encrypted, true, "BitLocker on, key in the safe", Actor, ct);
        DeviceSafety.Missing(s_safety, laptop, await register.AttestationsAsync(TestSchool.Id, laptop.Id, ct)).ShouldBeEmpty();
        await register.AttestAsync(TestSchool.Id, laptop.Id, DeviceAttestationKeys.Encrypted, false, "BitLocker suspended", Actor, ct);
        DeviceSafety.Missing(s_safety, laptop, await register.AttestationsAsync(TestSchool.Id, laptop.Id, ct)).Count.ShouldBe(1, "a later 'not so' undoes the confirmation");
        await Should.ThrowAsync<InvalidException>(() => register.AttestAsync(TestSchool.Id, laptop.Id, "blessed", true, null, Actor, ct));

        // C17: a school phone needs a passcode; a personal phone is not the school's to attest here.
        var phone = await register.AddAsync(TestSchool.Id, new DeviceInput("BL-0100", null, "phone", "iPhone SE", "Office phone", "school", null, null, "Office", null, null, null), Actor, ct);
        DeviceSafety.Missing(s_safety, phone, []).Single().ShouldBe((DeviceAttestationKeys.Passcode, (string?)"C17"));
        DeviceSafety.Required(s_safety, DeviceOwnership.Personal, DeviceKind.Phone).ShouldBeEmpty();

        // State changes: in repair, then disposal only with the data wipe recorded; disposal is final.
        await register.ChangeStateAsync(TestSchool.Id, laptop.Id, DeviceState.InRepair, Actor, "Keyboard replaced under warranty", ct);
        (await Should.ThrowAsync<InvalidException>(() => register.ChangeStateAsync(TestSchool.Id, laptop.Id, DeviceState.Disposed, Actor, null, ct)))
            .Message.ShouldContain("Say how the device's data was wiped and by whom");
        await register.ChangeStateAsync(TestSchool.Id, laptop.Id, DeviceState.Disposed, Actor, "Beyond repair", ct, "Blancco erase by J Smith, certificate 4471");
        await Should.ThrowAsync<ConflictException>(() => register.ChangeStateAsync(TestSchool.Id, laptop.Id, DeviceState.InUse, Actor, null, ct));
        await register.RecordAsync(TestSchool.Id, laptop.Id, "note", "Collected by the recycler", Actor, ct);

        var history = await register.HistoryAsync(TestSchool.Id, laptop.Id, ct);
        history.Select(h => h.Action).ShouldBe(["registered", "edited", "edited", "attested.encrypted", "attested.encrypted", "state.in_repair", "state.disposed", "note"]);
        history[^2].Detail.ShouldBe("In repair → Disposed of. Data wiped: Blancco erase by J Smith, certificate 4471. Beyond repair");
        history.ShouldAllBe(h => h.Actor == Actor);
        (await db.Set<Device>().CountAsync(d => d.Id == laptop.Id)).ShouldBe(1, "nothing is deleted");

        // Audited through the Audit module.
        var audited = await db.AuditEntries.AsNoTracking().Where(e => e.Subject == laptop.Id.ToString()).Select(e => e.Action).ToListAsync();
        audited.ShouldContain(DeviceAuditActions.Registered);
        audited.ShouldContain(DeviceAuditActions.Edited);
        audited.ShouldContain(DeviceAuditActions.Attested);
        audited.ShouldContain(DeviceAuditActions.StateChanged);

        // School scoping: the other school cannot see or change it.
        (await register.FindAsync(TestSchool.OtherId, laptop.Id, ct)).ShouldBeNull();
        await Should.ThrowAsync<NotFoundException>(() => register.ChangeStateAsync(TestSchool.OtherId, phone.Id, DeviceState.InRepair, Actor, null, ct));
    }

    private static string RegisterCsv(int count)
    {
        var csv = new StringBuilder("Asset tag,Kind,Model,Name,Person,Class,Location,Device group,MAC address\n");
        for (var i = 1; i <= count; i++)
        {
            var kind = i % 3 == 0 ? "laptop" : "tablet";
            var person = i == 7 ? "S01" : i == 8 ? "Helen Marsh" : "";
            csv.Append(CultureInfo.InvariantCulture, $"IP-{i:0000},{kind},Apple iPad (10th generation),Trolley iPad {i},{person},{(i <= 30 ? "3 Oak" : "4 Ash")},Trolley {1 + (i / 30)},ipads,AA-BB-CC-01-{i / 256:X2}-{i % 256:X2}\n");
        }

        return csv.ToString();
    }

    private static async Task<DeviceImportReport> ImportAsync(BrightlineServer server, string csv, bool dryRun, string school = TestSchool.Id)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<DeviceImporter>().ImportAsync(school, new MemoryStream(Encoding.UTF8.GetBytes(csv)), dryRun, Actor, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_DryRunStoresNothing_RowErrorsNameRowAndColumn_Commit_ThenSearchFilterPageAndExport_ScopedToTheSchool(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var ct = CancellationToken.None;

        var bad = await ImportAsync(server, """
            asset_tag,kind,model,name,person,macs,device_group
            IP-1,tablet,iPad,Good iPad,,aa-bb-cc-00-00-01,ipads
            IP-2,toaster,iPad,Bad kind,,,
            IP-3,tablet,iPad,Bad MAC,,aa-bb-cc-00-00-0g,
            IP-1,tablet,iPad,Same tag,,,
            IP-5,tablet,iPad,Nobody,Zebedee Nobody,,
            IP-6,tablet,,No model,,,ipadz
            """, dryRun: false);
        bad.Stored.ShouldBeFalse();
        bad.Errors.Select(e => $"{e.Row}:{e.Column}").ShouldBe(["3:kind", "4:macs", "5:asset_tag", "6:person", "7:model", "7:device_group"]);
        bad.Errors[0].ToString().ShouldStartWith("row 3, kind: 'toaster' is not a kind of device the policy covers");
        bad.Errors[3].Message.ShouldBe("Nobody at the school has the name, email or MIS ID \"Zebedee Nobody\".");
        (await ImportAsync(server, "serial,colour\n1,red\n", dryRun: true)).Errors.Single().ShouldBe(
            new Brightline.Devices.DeviceImportError(1, "header", "The header has no column for kind, model, name (columns found: serial, colour)."));

        var dry = await ImportAsync(server, RegisterCsv(130), dryRun: true);
        (dry.DryRun, dry.Stored, dry.Added, dry.Errors.Count).ShouldBe((true, false, 130, 0));
        await using (var scope = server.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<Device>().CountAsync()).ShouldBe(0, "a dry run stores nothing");
        }

        var done = await ImportAsync(server, RegisterCsv(130), dryRun: false);
        (done.Stored, done.Added).ShouldBe((true, 130));
        // Importing again: unchanged rows; a changed cell updates the device with its history.
        var again = await ImportAsync(server, RegisterCsv(130).Replace("Trolley iPad 5,", "Trolley iPad five,", StringComparison.Ordinal), dryRun: false);
        (again.Added, again.Updated, again.Unchanged).ShouldBe((0, 1, 129));
        again.Changes.Single(c => c.Action == "update").Detail.ShouldBe("Name: 'Trolley iPad 5' → 'Trolley iPad five'");

        await using var s = server.CreateScope();
        var queries = s.ServiceProvider.GetRequiredService<DeviceQueries>();
        var db = s.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var all = await queries.PageAsync(TestSchool.Id, s_safety, new DeviceFilter(), 3, ct);
        (all.Total, all.Pages, all.Items.Count, all.First).ShouldBe((130, 3, 30, 101));
        (await queries.PageAsync(TestSchool.Id, s_safety, new DeviceFilter(), 99, ct)).Page.ShouldBe(3, "a page past the end shows the last");
        (await queries.PageAsync(TestSchool.Id, s_safety, new DeviceFilter(Search: "ip-0042"), 1, ct)).Items.Single().Device.Name.ShouldBe("Trolley iPad 42");
        (await queries.PageAsync(TestSchool.Id, s_safety, new DeviceFilter(Search: "AABBCC01002A"), 1, ct)).Items.Single().Device.AssetTag.ShouldBe("IP-0042", "a MAC in any spelling");
        var priyas = await queries.PageAsync(TestSchool.Id, s_safety, new DeviceFilter(Search: "priya"), 1, ct);
        priyas.Items.Single().ShouldSatisfyAllConditions(r => r.Device.AssetTag.ShouldBe("IP-0007"), r => r.PersonName.ShouldBe("Priya Patel"));
        (await queries.PageAsync(TestSchool.Id, s_safety, new DeviceFilter(Kind: "laptop"), 1, ct)).Total.ShouldBe(43);
        (await queries.PageAsync(TestSchool.Id, s_safety, new DeviceFilter(ClassName: "3 oak", Kind: "tablet"), 1, ct)).Total.ShouldBe(20);
        (await queries.PageAsync(TestSchool.Id, s_safety, new DeviceFilter(State: "in_use", Ownership: "school"), 1, ct)).Total.ShouldBe(130);
        Should.Throw<InvalidException>(() => queries.Filtered(TestSchool.Id, s_safety, new DeviceFilter(State: "melted")));

        // C16: laptops not yet attested as encrypted; one attested drops out, one recorded "not so" stays.
        var register = s.ServiceProvider.GetRequiredService<DeviceRegister>();
        var l3 = (await register.FindByTagAsync(TestSchool.Id, "ip-0003", ct))!;
        var l6 = (await register.FindByTagAsync(TestSchool.Id, "IP-0006", ct))!;
        await register.AttestAsync(TestSchool.Id, l3.Id, DeviceAttestationKeys.Encrypted, true, null, Actor, ct);
        await register.AttestAsync(TestSchool.Id, l6.Id, DeviceAttestationKeys.Encrypted, true, null, Actor, ct);
        await register.AttestAsync(TestSchool.Id, l6.Id, DeviceAttestationKeys.Encrypted, false, null, Actor, ct);
        var unencrypted = await queries.Filtered(TestSchool.Id, s_safety, new DeviceFilter(Missing: DeviceAttestationKeys.Encrypted)).ToListAsync(ct);
        unencrypted.Count.ShouldBe(42);
        unencrypted.ShouldNotContain(d => d.Id == l3.Id);
        unencrypted.ShouldContain(d => d.Id == l6.Id);
        (await queries.Filtered(TestSchool.Id, s_safety, new DeviceFilter(Missing: DeviceAttestationKeys.Passcode)).CountAsync(ct)).ShouldBe(87, "C17 here covers tablets");

        // The export has the import's columns and round-trips: re-importing it changes nothing.
        var rows = await queries.WithNamesAsync(TestSchool.Id, await queries.Filtered(TestSchool.Id, s_safety, new DeviceFilter()).ToListAsync(ct), ct);
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        await DeviceCsv.WriteAsync(writer, rows, await DevicesCommands.PersonRefsAsync(db, TestSchool.Id, rows, ct), ct);
        var exported = writer.ToString();
        exported.ShouldStartWith("asset_tag,serial,kind,model,name,ownership,state,person,person_name,class,location,device_group,macs,notes,updated");
        exported.ShouldContain("IP-0007,,tablet,Apple iPad (10th generation),Trolley iPad 7,school,in_use,S01,Priya Patel,3 Oak,Trolley 1,ipads,aa:bb:cc:01:00:07,,");
        var reimport = await ImportAsync(server, exported, dryRun: true);
        (reimport.Errors.Count, reimport.Unchanged, reimport.Added).ShouldBe((0, 130, 0));

        // The other school's register is empty; its searches find none of these.
        (await queries.PageAsync(TestSchool.OtherId, s_safety, new DeviceFilter(Search: "ipad"), 1, ct)).Total.ShouldBe(0);
    }

    /// <summary>
    /// Labels are printed in batches of five sheets (120), in asset tag order: page X of Y says which labels and sheets,
    /// the paging links keep the filters, a page past the end shows the last, and the ticked devices stay ticked.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Labels_PagedInBatchesOfFiveSheets_FiltersKeptInThePagingLinks(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        await CreateUserAsync(server, Actor, PortalRoles.ComputingLead);
        (await ImportAsync(server, RegisterCsv(250), dryRun: false)).Stored.ShouldBeTrue();
        using var client = server.CreateClient();
        (await LoginAsync(client, Actor)).ShouldRedirectTo("/");

        // 167 tablets (every i not a multiple of 3): page 1 holds 120 on five sheets, page 2 the other 47 on two.
        var (_, first) = await GetAsync(client, "/devices/labels?kind=tablet");
        first.QuerySelectorAll(".label").Length.ShouldBe(LabelsModel.PageSize);
        first.QuerySelectorAll(".sheet").Length.ShouldBe(5);
        first.QuerySelector("#batch")!.TextContent.ShouldContain("Page 1 of 2");
        first.QuerySelector("#batch")!.TextContent.ShouldContain("labels 1–120 of 167, sheets 1–5 of 7");
        first.QuerySelector(".label .tag")!.TextContent.ShouldBe("IP-0001");
        first.QuerySelector("#pages a[aria-current=page]")!.TextContent.ShouldBe("1");
        var next = first.QuerySelector("#pages a[rel=next]")!.GetAttribute("href")!;
        next.ShouldBe("/devices/labels?kind=tablet&p=2");

        var (_, second) = await GetAsync(client, next);
        second.QuerySelectorAll(".label").Length.ShouldBe(47);
        second.QuerySelectorAll(".sheet").Length.ShouldBe(2);
        second.QuerySelector("#batch")!.TextContent.ShouldContain("labels 121–167 of 167, sheets 6–7 of 7");
        // The 121st tablet in tag order follows the 120th on page 1: IP-0181 (60 groups of three hold 120 tablets).
        second.QuerySelector(".label .tag")!.TextContent.ShouldBe("IP-0181");
        second.QuerySelector("#pages a[rel=prev]")!.GetAttribute("href").ShouldBe("/devices/labels?kind=tablet");
        second.QuerySelector("#pages a[rel=next]").ShouldBeNull();
        (await GetAsync(client, "/devices/labels?kind=tablet&p=99")).Document.QuerySelector("#batch")!.TextContent.ShouldContain("Page 2 of 2");

        // One page of labels needs no paging links.
        var (_, few) = await GetAsync(client, "/devices/labels?class=3+Oak");
        few.QuerySelectorAll(".label").Length.ShouldBe(30);
        few.QuerySelector("#pages").ShouldBeNull();
        few.QuerySelector("#batch")!.TextContent.ShouldContain("Page 1 of 1");

        // Devices ticked by id stay ticked from page to page, with the filters.
        var ticked = new LabelsModel(null!, null!, null!) { Ids = [Guid.Parse("11111111-1111-1111-1111-111111111111")], State = "in_use", Q = "trolley 1" };
        ticked.PageLink(3).ShouldBe("/devices/labels?q=trolley%201&state=in_use&id=11111111-1111-1111-1111-111111111111&p=3");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Pages_ListDetailLabelsImportAndDisposal_ForKeepersOnly(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        // An account without a person record (as an outside IT provider's): no staff agreement stands between it and the pages.
        await CreateUserAsync(server, Actor, PortalRoles.ComputingLead);
        (await ImportAsync(server, RegisterCsv(60), dryRun: false)).Stored.ShouldBeTrue();
        (await ImportAsync(server, "asset_tag,kind,model,name\nQF-1,laptop,Quill laptop,Quillfield secret laptop\n", dryRun: false, school: TestSchool.OtherId)).Stored.ShouldBeTrue();
        using var client = server.CreateClient();
        (await LoginAsync(client, Actor)).ShouldRedirectTo("/");

        var (list, page) = await GetAsync(client, "/devices?q=priya");
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelectorAll("#devices tbody tr").Length.ShouldBe(1);
        page.QuerySelector("#devices tbody tr")!.TextContent.ShouldContain("Priya Patel");
        (await GetAsync(client, "/devices?p=2")).Document.QuerySelectorAll("#devices tbody tr").Length.ShouldBe(10);
        (await client.GetStringAsync("/devices")).ShouldNotContain("Quillfield secret laptop");
        var csv = await client.GetStringAsync("/devices?handler=csv&class=4+Ash");
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(31);

        // Register by hand, with the person typed by name; the page shows the name.
        var (_, form) = await GetAsync(client, "/devices/new");
        var created = await SubmitAsync(client, form, "/devices/new", new Dictionary<string, string>
        {
            ["Name"] = "Priya's laptop", ["Kind"] = "laptop", ["Model"] = "Dell Latitude", ["AssetTag"] = "LT-1", ["Ownership"] = "school", ["Person"] = "Priya Patel",
            ["Macs"] = "aa-bb-cc-dd-00-01", ["DeviceGroup"] = "", ["Location"] = "", ["ClassName"] = "", ["Serial"] = "", ["Notes"] = "",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var path = created.Headers.Location!.OriginalString;
        var (_, detail) = await GetAsync(client, path);
        detail.QuerySelector("#assignee")!.TextContent.Trim().ShouldBe("Priya Patel");
        detail.QuerySelector("#macs")!.TextContent.ShouldBe("aa:bb:cc:dd:00:01");

        // The same tag again: a clear error on the form, nothing stored.
        var (_, form2) = await GetAsync(client, "/devices/new");
        var clash = await SubmitAsync(client, form2, "/devices/new", new Dictionary<string, string> { ["Name"] = "Other", ["Kind"] = "laptop", ["Model"] = "X", ["AssetTag"] = "lt-1" });
        clash.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await clash.Content.ReadAsStringAsync()).ShouldContain("The asset tag &#x27;lt-1&#x27; is already on &#x27;Priya&#x27;s laptop&#x27;");

        // Disposal asks for a confirmation and the data wipe.
        var unconfirmed = await SubmitAsync(client, detail, path, new Dictionary<string, string> { ["NewState"] = "disposed", ["DataWipe"] = "Wiped by IT" }, "#change-state");
        (await unconfirmed.Content.ReadAsStringAsync()).ShouldContain("Tick the box to confirm the disposal");
        (await SubmitAsync(client, detail, path, new Dictionary<string, string> { ["NewState"] = "disposed", ["DataWipe"] = "Wiped by IT", ["ConfirmDisposal"] = "true" }, "#change-state"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (_, disposed) = await GetAsync(client, path);
        disposed.QuerySelector("#state")!.TextContent.ShouldBe("Disposed of");
        disposed.QuerySelector("#history")!.TextContent.ShouldContain("Data wiped: Wiped by IT");

        // Labels: 24 to a sheet, each a QR image of the asset tag; another school's device never appears.
        var (_, labels) = await GetAsync(client, "/devices/labels?class=3+Oak");
        labels.QuerySelectorAll(".sheet").Length.ShouldBe(2);
        labels.QuerySelectorAll(".label img[src^='data:image/png;base64,']").Length.ShouldBe(30);
        labels.QuerySelector(".label img")!.GetAttribute("alt").ShouldBe("QR code for asset tag IP-0001");
        (await client.GetStringAsync("/devices/labels?q=Quillfield")).ShouldNotContain("QF-1");

        // Import page: the check shows row errors by row and column and offers no Apply.
        var (_, import) = await GetAsync(client, "/devices/import");
        var token = import.QuerySelector("form[enctype] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var upload = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("kind,model,name,macs\ntablet,iPad,Fine,\nphone,,No model,zz\n")), "file", "devices.csv" },
        };
        var checkedPage = await client.PostAsync("/devices/import", upload);
        var checkedHtml = await checkedPage.Content.ReadAsStringAsync();
        checkedHtml.ShouldContain("<td class=\"num\">3</td><td>model</td>");
        checkedHtml.ShouldContain("<td class=\"num\">3</td><td>macs</td>");
        checkedHtml.ShouldNotContain("id=\"apply\"");

        // Other staff have no register.
        await CreateUserAsync(server, "teacher@school.test", PortalRoles.Teacher);
        using var teacher = server.CreateClient();
        (await LoginAsync(teacher, "teacher@school.test")).ShouldRedirectTo("/");
        (await teacher.GetAsync("/devices")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await teacher.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Api_ListsCreatesPatchesMovesAndImports_BadInputIsProblemDetails(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        using var api = server.CreateApiClient();
        var school = "?school=" + TestSchool.Id;

        var created = await api.PostAsJsonAsync("/api/v1/devices" + school, new { kind = "tablet", model = "iPad", name = "Ash iPad 1", assetTag = "ASH-1", macs = "AA:BB:CC:00:99:01", deviceGroup = "ipads" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["device"]!["id"]!.GetValue<Guid>();

        var bad = await api.PostAsJsonAsync("/api/v1/devices" + school, new { kind = "toaster", model = "x", name = "y", assetTag = "ash-1" });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        bad.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = (await bad.Content.ReadFromJsonAsync<JsonObject>())!;
        problem["detail"]!.GetValue<string>().ShouldContain("'toaster' is not a kind of device");
        problem["detail"]!.GetValue<string>().ShouldContain("already on 'Ash iPad 1'");
        (await api.GetAsync("/api/v1/devices/not-a-guid" + school)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await api.GetAsync($"/api/v1/devices/{Guid.NewGuid()}" + school)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.GetAsync($"/api/v1/devices/{id}?school={TestSchool.OtherId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "another school's device is not found");

        var patched = await api.PatchAsJsonAsync($"/api/v1/devices/{id}" + school, new { location = "Ash trolley" });
        patched.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await patched.Content.ReadFromJsonAsync<JsonObject>())!["changes"]!.AsArray().Single()!.GetValue<string>().ShouldBe("Location: — → 'Ash trolley'");
        (await api.PostAsJsonAsync($"/api/v1/devices/{id}/state" + school, new { state = "broken" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await api.PostAsJsonAsync($"/api/v1/devices/{id}/state" + school, new { state = "disposed" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await api.PostAsJsonAsync($"/api/v1/devices/{id}/state" + school, new { state = "in_repair", note = "Cracked screen" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.PostAsJsonAsync($"/api/v1/devices/{id}/attestations" + school, new { kind = "passcode", confirmed = true })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var one = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/devices/{id}" + school))!;
        one["device"]!["state"]!.GetValue<string>().ShouldBe("in_repair");
        one["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()).ShouldBe(["registered", "edited", "state.in_repair", "attested.passcode"]);
        var list = (await api.GetFromJsonAsync<JsonObject>("/api/v1/devices" + school + "&search=ash&state=in_repair"))!;
        list["total"]!.GetValue<int>().ShouldBe(1);
        (await api.GetAsync("/api/v1/devices" + school + "&kind=toaster")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var dry = await api.PostAsync("/api/v1/devices/import" + school + "&dryRun=true", new StringContent("kind,model,name\ntablet,iPad,Ash iPad 2\n", Encoding.UTF8, "text/csv"));
        dry.StatusCode.ShouldBe(HttpStatusCode.OK);
        var report = (await dry.Content.ReadFromJsonAsync<JsonObject>())!;
        (report["dryRun"]!.GetValue<bool>(), report["added"]!.GetValue<int>()).ShouldBe((true, 1));
        var wrong = await api.PostAsync("/api/v1/devices/import" + school, new StringContent("kind,model,name\nkettle,iPad,Ash iPad 2\n", Encoding.UTF8, "text/csv"));
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await wrong.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsArray();
        (errors[0]!["row"]!.GetValue<int>(), errors[0]!["column"]!.GetValue<string>()).ShouldBe((2, "kind"));
    }

    private static RadiusRequest MacRequest(string mac)
    {
        var body = new JsonObject();
        foreach (var (name, value) in new[] { ("User-Name", mac), ("Calling-Station-Id", mac), ("Called-Station-Id", "AA-BB-CC-DD-EE-FF:Example-Devices"), ("NAS-IP-Address", "127.0.0.1") })
        {
            body[name] = new JsonObject { ["type"] = "string", ["value"] = new JsonArray(value) };
        }

        return RadiusRequest.Parse(Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task MacAuthentication_ReadsTheRegister_LostAndPersonalDevicesRefusedInWords_O21C3(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        await using var scope = server.CreateScope();
        var register = scope.ServiceProvider.GetRequiredService<DeviceRegister>();
        var access = scope.ServiceProvider.GetRequiredService<DeviceAccess>();
        var policy = await scope.ServiceProvider.GetRequiredService<Brightline.Policies.PolicyStore>().ActiveAsync(TestSchool.Id, CancellationToken.None);
        var network = new SchoolNetwork { Name = "class-ipads", Kind = NetworkKind.SchoolDevices, Vlans = new Dictionary<string, int>(StringComparer.Ordinal) { ["ipads"] = 40 } };
        var ct = CancellationToken.None;
        Task<RadiusAnswer> Decide(string mac, SchoolNetwork? on = null) => access.DecideAsync(TestSchool.Id, policy, on ?? network, MacRequest(mac), RadiusStage.Authorize, ct);

        var ipad = await register.AddAsync(TestSchool.Id, new DeviceInput("IP-1", null, "tablet", "iPad", "Oak iPad 1", "school", null, "3 Oak", null, "ipads", "aa-bb-cc-00-00-01", null), Actor, ct);
        var accepted = await Decide("AABBCC000001");
        (accepted.Kind, accepted.Vlan).ShouldBe((RadiusAnswerKind.Accept, "40"));

        await register.ChangeStateAsync(TestSchool.Id, ipad.Id, DeviceState.OnLoan, Actor, "Loan book", ct);
        (await Decide("aa:bb:cc:00:00:01")).Kind.ShouldBe(RadiusAnswerKind.Accept, "a device on loan is still the school's");
        await register.ChangeStateAsync(TestSchool.Id, ipad.Id, DeviceState.Lost, Actor, "Left on the bus", ct);
        var lost = await Decide("aa:bb:cc:00:00:01");
        lost.Kind.ShouldBe(RadiusAnswerKind.Reject);
        lost.Message.ShouldBe("Network access refused: the register records 'Oak iPad 1' as lost, so it cannot join 'class-ipads'.");

        await register.AddAsync(TestSchool.Id, new DeviceInput(null, null, "phone", "Pixel 8", "Helen's phone", "personal", null, null, null, null, "aa-bb-cc-00-00-02", null), Actor, ct);
        (await Decide("aa-bb-cc-00-00-02")).Message!.ShouldContain("is a personal device on a school-devices-only network");
        (await Decide("aa-bb-cc-00-00-02", network with { ApprovedPersonalDevices = true, Vlan = 45 })).ShouldSatisfyAllConditions(
            a => a.Kind.ShouldBe(RadiusAnswerKind.Accept), a => a.Vlan.ShouldBe("45"));

        // brightline radius devices import|list|remove write and read the register.
        var devices = scope.ServiceProvider.GetRequiredService<NetworkDevices>();
        (await devices.ImportAsync(TestSchool.Id, new MemoryStream(Encoding.UTF8.GetBytes("mac,name,group\naa-bb-cc-00-00-03,Library Chromebook 3,chromebooks\n")), "csv:t.csv", Actor, ct)).Added.ShouldBe(1);
        var listed = await devices.ListAsync(TestSchool.Id, ct);
        listed.Select(l => l.Mac).ShouldBe(["aa:bb:cc:00:00:03", "aa:bb:cc:00:00:02", "aa:bb:cc:00:00:01"], ignoreOrder: true);
        var chromebook = (await register.FindAsync(TestSchool.Id, (await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<DeviceMac>().SingleAsync(m => m.Mac == "aa:bb:cc:00:00:03")).DeviceId, ct))!;
        (chromebook.Kind, chromebook.State, chromebook.DeviceGroup).ShouldBe((DeviceKind.Chromebook, DeviceState.InUse, "chromebooks"));
        (await devices.RemoveAsync(TestSchool.Id, "AABBCC000003", Actor, ct)).ShouldBeTrue();
        (await Decide("aa-bb-cc-00-00-03")).Code.ShouldBe(RadiusReasons.UnknownDevice);
        (await register.HistoryAsync(TestSchool.Id, chromebook.Id, ct)).Last().Detail.ShouldBe("MAC addresses: 'aa:bb:cc:00:00:03' → —");
    }
}
