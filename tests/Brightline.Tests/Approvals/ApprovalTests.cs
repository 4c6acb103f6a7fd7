using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Brightline.Approvals;
using Brightline.ClientBindings;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policy;
using Brightline.Portal;
using Brightline.Tests.Filtering;
using Brightline.Tests.People;
using Brightline.WebFiltering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Approvals;

/// <summary>
/// The approvals workflow end to end: each kind's effect (DNS over real UDP, vouchers through the API, the
/// H17 content permission, the C11 incidents and email), who may ask and decide, limits, and expiry by the manual clock.
/// </summary>
public sealed class ApprovalTests
{
    private const string BlockPage = "10.0.0.10";
    private static readonly IPAddress s_noahLaptop = IPAddress.Parse("127.0.0.3");
    private static readonly IPAddress s_avaLaptop = IPAddress.Parse("127.0.0.4");
    private static readonly IPAddress s_leadLaptop = IPAddress.Parse("127.0.0.5");
    private static readonly IPAddress s_parentPhone = IPAddress.Parse("127.0.0.6");

    /// <summary>The test school's pupils plus Ava (Year 2, class 2 Elm): another KS1 pupil in a different class from Noah (1 Ash).</summary>
    private const string Pupils = TestSchool.PupilsCsv + "\nA005,,Ava,Smith,2,2 Elm,01/09/2024,Jane Smith,jane.smith@parents.test,Mother,,,";

    /// <summary>The test school's staff plus Tom Hughes, who teaches 1 Ash.</summary>
    private const string Staff = TestSchool.StaffCsv + "\nS03,Tom,Hughes,t.hughes@school.test,Year 1 Teacher,1 Ash,Staff,,01/09/2020";

    private static readonly ApprovalActor s_head = new("h.marsh@school.test", null, [PortalRoles.Head]);
    private static readonly ApprovalActor s_dsl = new("s.okafor@school.test", null, [PortalRoles.Dsl]);
    private static readonly ApprovalActor s_bursar = new("sbm@school.test", null, [PortalRoles.BusinessManager]);

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider, FakeUpstream? upstream = null)
    {
        // The sweep is driven by hand here so each step is deterministic; ApprovalWorker_RecordsExpiry covers the worker.
        var settings = upstream is null ? new Dictionary<string, string?>(StringComparer.Ordinal) : DnsTestSettings.For(upstream);
        settings["Brightline:Approvals:Worker"] = "false";
        var server = await BrightlineServer.StartAsync(provider, settings: settings);
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Pupils, Pupils);
        await TestSchool.ImportAsync(server, ImportKind.Staff, Staff);
        await server.Services.GetRequiredService<FilterService>().RefreshAsync(CancellationToken.None);
        return server;
    }

    private static async Task<T> WithAsync<T>(BrightlineServer server, Func<ApprovalService, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<ApprovalService>());
    }

    private static async Task<T> DbAsync<T>(BrightlineServer server, Func<BrightlineDbContext, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }

    private static Task<ApprovalRequest> RequestAsync(BrightlineServer server, NewApproval request, ApprovalActor actor) =>
        WithAsync(server, s => s.RequestAsync(TestSchool.Id, request, actor, CancellationToken.None));

    private static Task<ApprovalRequest> ApproveAsync(BrightlineServer server, ApprovalRequest approval, ApprovalActor actor, string? note = null) =>
        WithAsync(server, s => s.ApproveAsync(TestSchool.Id, approval.Id, note, actor, CancellationToken.None));

    private static Task<ApprovalRequest> ReloadAsync(BrightlineServer server, ApprovalRequest approval) =>
        DbAsync(server, db => db.Set<ApprovalRequest>().AsNoTracking().SingleAsync(a => a.Id == approval.Id));

    private static Task<int> SweepAsync(BrightlineServer server) => WithAsync(server, s => s.ExpireDueAsync(CancellationToken.None));

    private static async Task<Person> ParentOfAsync(BrightlineServer server, Person child)
    {
        var parentId = await DbAsync(server, db => db.ParentLinks.Where(l => l.ChildId == child.Id).Select(l => l.ParentId).FirstAsync());
        return (await TestSchool.PeopleAsync(server)).Single(p => p.Id == parentId);
    }

    private static async Task<string?> ResolveAsync(IPAddress from, IPEndPoint server, string name) =>
        DnsTestClient.FirstA(await DnsTestClient.AskFromAsync(from, server, name));

    private static IPEndPoint Dns(BrightlineServer server) => DnsTestSettings.EndPoint(server);

    private static void Bind(BrightlineServer server, IPAddress address, Person person) =>
        server.Services.GetRequiredService<DnsClientBindings>().Bind(address, TestSchool.Id, person.Id, server.Clock.GetUtcNow().AddHours(12));

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ClassUnblock_ReachesDnsForTheClassOnly_AndEndsByItself(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        upstream.AddA("poki.com", "192.0.2.9", ttl: 300);
        upstream.AddA("iwf-test.brightline.invalid", "192.0.2.66", ttl: 300);
        await using var server = await StartAsync(provider, upstream);
        var dns = Dns(server);
        var noah = await TestSchool.PersonAsync(server, "A002");
        var ava = await TestSchool.PersonAsync(server, "A005");
        await SignAsync(server, noah, await ParentOfAsync(server, noah), "ks1-pupil");
        await SignAsync(server, ava, await ParentOfAsync(server, ava), "ks1-pupil");
        Bind(server, s_noahLaptop, noah);
        Bind(server, s_avaLaptop, ava);

        // Games are blocked for KS1: both pupils get the block page.
        (await ResolveAsync(s_noahLaptop, dns, "poki.com")).ShouldBe(BlockPage);
        (await ResolveAsync(s_avaLaptop, dns, "poki.com")).ShouldBe(BlockPage);

        var tom = await TestSchool.PersonAsync(server, "S03");
        var teacher = new ApprovalActor("t.hughes@school.test", tom.Id, [PortalRoles.Teacher]);

        // Refusals: illegal content never, no longer than the policy allows (2 hours by default), teachers only, a class needed.
        (await Should.ThrowAsync<DomainException>(() => RequestAsync(server, new NewApproval("class_unblock", "Lesson", Host: "iwf-test.brightline.invalid"), teacher)))
            .Message.ShouldContain("illegal");
        (await Should.ThrowAsync<DomainException>(() => RequestAsync(server, new NewApproval("class_unblock", "Lesson", Host: "poki.com", DurationMinutes: 180), teacher)))
            .Message.ShouldContain("at most 2 hours");
        await Should.ThrowAsync<ForbiddenException>(() => RequestAsync(server, new NewApproval("class_unblock", "Lesson", Host: "poki.com"), new ApprovalActor("noah@school.test", noah.Id, [PortalRoles.Pupil])));
        (await Should.ThrowAsync<DomainException>(() => RequestAsync(server, new NewApproval("class_unblock", "Lesson", Host: "poki.com"), new ApprovalActor("supply@school.test", null, [PortalRoles.Teacher]))))
            .Message.ShouldContain("no class");
        await Should.ThrowAsync<DomainException>(() => RequestAsync(server, new NewApproval("class_unblock", "  ", Host: "poki.com"), teacher));

        // The unblock applies at once, for Noah's class (1 Ash) only: Ava, in the same KS1 profile but 2 Elm, stays blocked.
        var unblock = await RequestAsync(server, new NewApproval("class_unblock", "Coding lesson reviews a game's design", Host: "https://poki.com/en/g/some-game", DurationMinutes: 45), teacher);
        unblock.Status.ShouldBe(ApprovalState.Active);
        unblock.Host.ShouldBe("poki.com");
        unblock.ClassName.ShouldBe("1 Ash");
        (await ResolveAsync(s_noahLaptop, dns, "poki.com")).ShouldBe("192.0.2.9");
        (await ResolveAsync(s_avaLaptop, dns, "poki.com")).ShouldBe(BlockPage);
        var overrides = await DbAsync(server, db => db.Set<FilterOverride>().AsNoTracking().ToListAsync());
        overrides.ShouldHaveSingleItem().ClassName.ShouldBe("1 Ash");
        overrides[0].Profile.ShouldBe("ks1");

        // It ends by itself: past its end the engine ignores it, before any sweep has recorded anything.
        server.Clock.Advance(TimeSpan.FromMinutes(46));
        (await ResolveAsync(s_noahLaptop, dns, "poki.com")).ShouldBe(BlockPage);
        (await ReloadAsync(server, unblock)).Status.ShouldBe(ApprovalState.Active, "the sweep has not run yet");
        (await SweepAsync(server)).ShouldBe(1);
        (await ReloadAsync(server, unblock)).Status.ShouldBe(ApprovalState.Expired);
        (await SweepAsync(server)).ShouldBe(0);

        var history = await WithAsync(server, s => s.HistoryAsync(TestSchool.Id, unblock.Id, CancellationToken.None));
        history.Select(h => h.Action.Key()).ShouldBe(["requested", "applied", "expired"]);
        var audit = await DbAsync(server, db => db.AuditEntries.AsNoTracking().Where(a => a.Action.StartsWith("approval-")).Select(a => a.Action).ToListAsync());
        audit.ShouldContain(ApprovalAuditActions.Applied);
        audit.ShouldContain(ApprovalAuditActions.Expired);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Unrestricted_AppliesAtOnce_RecordsBothRegisters_EmailsHead_AndEndsByItself(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        upstream.AddA("bet365.com", "192.0.2.10", ttl: 300);
        upstream.AddA("iwf-test.brightline.invalid", "192.0.2.66", ttl: 300);
        await using var server = await StartAsync(provider, upstream);
        var dns = Dns(server);
        var priya = await TestSchool.PersonAsync(server, "S01");
        await SignAsync(server, priya, priya, "staff", "Computing Lead");
        Bind(server, s_leadLaptop, priya);
        (await ResolveAsync(s_leadLaptop, dns, "bet365.com")).ShouldBe(BlockPage, "gambling is blocked for staff");

        var lead = new ApprovalActor("priya.patel@school.test", priya.Id, [PortalRoles.ComputingLead]);
        await Should.ThrowAsync<ForbiddenException>(() => RequestAsync(server, new NewApproval("unrestricted", "Curious"),
            new ApprovalActor("t.hughes@school.test", priya.Id, [PortalRoles.Teacher])));
        (await Should.ThrowAsync<DomainException>(() => RequestAsync(server, new NewApproval("unrestricted", "Investigating", DurationMinutes: 90), lead)))
            .Message.ShouldContain("at most 1 hour");

        var before = server.Smtp.Messages().Count;
        var reason = "Checking a gambling site reported by a parent";
        var overrideOn = await RequestAsync(server, new NewApproval("unrestricted", reason, DurationMinutes: 20), lead);
        overrideOn.Status.ShouldBe(ApprovalState.Active);
        overrideOn.SubjectPersonId.ShouldBe(priya.Id);

        // At once: her own profile is unrestricted, illegal content excepted.
        (await ResolveAsync(s_leadLaptop, dns, "bet365.com")).ShouldBe("192.0.2.10");
        (await ResolveAsync(s_leadLaptop, dns, "iwf-test.brightline.invalid")).ShouldBe(BlockPage);

        // C11: one entry in the safeguarding (e-safety) log and one in the ICT violations register, both about her.
        var incidents = await DbAsync(server, db => db.Set<Incident>().AsNoTracking().OrderBy(i => i.Kind).ToListAsync());
        incidents.Select(i => i.Kind).ShouldBe(["safeguarding", "staff_violation"]);
        var involved = await DbAsync(server, db => db.Set<IncidentPerson>().AsNoTracking().Select(p => p.PersonId).ToListAsync());
        involved.ShouldAllBe(p => p == priya.Id);
        involved.Count.ShouldBe(2);
        overrideOn.IncidentIds.Count.ShouldBe(2);

        // The head is emailed a link, and nothing about what was looked at or why.
        // (The head may also be told of the two register entries by the incidents' own routing; those
        // emails carry only links too.)
        var mail = await server.Smtp.WaitForAsync(m => m.Contains("head@example-primary.example.org", StringComparison.Ordinal)
            && m.Contains($"/approvals/{overrideOn.Id}", StringComparison.Ordinal));
        foreach (var sent in server.Smtp.Messages())
        {
            sent.ShouldNotContain("gambling");
            sent.ShouldNotContain("bet365");
        }
        server.Smtp.Messages().Count.ShouldBeGreaterThan(before);

        // One at a time; it cannot be "approved" by anyone because it needs no approval.
        await Should.ThrowAsync<ConflictException>(() => RequestAsync(server, new NewApproval("unrestricted", "Again"), lead));
        await Should.ThrowAsync<DomainException>(() => ApproveAsync(server, overrideOn, s_head));

        // Ends by itself after 20 minutes, before the sweep records it.
        server.Clock.Advance(TimeSpan.FromMinutes(20) + TimeSpan.FromSeconds(1));
        (await ResolveAsync(s_leadLaptop, dns, "bet365.com")).ShouldBe(BlockPage);
        (await SweepAsync(server)).ShouldBe(1);
        (await ReloadAsync(server, overrideOn)).Status.ShouldBe(ApprovalState.Expired);

        // A second override, ended early by her: blocked again at once.
        var second = await RequestAsync(server, new NewApproval("unrestricted", "Second look at the same site", DurationMinutes: 30), lead);
        (await ResolveAsync(s_leadLaptop, dns, "bet365.com")).ShouldBe("192.0.2.10");
        await Should.ThrowAsync<DomainException>(() => WithAsync(server, s => s.RevokeAsync(TestSchool.Id, second.Id, " ", lead, CancellationToken.None)));
        await WithAsync(server, s => s.RevokeAsync(TestSchool.Id, second.Id, "Finished", lead, CancellationToken.None));
        (await ResolveAsync(s_leadLaptop, dns, "bet365.com")).ShouldBe(BlockPage);
        (await ReloadAsync(server, second)).Status.ShouldBe(ApprovalState.Revoked);
        (await DbAsync(server, db => db.Set<Incident>().CountAsync())).ShouldBe(4, "each override is recorded in both registers");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task GuestWifi_HeadApproves_VouchersCheckedThroughApi_UntilExpiryOrRevocation(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var helen = await TestSchool.PersonAsync(server, "S02");
        await CreateUserAsync(server, "h.marsh@school.test", PortalRoles.Head, helen.Id);
        var head = s_head with { PersonId = helen.Id };

        // O22: a reason (official capacity or the visit's purpose) and who it is for are required.
        await Should.ThrowAsync<DomainException>(() => RequestAsync(server, new NewApproval("guest_wifi", "", Detail: "Exampleshire Music Service"), s_bursar));
        await Should.ThrowAsync<DomainException>(() => RequestAsync(server, new NewApproval("guest_wifi", "Music lessons", Detail: " "), s_bursar));
        await Should.ThrowAsync<DomainException>(() => RequestAsync(server, new NewApproval("guest_wifi", "Music lessons", Detail: "Music Service", VoucherCount: 31), s_bursar));
        await Should.ThrowAsync<ForbiddenException>(() => RequestAsync(server, new NewApproval("guest_wifi", "Visit", Detail: "Me"), new ApprovalActor("p@parents.test", null, [PortalRoles.Parent])));

        var request = await RequestAsync(server, new NewApproval("guest_wifi", "Peripatetic music teachers, weekly lessons", Detail: "Exampleshire Music Service", VoucherCount: 2), s_bursar);
        request.Status.ShouldBe(ApprovalState.Pending);
        var notice = await server.Smtp.WaitForAsync(m => m.Contains("h.marsh@school.test", StringComparison.Ordinal));
        notice.ShouldNotContain("Music");

        // Nobody decides without the approver's role, nor their own request.
        await Should.ThrowAsync<ForbiddenException>(() => ApproveAsync(server, request, s_dsl));
        var own = await RequestAsync(server, new NewApproval("guest_wifi", "Governor visit", Detail: "Margaret Ellis"), head);
        (await Should.ThrowAsync<ForbiddenException>(() => ApproveAsync(server, own, head))).Message.ShouldContain("you made");

        var approved = await ApproveAsync(server, request, head, "Yes, for this term's lessons");
        approved.Status.ShouldBe(ApprovalState.Active);
        approved.EndsAt.ShouldBe(approved.StartsAt!.Value.AddDays(1));
        var vouchers = await WithAsync(server, s => s.VouchersAsync(TestSchool.Id, request.Id, CancellationToken.None));
        vouchers.Count.ShouldBe(2);
        vouchers.ShouldAllBe(v => v.Group == "visitors" && v.ExpiresAt == approved.EndsAt);
        await Should.ThrowAsync<ConflictException>(() => ApproveAsync(server, request, head));

        // The Wi-Fi controller checks a code with the API key.
        var api = server.CreateApiClient();
        async Task<JsonElement> CheckAsync(string code)
        {
            var response = await api.PostAsJsonAsync("/api/v1/vouchers/check", new { code });
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        var ok = await CheckAsync(vouchers[0].Code.ToLowerInvariant());
        ok.GetProperty("valid").GetBoolean().ShouldBeTrue();
        ok.GetProperty("group").GetString().ShouldBe("visitors");
        ok.GetProperty("profile").GetString().ShouldBe("visitors");
        ok.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(approved.EndsAt!.Value);
        var unknown = await CheckAsync("AAAAA-BBBBB");
        unknown.GetProperty("valid").GetBoolean().ShouldBeFalse();
        unknown.GetProperty("reason").GetString().ShouldBe("unknown");

        var bad = await api.PostAsync("/api/v1/vouchers/check", new StringContent("{not json", Encoding.UTF8, "application/json"));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        bad.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await api.PostAsJsonAsync("/api/v1/vouchers/check", new { code = "" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await server.CreateClient().PostAsJsonAsync("/api/v1/vouchers/check", new { code = vouchers[0].Code })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Declining needs a reason; a declined request issues nothing.
        var other = await RequestAsync(server, new NewApproval("guest_wifi", "Photographer", Detail: "School photographer"), s_bursar);
        await Should.ThrowAsync<DomainException>(() => WithAsync(server, s => s.DeclineAsync(TestSchool.Id, other.Id, "", head, CancellationToken.None)));
        (await WithAsync(server, s => s.DeclineAsync(TestSchool.Id, other.Id, "Photographs are taken on school devices", head, CancellationToken.None))).Status.ShouldBe(ApprovalState.Declined);
        (await WithAsync(server, s => s.VouchersAsync(TestSchool.Id, other.Id, CancellationToken.None))).ShouldBeEmpty();

        // Revoked: the code stops at once.
        var third = await RequestAsync(server, new NewApproval("guest_wifi", "Contractor", Detail: "Boiler engineer"), s_bursar);
        await ApproveAsync(server, third, head);
        var thirdCode = (await WithAsync(server, s => s.VouchersAsync(TestSchool.Id, third.Id, CancellationToken.None))).Single().Code;
        (await CheckAsync(thirdCode)).GetProperty("valid").GetBoolean().ShouldBeTrue();
        await WithAsync(server, s => s.RevokeAsync(TestSchool.Id, third.Id, "Work finished early", head, CancellationToken.None));
        (await CheckAsync(thirdCode)).GetProperty("reason").GetString().ShouldBe("revoked");

        // Expired: a day later the first codes are refused, before the sweep; then the sweep records it.
        server.Clock.Advance(TimeSpan.FromDays(1));
        var expired = await CheckAsync(vouchers[1].Code);
        expired.GetProperty("valid").GetBoolean().ShouldBeFalse();
        expired.GetProperty("reason").GetString().ShouldBe("expired");
        (await SweepAsync(server)).ShouldBe(1);
        (await ReloadAsync(server, request)).Status.ShouldBe(ApprovalState.Expired);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task EmailInspection_ApprovalGrantsContentPermission_RevocationEndsIt(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var noah = await TestSchool.PersonAsync(server, "A002");
        var helen = await TestSchool.PersonAsync(server, "S02");
        var head = s_head with { PersonId = helen.Id };

        await Should.ThrowAsync<ForbiddenException>(() => RequestAsync(server, new NewApproval("email_inspection", "Concern", SubjectPersonId: noah.Id), new ApprovalActor("t@school.test", null, [PortalRoles.Teacher])));
        await Should.ThrowAsync<DomainException>(() => RequestAsync(server, new NewApproval("email_inspection", "Concern", SubjectPersonId: noah.Id, DurationMinutes: 31 * 24 * 60), s_dsl));
        await Should.ThrowAsync<DomainException>(() => RequestAsync(server, new NewApproval("email_inspection", "Concern"), s_dsl));

        var request = await RequestAsync(server, new NewApproval("email_inspection", "Disclosure in class; need to read messages sent this week", SubjectPersonId: noah.Id, DurationMinutes: 3 * 24 * 60), s_dsl);
        (await DbAsync(server, db => db.Set<MonitoringContentPermission>().CountAsync())).ShouldBe(0, "nothing may be read before the decision");
        await Should.ThrowAsync<ForbiddenException>(() => ApproveAsync(server, request, s_dsl));
        var approved = await ApproveAsync(server, request, head);

        // H17: the monitoring queue's own permission record, for the requester alone, ending with the approval.
        var permission = await DbAsync(server, db => db.Set<MonitoringContentPermission>().AsNoTracking().SingleAsync());
        permission.Id.ShouldBe(approved.ContentPermissionId!.Value);
        permission.PersonId.ShouldBe(noah.Id);
        permission.RequestedBy.ShouldBe(s_dsl.UserName);
        permission.Status.ShouldBe(ContentPermissionState.Granted);
        permission.ExpiresAt.ShouldBe(approved.EndsAt);
        permission.ExpiresAt!.Value.ShouldBe(server.Clock.GetUtcNow().AddDays(3), TimeSpan.FromSeconds(1));

        server.Clock.Advance(TimeSpan.FromHours(1));
        await Should.ThrowAsync<ForbiddenException>(() => WithAsync(server, s => s.RevokeAsync(TestSchool.Id, request.Id, "No", new ApprovalActor("t@school.test", null, [PortalRoles.Teacher]), CancellationToken.None)));
        await WithAsync(server, s => s.RevokeAsync(TestSchool.Id, request.Id, "Enough has been read", head, CancellationToken.None));
        var ended = await DbAsync(server, db => db.Set<MonitoringContentPermission>().AsNoTracking().SingleAsync());
        ended.ExpiresAt!.Value.ShouldBe(server.Clock.GetUtcNow(), TimeSpan.FromSeconds(1));
        (await ReloadAsync(server, request)).Status.ShouldBe(ApprovalState.Revoked);
        await Should.ThrowAsync<ConflictException>(() => WithAsync(server, s => s.RevokeAsync(TestSchool.Id, request.Id, "Again", head, CancellationToken.None)));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Exemption_NeedsSignedAgreement_DevicesAskedInTheRegister_OfficialCapacityMovesParentToStaffRules(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        upstream.AddA("facebook.com", "192.0.2.11", ttl: 300);
        await using var server = await StartAsync(provider, upstream);
        var tom = await TestSchool.PersonAsync(server, "S03");
        var helen = await TestSchool.PersonAsync(server, "S02");
        var head = s_head with { PersonId = helen.Id };
        var teacher = new ApprovalActor("t.hughes@school.test", tom.Id, [PortalRoles.Teacher]);

        // O3: the written agreement must be accepted and signed, and the rule must be the policy's.
        (await Should.ThrowAsync<DomainException>(() => RequestAsync(server, new NewApproval("exemption", "Runs the school's social media", RuleId: "staff-personal-use"), teacher)))
            .Message.ShouldContain("agreement");
        await Should.ThrowAsync<DomainException>(() => RequestAsync(server, new NewApproval("exemption", "Why", RuleId: "no-such-rule", AgreementAccepted: true, AgreementSignedName: "Tom Hughes"), teacher));
        var exemption = await RequestAsync(server, new NewApproval("exemption", "Runs the school's social media accounts", RuleId: "staff-personal-use",
            AgreementAccepted: true, AgreementSignedName: "Tom Hughes"), teacher);
        exemption.AgreementSha256.ShouldBe(ApprovalService.Sha256(ApprovalSettings.DefaultExemptionAgreement));
        exemption.AgreementSignedName.ShouldBe("Tom Hughes");
        exemption.AgreementSignedAt!.Value.ShouldBe(server.Clock.GetUtcNow(), TimeSpan.FromSeconds(1));
        await Should.ThrowAsync<ForbiddenException>(() => ApproveAsync(server, exemption, teacher with { Roles = [PortalRoles.Teacher, PortalRoles.Head] }));
        await ApproveAsync(server, exemption, head);
        async Task<bool> ExemptAsync() => await DbAsync(server, db => ApprovalEffects.IsExemptAsync(db, TestSchool.Id, tom.Id, "staff-personal-use", server.Clock.GetUtcNow(), CancellationToken.None));
        (await ExemptAsync()).ShouldBeTrue();

        // O19: the example school asks for personal devices through devices.requests (issue 14), which registers the
        // device too, so the built-in approval type is not offered beside it.
        ApprovalSettings.From(PolicyLoader.LoadValid(TestSchool.ExampleYaml, "example.yaml")).Find("personal_device").ShouldBeNull();
        await Should.ThrowAsync<DomainException>(() => RequestAsync(server, new NewApproval("personal_device", "Marking at home", Detail: "iPad Air, passcode and device encryption",
            AgreementAccepted: true, AgreementSignedName: "Tom Hughes"), teacher));

        // O14: Noah's mother, acting as a volunteer in an official capacity, is filtered by the staff profile while it lasts.
        var noah = await TestSchool.PersonAsync(server, "A002");
        var mother = await ParentOfAsync(server, noah);
        Bind(server, s_parentPhone, mother);
        var dns = Dns(server);
        (await ResolveAsync(s_parentPhone, dns, "facebook.com")).ShouldBe("192.0.2.11", "the guest profile allows social networking");
        (await Should.ThrowAsync<DomainException>(() => RequestAsync(server, new NewApproval("official_capacity", "Helping", SubjectPersonId: noah.Id), s_bursar)))
            .Message.ShouldContain("pupil");
        var official = await RequestAsync(server, new NewApproval("official_capacity", "Volunteer reading helper, Year 1", SubjectPersonId: mother.Id, DurationMinutes: 7 * 24 * 60), s_bursar);
        (await ResolveAsync(s_parentPhone, dns, "facebook.com")).ShouldBe("192.0.2.11", "not before approval");
        await ApproveAsync(server, official, head);

        // Under the staff rules she must sign the staff agreement first: until she does, the gate
        // withholds the internet and names that agreement.
        async Task<Brightline.Access.AccessItem> InternetAsync()
        {
            await using var scope = server.CreateScope();
            var decision = await scope.ServiceProvider.GetRequiredService<Brightline.Access.AccessGate>().EvaluateAsync(TestSchool.Id, mother.Id, CancellationToken.None);
            return decision.Items.Single(i => i.Access == Brightline.Policy.Model.AccessKind.Internet);
        }

        var internet = await InternetAsync();
        internet.Allowed.ShouldBeFalse();
        internet.Reasons.ShouldContain(r => r.AgreementId == "staff");
        await SignAsync(server, mother, mother, "staff", jobTitle: "Volunteer reading helper");
        (await InternetAsync()).Allowed.ShouldBeTrue();
        server.Clock.Advance(TimeSpan.FromMinutes(1)); // past the DNS filter's short gate cache
        Bind(server, s_parentPhone, mother);
        (await ResolveAsync(s_parentPhone, dns, "facebook.com")).ShouldBe(BlockPage, "staff rules: no social networking in teaching hours (O7)");

        // Time runs out on both without a sweep; then the sweep records them.
        server.Clock.Advance(TimeSpan.FromDays(31));
        (await ExemptAsync()).ShouldBeFalse();
        server.Clock.Advance(TimeSpan.FromDays(335));
        Bind(server, s_parentPhone, mother);
        (await ResolveAsync(s_parentPhone, dns, "facebook.com")).ShouldBe("192.0.2.11");
        (await SweepAsync(server)).ShouldBe(2);
    }

    /// <summary>O14 "then staff rules apply" in the portal: the parent's account has the staff role while the approval is in force, and the school's compliance counts the staff agreement she owes.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task OfficialCapacity_GivesTheParentsAccountTheStaffRole_AndCountsTheStaffAgreement_UntilItEnds(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var helen = await TestSchool.PersonAsync(server, "S02");
        var mother = await ParentOfAsync(server, await TestSchool.PersonAsync(server, "A002"));
        await CreateUserAsync(server, "mother@home.test", PortalRoles.Parent, mother.Id);
        await SignAsync(server, mother, mother, "parent");
        using var client = server.CreateClient();
        (await LoginAsync(client, "mother@home.test")).ShouldRedirectTo("/");

        async Task<bool> OwesTheStaffAgreementAsync()
        {
            await using var scope = server.CreateScope();
            var service = scope.ServiceProvider.GetRequiredService<Brightline.Agreements.AgreementService>();
            var active = await scope.ServiceProvider.GetRequiredService<Brightline.Policies.PolicyStore>().ActiveVersionAsync(TestSchool.Id, CancellationToken.None);
            var status = await service.SchoolStatusAsync(active, CancellationToken.None);
            return status.Single(s => s.Person.Id == mother.Id).Required.Any(r => r.AgreementId == "staff");
        }

        // A parent (her own agreement signed): the staff pages are closed to her, and she owes no staff agreement.
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK, "the gate lets a parent with her agreement signed in");
        var closed = await client.GetAsync("/agreements");
        closed.StatusCode.ShouldNotBe(HttpStatusCode.OK);
        (closed.Headers.Location?.ToString() ?? "").ShouldNotContain("/sign/");
        (await OwesTheStaffAgreementAsync()).ShouldBeFalse();

        var official = await RequestAsync(server, new NewApproval("official_capacity", "Parent governor visiting lessons", SubjectPersonId: mother.Id, DurationMinutes: 24 * 60), s_bursar);
        await ApproveAsync(server, official, s_head with { PersonId = helen.Id });

        // In an official capacity: the staff agreement is owed (the dashboard's compliance counts it), and once she
        // signs it the staff pages open to her account without any change to its membership.
        (await OwesTheStaffAgreementAsync()).ShouldBeTrue();
        await SignAsync(server, mother, mother, "staff", jobTitle: "Parent governor");
        var staffPage = await client.GetAsync("/agreements");
        staffPage.StatusCode.ShouldBe(HttpStatusCode.OK, staffPage.Headers.Location?.ToString());
        (await DbAsync(server, db => db.SchoolMemberships.AsNoTracking().Where(m => m.PersonId == mother.Id).Select(m => m.Role).ToListAsync()))
            .ShouldBe([PortalRoles.Parent]);

        // The approval ends by itself: so does the staff role, before any sweep.
        server.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var closedAgain = await client.GetAsync("/agreements");
        closedAgain.StatusCode.ShouldNotBe(HttpStatusCode.OK);
        (closedAgain.Headers.Location?.ToString() ?? "").ShouldNotContain("/sign/");
        (await OwesTheStaffAgreementAsync()).ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ApprovalWorker_RecordsExpiryByTheInjectedClock(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Staff, Staff);
        var priya = await TestSchool.PersonAsync(server, "S01");
        var request = await RequestAsync(server, new NewApproval("unrestricted", "Checking a report", DurationMinutes: 5), new ApprovalActor("priya.patel@school.test", priya.Id, [PortalRoles.ComputingLead]));
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var status = ApprovalState.Active;
        while (DateTime.UtcNow < deadline && status != ApprovalState.Expired)
        {
            // Each step lets the worker's next 30-second delay elapse on the manual clock.
            server.Clock.Advance(ApprovalWorker.Interval);
            await Task.Delay(100);
            status = (await ReloadAsync(server, request)).Status;
        }

        status.ShouldBe(ApprovalState.Expired);
        (await DbAsync(server, db => db.AuditEntries.AsNoTracking().CountAsync(a => a.Action == ApprovalAuditActions.Expired && a.Actor == "system"))).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task PolicyLoad_BadApprovalsSection_IsRefusedAtItsLine(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?> { ["Brightline:Approvals:Worker"] = "false" });
        var yaml = TestSchool.ExampleYaml + "\napprovals:\n  types:\n    unrestricted:\n      max_duration: forever\n";
        var refused = await Should.ThrowAsync<PolicyInvalidException>(() => TestSchool.LoadPolicyAsync(server, yaml));
        var line = yaml.Split('\n').Length - 1;
        refused.Errors.ShouldHaveSingleItem().ToString().ShouldBe($"example.yaml:{line}:21: 'max_duration' has an invalid value 'forever' (A whole number with m, h or d: 90m, 4h, 30d.)");
        (await DbAsync(server, db => db.PolicyVersions.CountAsync())).ShouldBe(0, "nothing is loaded");
    }

    [Fact]
    public void Settings_BadKeys_AreNamedInTheMessages_GoodOnesOverrideDefaults()
    {
        const string section = """

            approvals:
              colour: blue
              types:
                guest_wifi:
                  approvers: [headteacher]
                  max_duration: 3 weeks
                trip_wifi:
                  requesters: [teacher]
                exemption:
                  approvers: []
                class_unblock:
                  max_duration: 3h
                  default_duration: 90m
                  requesters: [teacher, computing_lead]
                personal_device:
                  enabled: false
            """;
        // The policy library checks the section like the rest of the file: every problem, each at its position, and
        // a policy with any is never loaded.
        var yaml = TestSchool.ExampleYaml + section;
        var lines = yaml.Split('\n');
        var sectionStart = TestSchool.ExampleYaml.Split('\n').Length - 1;
        string At(string text)
        {
            var line = Array.FindIndex(lines, sectionStart, l => l.Contains(text, StringComparison.Ordinal));
            return $"example.yaml:{line + 1}:{lines[line].IndexOf(text, StringComparison.Ordinal) + 1}: ";
        }

        var errors = PolicyLoader.Load(yaml, "example.yaml").Errors.Select(d => d.ToString()).ToList();
        errors.ShouldBe(
        [
            At("colour") + "unknown key 'colour' in approvals",
            At("headteacher") + "approvals.types.guest_wifi.approvers[1] must be one of admin, dsl, deputy_dsl, head, computing_lead, business_manager, it_provider, head_of_year, senior_leadership, it_support, bursar, teacher, staff, parent, pupil, not 'headteacher'",
            At("3 weeks") + "'max_duration' has an invalid value '3 weeks' (A whole number with m, h or d: 90m, 4h, 30d.)",
            At("trip_wifi") + "approval type 'trip_wifi' needs 'kind', because it is not a built-in type; use one of exemption, official_capacity, guest_wifi, class_unblock, unrestricted, email_inspection, personal_device, access_change",
            At("[]") + "approval type 'exemption': an exemption approval needs at least one approver (only class_unblock and unrestricted may take effect without one)",
        ]);
        Should.Throw<PolicyInvalidException>(() => PolicyLoader.LoadValid(yaml, "example.yaml")).Errors.Count.ShouldBe(5);

        var good = ApprovalSettings.From(PolicyLoader.LoadValid(TestSchool.ExampleYaml + """

            approvals:
              types:
                class_unblock:
                  max_duration: 3h
                  default_duration: 90m
                  requesters: [teacher, computing_lead]
                personal_device:
                  enabled: false
                visit_wifi:
                  kind: guest_wifi
                  title: Wi-Fi for a visiting speaker
                  max_duration: 1d
                  max_vouchers: 3
            """, "example.yaml"));
        var unblock = good.Find("class_unblock")!;
        unblock.MaxDuration.ShouldBe(TimeSpan.FromHours(3));
        unblock.DefaultDuration.ShouldBe(TimeSpan.FromMinutes(90));
        unblock.Requesters.ShouldBe([PortalRoles.Teacher, PortalRoles.ComputingLead]);
        good.Find("personal_device").ShouldBeNull();
        var visit = good.Find("visit_wifi")!;
        visit.Kind.ShouldBe(ApprovalKinds.GuestWifi);
        visit.Approvers.ShouldBe([PortalRoles.Head]);
        visit.MaxVouchers.ShouldBe(3);
        visit.Group.ShouldBe("visitors");
        good.Find("unrestricted")!.Notify.ShouldBe(["head"]);
    }
}
