using System.Net;
using System.Net.Http.Json;
using Brightline.BrowserExtension;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.People;
using Brightline.Policies;
using Brightline.Portal;
using Brightline.Tests.Email;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.BrowserExtension.ExtensionTestKit;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Incidents;

/// <summary>
/// Issue 15's incident rows, each with the seed school's own policy file, on both databases: O11 (Omnicom: pupil
/// devices searched and material deleted, recorded as incident actions), F4 (Westfield: an email sent in error — was
/// the personal data in an attachment, was it encrypted — on the page and in the register's CSV, routed to the SBM)
/// and H8 (Westbrook Hay: a pupil's concern reaches the Head of Year of the pupil's own year as well as the DSL, and a
/// Head of Year reads the register only for their own year). The clock is Wednesday 25 November 2026, 10:00.
/// </summary>
public sealed class SeedSchoolIncidentTests
{
    private const string PupilsCsv = """
        Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Email
        P001,K801200200001,Ruby,Okafor,Year 4,4 Elm,01/09/2022,ruby.okafor@pupils.test
        P002,K801200200002,Sam,Patel,Year 6,6 Oak,01/09/2020,sam.patel@pupils.test
        """;

    private const string StaffCsv = """
        Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
        D01,Dina,Shah,dsl@staff.test,Designated Safeguarding Lead,,staff,dsl,01/09/2015
        H04,Hannah,Young,hoy4@staff.test,Head of Year 4,,staff,,01/09/2016
        H05,Harry,Fox,hoy5@staff.test,Head of Year 5,,staff,,01/09/2017
        T01,Tom,Reed,teacher@staff.test,Teacher,,staff,,01/09/2018
        """;

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider, string school)
    {
        var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?> { ["Brightline:Incidents:Worker"] = "false" });
        try
        {
            await using (var scope = server.CreateScope())
            {
                await scope.ServiceProvider.GetRequiredService<PolicyStore>()
                    .LoadAsync(File.ReadAllText(RepoPaths.Policy(school + ".yaml")), school + ".yaml", "test", CancellationToken.None);
            }

            (await TestSchool.ImportAsync(server, ImportKind.Pupils, PupilsCsv, schoolId: school)).Errors.ShouldBeEmpty();
            (await TestSchool.ImportAsync(server, ImportKind.Staff, StaffCsv, schoolId: school)).Errors.ShouldBeEmpty();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task<T> InDbAsync<T>(BrightlineServer server, Func<BrightlineDbContext, Task<T>> query)
    {
        await using var scope = server.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }

    private static Task<Person> PersonAsync(BrightlineServer server, string school, string externalId) =>
        InDbAsync(server, db => db.People.AsNoTracking().SingleAsync(p => p.SchoolId == school && p.ExternalId == externalId));

    private static Task<List<IncidentEntry>> EntriesAsync(BrightlineServer server, Guid incident) =>
        InDbAsync(server, db => db.Set<IncidentEntry>().AsNoTracking().Where(e => e.IncidentId == incident).OrderBy(e => e.Id).ToListAsync());

    private static Task<List<string>> RecipientsAsync(BrightlineServer server, string school) =>
        InDbAsync(server, db => db.EmailRecords.AsNoTracking().Where(e => e.SchoolId == school && e.Purpose == "incident-created").Select(e => e.Recipient).ToListAsync());

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task O11_Omnicom_DeviceSearchedAndMaterialDeleted_AreTheirOwnTimelineEntries_Audited_IncompleteFormsStoreNothing(DatabaseProvider provider)
    {
        const string school = "omnicom-primary";
        await using var server = await StartAsync(provider, school);
        var ruby = await PersonAsync(server, school, "P001");
        Incident incident;
        await using (var scope = server.CreateScope())
        {
            incident = await scope.ServiceProvider.GetRequiredService<IncidentService>().CreateAsync(
                new NewIncident(school, IncidentKinds.Behaviour, "Upsetting images shared in class", [ruby.Id], [], "Ruby showed others images on her tablet.", "teacher@staff.test"),
                CancellationToken.None);
        }

        // The behaviour register's readers (the DSL among them) may add to it.
        using var dsl = await SignInWithTwoFactorAsync(server, "dsl@staff.test", PortalRoles.Dsl, schoolId: school);
        var path = $"/incidents/{incident.Id}";
        var (_, page) = await GetAsync(dsl, path);

        // A search without who authorised it: a friendly error on the page, and nothing stored.
        var search = new Dictionary<string, string>
        {
            ["SearchDevice"] = "Ruby's own iPad (pink case)", ["SearchedBy"] = "Mrs Shah", ["SearchAuthorisedBy"] = "",
            ["SearchDate"] = "2026-11-25", ["SearchTime"] = "09:30", ["SearchFound"] = "Three screenshots of a classmate's messages.",
        };
        using (var refused = await SubmitAsync(dsl, page, path + "?handler=Search", search, "#search-form"))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("Say who authorised the search");
        }

        (await EntriesAsync(server, incident.Id)).ShouldNotContain(e => e.Kind == IncidentEntryKind.DeviceSearched);

        search["SearchAuthorisedBy"] = "Mr Jones, headteacher";
        (await SubmitAsync(dsl, page, path + "?handler=Search", search, "#search-form")).ShouldRedirectTo(path + "?done=search");

        var deletion = new Dictionary<string, string>
        {
            ["DeletedWhat"] = "The three screenshots, from Ruby's iPad", ["DeletedWhy"] = "", ["DeletedAuthorisedBy"] = "Mr Jones, headteacher",
        };
        using (var refused = await SubmitAsync(dsl, page, path + "?handler=Deletion", deletion, "#deletion-form"))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("Say why it was deleted");
        }

        (await EntriesAsync(server, incident.Id)).ShouldNotContain(e => e.Kind == IncidentEntryKind.MaterialDeleted);
        deletion["DeletedWhy"] = "They showed another pupil's private messages.";
        (await SubmitAsync(dsl, page, path + "?handler=Deletion", deletion, "#deletion-form")).ShouldRedirectTo(path + "?done=deletion");

        // Each is its own kind of entry, stored under its own word, with every answer in its text.
        var entries = await EntriesAsync(server, incident.Id);
        var searched = entries.Single(e => e.Kind == IncidentEntryKind.DeviceSearched);
        searched.Author.ShouldBe("dsl@staff.test");
        searched.Text.ShouldBe("Device searched: Ruby's own iPad (pink case). Searched by Mrs Shah on 25 November 2026, 09:30, authorised by Mr Jones, headteacher. "
            + "Found: Three screenshots of a classmate's messages.");
        var deleted = entries.Single(e => e.Kind == IncidentEntryKind.MaterialDeleted);
        deleted.Text.ShouldBe("Material deleted: The three screenshots, from Ruby's iPad. Why: They showed another pupil's private messages. Authorised by Mr Jones, headteacher.");
        IncidentEntryKinds.Words.Word(IncidentEntryKind.DeviceSearched).ShouldBe("device_searched");
        IncidentEntryKinds.Words.Word(IncidentEntryKind.MaterialDeleted).ShouldBe("material_deleted");
        (await InDbAsync(server, db => db.Database.SqlQueryRaw<string>("SELECT \"Kind\" AS \"Value\" FROM incident_entries WHERE \"Id\" = {0}", searched.Id).SingleAsync()))
            .ShouldBe("device_searched");

        // Audited like every entry.
        var audit = await InDbAsync(server, db => db.AuditEntries.AsNoTracking().Where(a => a.SchoolId == school && a.Subject == incident.Id.ToString()).Select(a => a.Action).ToListAsync());
        audit.ShouldContain(IncidentActions.AuditDeviceSearched);
        audit.ShouldContain(IncidentActions.AuditMaterialDeleted);

        // Shown in the timeline; never edited: a correction is a new entry and the search stays as it was.
        var (_, shown) = await GetAsync(dsl, path);
        var timeline = shown.QuerySelector("ol.timeline")!.TextContent;
        timeline.ShouldContain("Device searched");
        timeline.ShouldContain("Material deleted");
        timeline.ShouldContain("authorised by Mr Jones, headteacher");
        (await SubmitAsync(dsl, shown, path, new Dictionary<string, string> { ["Text"] = "The search was at 09:40, not 09:30.", ["Corrects"] = searched.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "#entry-form"))
            .ShouldRedirectTo(path + "?done=entry");
        (await EntriesAsync(server, incident.Id)).Single(e => e.Id == searched.Id).Text.ShouldBe(searched.Text);

        // Someone who may not add to the incident (a teacher who did not report it) may record neither.
        await using (var scope = server.CreateScope())
        {
            var actions = scope.ServiceProvider.GetRequiredService<IncidentActions>();
            var teacher = new IncidentActor("other.teacher@staff.test", null, [PortalRoles.Teacher]);
            await Should.ThrowAsync<Brightline.Kernel.ForbiddenException>(() => actions.RecordDeviceSearchAsync(school, incident.Id,
                new DeviceSearch("iPad", "me", "nobody", server.Clock.GetUtcNow(), "nothing"), teacher, CancellationToken.None));
            await Should.ThrowAsync<Brightline.Kernel.ForbiddenException>(() => actions.RecordDeletionAsync(school, incident.Id,
                new MaterialDeletion("photos", "because", "nobody"), teacher, CancellationToken.None));
            // A search cannot be dated in the future.
            var future = await Should.ThrowAsync<Brightline.Kernel.InvalidException>(() => actions.RecordDeviceSearchAsync(school, incident.Id,
                new DeviceSearch("iPad", "Mrs Shah", "Mr Jones", server.Clock.GetUtcNow().AddDays(1), "nothing"),
                new IncidentActor("dsl@staff.test", null, [PortalRoles.Dsl]), CancellationToken.None));
            future.Message.ShouldContain("future");
        }

        (await EntriesAsync(server, incident.Id)).Count(e => e.Kind is IncidentEntryKind.DeviceSearched or IncidentEntryKind.MaterialDeleted).ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task F4_Westfield_EmailSentInError_AttachmentEncryption_OnThePageAndInTheCsv_RoutedToTheSchoolBusinessManager(DatabaseProvider provider)
    {
        const string school = "westfield";
        await using var server = await StartAsync(provider, school);

        // F4: westfield.yaml routes data breaches to the School Business Manager (and the head).
        var policy = await PolicyAsync(server, school);
        policy.Incidents.Find(IncidentKinds.DataBreach)!.Notify.ShouldContain(Brightline.Policy.Model.RoleKeys.BusinessManager);

        var sbmUser = await CreateUserAsync(server, "sbm@staff.test", PortalRoles.BusinessManager, schoolId: school);
        using var sbm = await SignInEnrolledAsync(server, sbmUser);
        var (_, form) = await GetAsync(sbm, "/incidents/new");

        // Only a data breach says how an email sent in error carried the data: anything else is refused, nothing stored.
        using (var refused = await SubmitAsync(sbm, form, "/incidents/new", new Dictionary<string, string>
        {
            ["Kind"] = IncidentKinds.Safeguarding, ["Title"] = "Wrong register", ["Text"] = "x", ["MisdirectedEmail"] = "encrypted",
        }))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("Only a personal data breach records an email sent in error");
        }

        using (var refused = await SubmitAsync(sbm, form, "/incidents/new", new Dictionary<string, string>
        {
            ["Kind"] = IncidentKinds.DataBreach, ["Title"] = "Unknown answer", ["Text"] = "x", ["MisdirectedEmail"] = "maybe",
        }))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("Choose how the email sent in error carried the personal data");
        }

        (await InDbAsync(server, db => db.Set<Incident>().CountAsync(i => i.SchoolId == school))).ShouldBe(0);

        async Task<Guid> RecordAsync(string title, string misdirected)
        {
            using var created = await SubmitAsync(sbm, form, "/incidents/new", new Dictionary<string, string>
            {
                ["Kind"] = IncidentKinds.DataBreach, ["Title"] = title, ["Text"] = "Class list with medical notes emailed to the wrong parent.", ["MisdirectedEmail"] = misdirected,
            });
            created.ShouldRedirectTo("/incidents/");
            return Guid.Parse(created.Headers.Location!.ToString()["/incidents/".Length..].Split('?')[0]);
        }

        var unencrypted = await RecordAsync("Class list to the wrong parent", "not_encrypted");
        var encrypted = await RecordAsync("Report to the wrong school", "encrypted");
        var inBody = await RecordAsync("Address in the email body", "no_attachment");
        var notKnown = await RecordAsync("Forwarded by a parent", "not_known");
        (await InDbAsync(server, db => db.Set<Incident>().AsNoTracking().SingleAsync(i => i.Id == unencrypted))).MisdirectedEmail.ShouldBe(MisdirectedEmail.AttachmentNotEncrypted);
        (await InDbAsync(server, db => db.Database.SqlQueryRaw<string>("SELECT \"MisdirectedEmail\" AS \"Value\" FROM incidents WHERE \"Title\" = {0}", "Report to the wrong school").SingleAsync()))
            .ShouldBe("encrypted");

        // The incident page says so, and calls out an attachment that was not encrypted.
        var (_, page) = await GetAsync(sbm, $"/incidents/{unencrypted}");
        page.QuerySelector("#misdirected-email")!.TextContent.ShouldContain("an attachment that was not encrypted");
        page.QuerySelector("#not-encrypted")!.TextContent.ShouldContain("Not encrypted: F4 asks that sensitive attachments are encrypted");
        var (_, fine) = await GetAsync(sbm, $"/incidents/{encrypted}");
        fine.QuerySelector("#misdirected-email")!.TextContent.ShouldContain("encrypted attachment");
        fine.QuerySelector("#not-encrypted").ShouldBeNull();

        // The register's CSV export carries both answers.
        var (list, _) = await GetAsync(sbm, "/incidents?kind=data_breach");
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var csv = await sbm.GetAsync("/incidents?kind=data_breach&status=all&handler=csv");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldContain("Email sent in error,Personal data in an attachment,Attachment encrypted");
        lines.Length.ShouldBe(5);
        lines.Single(l => l.Contains("Class list to the wrong parent", StringComparison.Ordinal)).ShouldEndWith(",Yes,Yes,No,");
        lines.Single(l => l.Contains("Report to the wrong school", StringComparison.Ordinal)).ShouldEndWith(",Yes,Yes,Yes,");
        lines.Single(l => l.Contains("Address in the email body", StringComparison.Ordinal)).ShouldEndWith(",Yes,No,,");
        lines.Single(l => l.Contains("Forwarded by a parent", StringComparison.Ordinal)).ShouldEndWith(",Yes,Yes,Not known,");
        _ = inBody;
        _ = notKnown;

        // The data-breach route reaches the School Business Manager (their portal account holds business_manager).
        (await RecipientsAsync(server, school)).Count(r => r == "sbm@staff.test").ShouldBe(4);
    }

    /// <summary>H2: Westbrook Hay's staff sign their agreement before the portal opens anything else (the C8 gate).</summary>
    private static async Task SignedAsync(BrightlineServer server, string school, Person person)
    {
        await using var scope = server.CreateScope();
        var agreements = scope.ServiceProvider.GetRequiredService<Brightline.Agreements.AgreementService>();
        foreach (var owed in (await agreements.ForPersonAsync(school, person.Id, CancellationToken.None)).Where(r => r.NeedsSelf && !r.SelfSigned))
        {
            await agreements.SignAsync(new Brightline.Agreements.SignRequest(school, person.Id, person.Id, owed.AgreementId, person.FullName, "Teacher", null, true,
                SignatureMethod.Portal, "127.0.0.1", "test"), CancellationToken.None);
        }
    }

    /// <summary>H13: Westbrook Hay's staff acknowledge the ICT guidelines at every sign-in before any other page.</summary>
    private static async Task<HttpClient> AcknowledgedAsync(HttpClient client)
    {
        var (_, page) = await GetAsync(client, "/acknowledge");
        if (page.QuerySelector("input[name=agreementId]") is not null)
        {
            using var done = await SubmitAsync(client, page, "/acknowledge", new Dictionary<string, string>(), "main form");
            ((int)done.StatusCode).ShouldBeLessThan(400);
        }

        return client;
    }

    private static async Task<Brightline.Policy.Model.SchoolPolicy> PolicyAsync(BrightlineServer server, string school)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PolicyStore>().ActiveAsync(school, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task H8_WestbrookHay_PupilConcern_ReachesTheHeadOfTheirOwnYear_AndTheDsl_NoHeadOfYearIsRecorded_RegistersScopedToOwnYear(DatabaseProvider provider)
    {
        const string school = "westbrook-hay";
        await using var server = await StartAsync(provider, school);

        // H8: westbrook-hay.yaml routes the safeguarding register to head_of_year as well as the DSL.
        (await PolicyAsync(server, school)).Incidents.Find(IncidentKinds.Safeguarding)!.Notify.ShouldContain(Brightline.Policy.Model.RoleKeys.HeadOfYear);

        // Two Heads of Year, each known by their own record's year group (Ruby's year, 4, and year 5); nobody holds Sam's, 6.
        var hannah = await PersonAsync(server, school, "H04");
        var harry = await PersonAsync(server, school, "H05");
        var rubyYear = (await PersonAsync(server, school, "P001")).YearGroup;
        rubyYear.ShouldBe("4");
        (await PersonAsync(server, school, "P002")).YearGroup.ShouldBe("6");
        await InDbAsync(server, async db =>
        {
            await db.People.Where(p => p.Id == hannah.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.YearGroup, rubyYear));
            return await db.People.Where(p => p.Id == harry.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.YearGroup, "5"));
        });
        await SignedAsync(server, school, hannah);
        await SignedAsync(server, school, harry);
        var hoy4 = await CreateUserAsync(server, "hoy4@staff.test", PortalRoles.HeadOfYear, hannah.Id, school);
        var hoy5 = await CreateUserAsync(server, "hoy5@staff.test", PortalRoles.HeadOfYear, harry.Id, school);

        // Ruby (Year 4) and Sam (Year 6) each tell a trusted adult through Brightline for Chrome.
        var key = await CreateKeyAsync(server, school);
        async Task<Guid> ConcernAsync(string email, string device, string worry)
        {
            var (status, body) = await EnrolAsync(server, key, email, device, device);
            status.ShouldBe(HttpStatusCode.OK, body.ToString());
            using var client = server.CreateClient();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
            using var sent = await client.PostAsJsonAsync(AgreeApi.ConcernPath, new { text = worry });
            sent.StatusCode.ShouldBe(HttpStatusCode.OK, await sent.Content.ReadAsStringAsync());
            var ruby = await InDbAsync(server, db => db.People.AsNoTracking().SingleAsync(p => p.SchoolId == school && p.Email == email));
            return await InDbAsync(server, db => db.Set<IncidentPerson>().AsNoTracking().Where(p => p.PersonId == ruby.Id).Select(p => p.IncidentId).SingleAsync());
        }

        var rubys = await ConcernAsync("ruby.okafor@pupils.test", "chromebook-4", "Someone online keeps asking where I live.");
        var sams = await ConcernAsync("sam.patel@pupils.test", "chromebook-6", "An older boy says he will share my photo.");

        // Ruby's concern: the DSL and Year 4's Head of Year, never Year 5's; the email is a link only.
        var rubyEmails = await InDbAsync(server, db => db.EmailRecords.AsNoTracking().Where(e => e.SchoolId == school && e.Purpose == "incident-created").ToListAsync());
        await server.DeliverEmailAsync();
        var messages = server.Smtp.Messages();
        string[] ToldAbout(Guid incident) => [.. messages.Where(m => m.Contains($"/incidents/{incident}", StringComparison.Ordinal))
            .Select(m => m.Split('\n').First(l => l.StartsWith("X-Rcpt-Args: <", StringComparison.Ordinal))["X-Rcpt-Args: <".Length..].Split('>')[0]).Order(StringComparer.Ordinal)];
        ToldAbout(rubys).ShouldBe(["dsl@staff.test", "hoy4@staff.test"], (await EntriesAsync(server, rubys)).Single(e => e.Kind == IncidentEntryKind.Notified).Text);
        foreach (var mail in messages)
        {
            mail.ShouldNotContain("where I live", Case.Insensitive);
            mail.ShouldNotContain("photo", Case.Insensitive);
        }

        rubyEmails.ShouldNotContain(e => e.Recipient == "hoy5@staff.test");
        var rubyTold = (await EntriesAsync(server, rubys)).Single(e => e.Kind == IncidentEntryKind.Notified);
        rubyTold.Text.ShouldContain("hoy4@staff.test (head_of_year)");

        // Sam's year has no Head of Year: the DSL is still told, and the record says that no Head of Year holds Year 6.
        ToldAbout(sams).ShouldBe(["dsl@staff.test"]);
        var samTold = (await EntriesAsync(server, sams)).Single(e => e.Kind == IncidentEntryKind.Notified);
        samTold.Text.ShouldContain("dsl@staff.test (dsl)");
        samTold.Text.ShouldContain("No Head of Year holds year 6");
        samTold.Restricted.ShouldBeTrue();

        // Year 4's Head of Year opens Ruby's record (the worry included) and lists it; Sam's they neither open nor list.
        using var hannahClient = await AcknowledgedAsync(await SignInEnrolledAsync(server, hoy4));
        var (opened, rubyPage) = await GetAsync(hannahClient, $"/incidents/{rubys}");
        opened.StatusCode.ShouldBe(HttpStatusCode.OK, opened.Headers.Location?.ToString());
        rubyPage.QuerySelector("ol.timeline")!.TextContent.ShouldContain("Someone online keeps asking where I live.");
        (await GetAsync(hannahClient, $"/incidents/{sams}")).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var (_, list) = await GetAsync(hannahClient, "/incidents?status=all");
        var links = list.QuerySelectorAll("#incidents a").Select(a => a.GetAttribute("href")).ToList();
        links.ShouldContain($"/incidents/{rubys}");
        links.ShouldNotContain($"/incidents/{sams}");

        // Year 5's Head of Year sees neither; a teacher's access is not widened.
        using var harryClient = await AcknowledgedAsync(await SignInEnrolledAsync(server, hoy5));
        (await GetAsync(harryClient, $"/incidents/{rubys}")).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var (_, harryList) = await GetAsync(harryClient, "/incidents?status=all");
        harryList.QuerySelectorAll("#incidents a").ShouldBeEmpty();
        var tom = await PersonAsync(server, school, "T01");
        await SignedAsync(server, school, tom);
        using var teacher = await AcknowledgedAsync(await SignInEnrolledAsync(server, await CreateUserAsync(server, "teacher@staff.test", PortalRoles.Teacher, tom.Id, school)));
        (await GetAsync(teacher, $"/incidents/{rubys}")).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The DSL reads both, as before.
        using var dsl = await SignInWithTwoFactorAsync(server, "dsl@staff.test", PortalRoles.Dsl, schoolId: school);
        (await GetAsync(dsl, $"/incidents/{sams}")).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
