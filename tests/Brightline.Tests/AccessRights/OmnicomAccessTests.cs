using System.Net;
using Brightline.Access;
using Brightline.Approvals;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policy.Model;
using Brightline.Sanctions;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.Seeds;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.AccessRights;

/// <summary>
/// Omnicom's own policy file (policies/omnicom-primary.yaml) on both databases: O17, the access rights register and
/// "access granted in error" reported to the ICT Coordinator; O5, access changes asked for in the portal and decided by
/// the ICT Coordinator or the IT provider; O15, a disclosed password leading to discipline (staff, pupils) or access
/// revoked (parents, volunteers). The server's clock reads 25/11/2026 10:00.
/// </summary>
public sealed class OmnicomAccessTests
{
    private const string School = "omnicom-primary";

    private const string PupilsCsv = """
        Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
        O001,Maya,Fenn,Year 3,3F,01/09/2023,Rosa Fenn,rosa.fenn@parents.test,Mother
        O002,Jack,Stone,Year 5,5S,01/09/2021,Ian Stone,ian.stone@parents.test,Father
        """;

    private const string StaffCsv = """
        Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
        OS1,Dana,Price,d.price@omnicom.test,Class Teacher,3F,Staff,,01/09/2020
        OV1,Vera,Lamb,v.lamb@volunteers.test,Reading volunteer,,volunteer,,01/09/2025
        """;

    private static async Task<SeedSchool> StartAsync(DatabaseProvider provider)
    {
        var school = await SeedSchool.StartAsync(provider, "omnicom-primary.yaml", School);
        await school.ImportAsync(ImportKind.Pupils, PupilsCsv);
        await school.ImportAsync(ImportKind.Staff, StaffCsv);
        return school;
    }

    private static async Task<TResult> WithServiceAsync<TService, TResult>(SeedSchool school, Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        await using var scope = school.Server.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task O17_Register_ShowsRolesAndGateByName_SearchesAndExportsCsv_ReportOfAccessInErrorReachesTheIctCoordinator(DatabaseProvider provider)
    {
        await using var school = await StartAsync(provider);
        var dana = await school.PersonAsync("OS1");
        var ict = await SignInWithTwoFactorAsync(school.Server, "ict@omnicom.test", "computing_lead", schoolId: School);
        await CreateUserAsync(school.Server, "d.price@omnicom.test", "teacher", dana.Id, School);

        // Names not IDs, the account's roles, and the gate's answer: Dana has not signed the staff agreement (O13/O5).
        var (response, page) = await GetAsync(ict, "/access-rights?q=price");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var rows = page.QuerySelectorAll("#access-rights tbody tr");
        rows.Length.ShouldBe(1, "the search finds only Dana");
        var row = rows[0].TextContent;
        row.ShouldContain("Dana Price");
        row.ShouldContain("Teacher");
        row.ShouldContain("Refused: \"Acceptable use of the school's ICT facilities and the internet: agreement for staff");
        row.ShouldNotContain(dana.Id.ToString());

        // Once she signs, her login is allowed and the network is the staff Wi-Fi her group joins.
        await school.SignAsync(dana, dana, "staff");
        (_, page) = await GetAsync(ict, "/access-rights?q=dana");
        var cells = page.QuerySelectorAll("#access-rights tbody tr td").Select(c => c.TextContent.Trim()).ToList();
        cells[1].ShouldBe("Allowed");
        cells[2].ShouldBe("Allowed: staff-wifi (Omnicom-Staff)");

        // Everyone is listed (two pupils, two parents, Dana, the volunteer): 6 people, one page.
        (_, page) = await GetAsync(ict, "/access-rights");
        page.QuerySelector("#access-caption")!.TextContent.ShouldBe("6 people");

        // CSV: every matching row, names and roles, no IDs.
        var csv = await ict.GetStringAsync("/access-rights?handler=csv&q=price");
        csv.ShouldStartWith("Name,Groups,Portal roles,Login,Network,Internet");
        csv.ShouldContain("Dana Price,Staff,Teacher,Allowed,");
        csv.ShouldNotContain(dana.Id.ToString());

        // Report access granted in error: a security incident about Dana, the ICT Coordinator told (O17), shown as open.
        var (_, form) = await GetAsync(ict, $"/access-rights/report?person={dana.Id}");
        var empty = await SubmitAsync(ict, form, $"/access-rights/report?person={dana.Id}", new Dictionary<string, string> { ["What"] = " " });
        (await empty.Content.ReadAsStringAsync()).ShouldContain("Say what access was granted in error");
        var sent = await SubmitAsync(ict, form, $"/access-rights/report?person={dana.Id}",
            new Dictionary<string, string> { ["What"] = "She was given the admin role by mistake when her account was made." });
        sent.ShouldRedirectTo("/access-rights");
        var incident = await school.WithDbAsync(db => db.Set<Incident>().AsNoTracking().SingleAsync(i => i.SchoolId == School));
        incident.Kind.ShouldBe(IncidentKinds.Security);
        incident.Title.ShouldBe("Access granted in error: Dana Price");
        incident.RuleIds.ShouldContain("O5-access");
        (await school.WithDbAsync(db => db.Set<IncidentPerson>().Where(p => p.IncidentId == incident.Id).Select(p => p.PersonId).ToListAsync())).ShouldBe([dana.Id]);
        (await school.RecipientsAsync("incident-created")).ShouldContain("ict@omnicom.test");
        (_, page) = await GetAsync(ict, "/access-rights?q=dana");
        page.QuerySelector("#access-rights .open-report a")!.GetAttribute("href").ShouldBe($"/incidents/{incident.Id}");

        // Another school's person is not found; a teacher may not read the register.
        (await ict.GetAsync($"/access-rights/report?person={Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var teacher = await SignInWithTwoFactorAsync(school.Server, "t2@omnicom.test", "teacher", schoolId: School);
        (await teacher.GetAsync("/access-rights")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task O5_AccessChangeRequest_GoesToIctCoordinatorOrItProvider_ApprovalGrantsTheRole_RefusalRecordsWhy(DatabaseProvider provider)
    {
        await using var school = await StartAsync(provider);
        var dana = await school.PersonAsync("OS1");
        var vera = await school.PersonAsync("OV1");
        var danaAccount = await CreateUserAsync(school.Server, "d.price@omnicom.test", "teacher", dana.Id, School);
        await CreateUserAsync(school.Server, "ict@omnicom.test", "computing_lead", null, School);
        await CreateUserAsync(school.Server, "support@omnicom-solutions.test", "it_provider", null, School);
        var head = new ApprovalActor("head@omnicom.test", null, ["head"]);
        var ict = new ApprovalActor("ict@omnicom.test", null, ["computing_lead"]);
        var provider2 = new ApprovalActor("support@omnicom-solutions.test", null, ["it_provider"]);
        var staff = new ApprovalActor("office@omnicom.test", null, ["staff"]);

        // The policy declares it with the seed's approvers (O5).
        var type = (await WithServiceAsync<ApprovalService, ApprovalSettings>(school, s => s.SettingsAsync(School, CancellationToken.None))).Find("access_change").ShouldNotBeNull();
        type.Approvers.ShouldBe(["computing_lead", "it_provider"]);
        type.Requirement.ShouldBe("O5");

        // "Give Mrs Price the computing_lead role": asked by staff, emailed to the ICT Coordinator and the IT provider.
        var asked = await WithServiceAsync<ApprovalService, ApprovalRequest>(school, s => s.RequestAsync(School,
            new NewApproval("access_change", "She is taking over as ICT Coordinator in January", dana.Id, Role: "computing_lead"), staff, CancellationToken.None));
        asked.Status.ShouldBe(ApprovalState.Pending);
        var told = await school.RecipientsAsync("approval-request");
        told.ShouldContain("ict@omnicom.test");
        told.ShouldContain("support@omnicom-solutions.test");

        // The head is not an approver of this type; the ICT Coordinator is: approving grants the role, audited.
        await Should.ThrowAsync<ForbiddenException>(() => WithServiceAsync<ApprovalService, ApprovalRequest>(school, s => s.ApproveAsync(School, asked.Id, null, head, CancellationToken.None)));
        await WithServiceAsync<ApprovalService, ApprovalRequest>(school, s => s.ApproveAsync(School, asked.Id, "Agreed with the head", ict, CancellationToken.None));
        var roles = await school.WithDbAsync(db => db.SchoolMemberships.AsNoTracking().Where(m => m.UserId == danaAccount.Id && m.SchoolId == School).Select(m => m.Role).ToListAsync());
        roles.ShouldBe(["teacher", "computing_lead"], ignoreOrder: true);
        var audit = await school.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Action == "role-change" && a.Subject == danaAccount.Id).ToListAsync());
        audit.Single().Detail.ShouldBe($"granted computing_lead (approval {asked.Id}, O5)");
        audit.Single().Actor.ShouldBe("ict@omnicom.test");

        // The register shows the change by name under the person.
        var ictClient = await SignInWithTwoFactorAsync(school.Server, "ict2@omnicom.test", "computing_lead", schoolId: School);
        var (_, page) = await GetAsync(ictClient, "/access-rights?q=price");
        page.QuerySelector("#access-rights details")!.TextContent.ShouldContain("25/11/2026: granted computing_lead");

        // Asking again for a role she holds is refused; a person with no account can be given other access only.
        await Should.ThrowAsync<ConflictException>(() => WithServiceAsync<ApprovalService, ApprovalRequest>(school, s => s.RequestAsync(School,
            new NewApproval("access_change", "again", dana.Id, Role: "computing_lead"), staff, CancellationToken.None)));
        (await Should.ThrowAsync<InvalidException>(() => WithServiceAsync<ApprovalService, ApprovalRequest>(school, s => s.RequestAsync(School,
            new NewApproval("access_change", "new volunteer", vera.Id, Role: "staff"), staff, CancellationToken.None)))).Message.ShouldContain("has no Brightline account");

        // "Network access for a new volunteer": refused by the IT provider, who must say why; the reason is recorded.
        var network = await WithServiceAsync<ApprovalService, ApprovalRequest>(school, s => s.RequestAsync(School,
            new NewApproval("access_change", "Reading volunteer on Tuesdays", vera.Id, Detail: "Staff Wi-Fi for a new volunteer"), staff, CancellationToken.None));
        await Should.ThrowAsync<InvalidException>(() => WithServiceAsync<ApprovalService, ApprovalRequest>(school, s => s.DeclineAsync(School, network.Id, " ", provider2, CancellationToken.None)));
        await WithServiceAsync<ApprovalService, ApprovalRequest>(school, s => s.DeclineAsync(School, network.Id, "Her DBS check has not come back yet", provider2, CancellationToken.None));
        var declined = await school.WithDbAsync(db => db.Set<ApprovalRequest>().AsNoTracking().SingleAsync(a => a.Id == network.Id));
        declined.Status.ShouldBe(ApprovalState.Declined);
        declined.DecisionNote.ShouldBe("Her DBS check has not come back yet");
        declined.DecidedBy.ShouldBe("support@omnicom-solutions.test");

        // The portal form offers the type with the role list.
        var office = await SignInWithTwoFactorAsync(school.Server, "office2@omnicom.test", "staff", schoolId: School);
        var (formResponse, form) = await GetAsync(office, "/approvals/new?type=access_change");
        formResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        form.QuerySelector("select#Role option[value=computing_lead]").ShouldNotBeNull();
        // Roles that open every record (safeguarding files included) are never given through a request.
        form.QuerySelector("select#Role option[value=admin]").ShouldBeNull();
        form.QuerySelector("select#Role option[value=dsl]").ShouldBeNull();
        (await Should.ThrowAsync<InvalidException>(() => WithServiceAsync<ApprovalService, ApprovalRequest>(school, s => s.RequestAsync(School,
            new NewApproval("access_change", "cover", dana.Id, Role: "admin"), staff, CancellationToken.None)))).Message.ShouldContain("not given through a request");
        form.Body!.TextContent.ShouldContain("policy requirement O5");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task O15_DisclosedPassword_ParentAndVolunteerSuspended_PupilAndStaffGetADisciplinaryRecord(DatabaseProvider provider)
    {
        await using var school = await StartAsync(provider);
        var rosa = await school.PersonAsync("rosa.fenn@parents.test");
        var vera = await school.PersonAsync("OV1");
        var jack = await school.PersonAsync("O002");
        var dana = await school.PersonAsync("OS1");
        await CreateUserAsync(school.Server, "ict@omnicom.test", "computing_lead", null, School);
        var head = await SignInWithTwoFactorAsync(school.Server, "head@omnicom.test", "head", schoolId: School);

        // The policy names the reason and, per group, what it leads to.
        var policy = await WithServiceAsync<Brightline.Policies.PolicyStore, Brightline.Policy.Model.SchoolPolicy>(school, s => s.ActiveAsync(School, CancellationToken.None));
        var reason = policy.Sanctions.FindReason("password_disclosed").ShouldNotBeNull();
        reason.Requirements.ShouldBe(["O15"]);

        // A parent: the form offers the reason as "Account suspended"; confirming suspends login, network and internet.
        var (_, form) = await GetAsync(head, $"/sanctions/impose?person={rosa.Id}");
        form.QuerySelector("#policy-reasons")!.TextContent.ShouldContain("Disclosed a password (O15)");
        form.QuerySelector("#policy-reasons")!.TextContent.ShouldContain("For Parents and carers: Account suspended.");
        var review = await SubmitAsync(head, form, $"/sanctions/impose?person={rosa.Id}&handler=Reason",
            new Dictionary<string, string> { ["ReasonKey"] = "password_disclosed", ["ReasonDetails"] = "Gave her login to another parent at the gate" }, "#policy-reasons");
        var reviewDoc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await review.Content.ReadAsStringAsync());
        reviewDoc.QuerySelector("#reason-check")!.TextContent.ShouldContain("Account suspended");
        (await SubmitAsync(head, reviewDoc, $"/sanctions/impose?person={rosa.Id}&handler=ReasonConfirm", new Dictionary<string, string>(), "#reason-check form"))
            .ShouldRedirectTo($"/people/{rosa.Id}");
        var sanction = await school.WithDbAsync(db => db.Set<Sanction>().AsNoTracking().SingleAsync(s => s.PersonId == rosa.Id));
        sanction.Kind.ShouldBe(SanctionKind.SuspendAccount);
        sanction.ReasonKey.ShouldBe("password_disclosed");
        sanction.Reason.ShouldBe("Disclosed a password (O15): Gave her login to another parent at the gate");
        var gate = await school.GateAsync(rosa);
        gate.IsAllowed(AccessKind.Login).ShouldBeFalse();
        gate.IsAllowed(AccessKind.Network).ShouldBeFalse();
        gate.IsAllowed(AccessKind.Internet).ShouldBeFalse();

        // A volunteer: access revoked too (through the service, as the page calls it).
        var headActor = new IncidentActor("head@omnicom.test", null, ["head"]);
        var volunteer = await WithServiceAsync<SanctionReasons, ReasonOutcome>(school, s => s.ImposeAsync(School, vera.Id, "password_disclosed", "Shared it with a friend", headActor, CancellationToken.None));
        volunteer.Sanction!.Kind.ShouldBe(SanctionKind.SuspendAccount);
        volunteer.Incident.ShouldBeNull();

        // A pupil: a disciplinary record in the behaviour register citing O15's rule, the ICT Coordinator told; no access taken away.
        var pupil = await WithServiceAsync<SanctionReasons, ReasonOutcome>(school, s => s.ImposeAsync(School, jack.Id, "password_disclosed", "Told a friend his password", headActor, CancellationToken.None));
        pupil.Sanction.ShouldBeNull();
        pupil.Incident!.Kind.ShouldBe(IncidentKinds.Behaviour);
        pupil.Incident.RuleIds.ShouldBe(["O15-passwords"]);
        (await school.RecipientsAsync("incident-created")).ShouldContain("ict@omnicom.test");
        (await school.WithDbAsync(db => db.Set<Sanction>().CountAsync(s => s.PersonId == jack.Id))).ShouldBe(0);

        // Staff: a disciplinary record as a staff violation (the head is told by that register's route), audited.
        var staffOutcome = await WithServiceAsync<SanctionReasons, ReasonOutcome>(school, s => s.ImposeAsync(School, dana.Id, "password_disclosed", "Wrote it on a sticky note on the desk", headActor, CancellationToken.None));
        staffOutcome.Incident!.Kind.ShouldBe(IncidentKinds.StaffViolation);
        (await school.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == SanctionAuditActions.Disciplinary))).ShouldBe(2);

        // No details: refused with a clear message.
        (await Should.ThrowAsync<InvalidException>(() => WithServiceAsync<SanctionReasons, ReasonOutcome>(school, s => s.ImposeAsync(School, jack.Id, "password_disclosed", " ", headActor, CancellationToken.None))))
            .Message.ShouldContain("Say what happened");
    }
}
