using System.Net;
using Brightline.Approvals;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Filtering;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Portal;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Brightline.WebFiltering;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Approvals;

/// <summary>
/// Issue 15 part 5, "approvals that act", on the seed schools' own policy files: an approved exemption relaxes exactly
/// the category it names, for the person it names, until it ends, and the filter's trace and block page cite it
/// (O3 on omnicom-primary.yaml, W4 on wetherby.yaml). The clock is the server's FakeTimeProvider (25/11/2026 10:00, a
/// Wednesday in Omnicom's contact time, when its staff profile blocks social networking and games).
/// </summary>
public sealed class ExemptionFilterTests
{
    /// <summary>The test school's staff plus Tom Hughes, a class teacher.</summary>
    private const string Staff = TestSchool.StaffCsv + "\nS03,Tom,Hughes,t.hughes@school.test,Year 1 Teacher,1 Ash,Staff,,01/09/2020";

    private static readonly IPAddress s_laptop = IPAddress.Parse("127.0.0.9");

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider, string policyFile, string schoolId)
    {
        var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>(StringComparer.Ordinal) { ["Brightline:Approvals:Worker"] = "false" });
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy(policyFile)));
        await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv, schoolId: schoolId);
        await TestSchool.ImportAsync(server, ImportKind.Staff, Staff, schoolId: schoolId);
        await server.Services.GetRequiredService<FilterService>().RefreshAsync(CancellationToken.None);
        return server;
    }

    private static async Task<T> WithAsync<T>(BrightlineServer server, Func<ApprovalService, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<ApprovalService>());
    }

    /// <summary>What the filter decides for <paramref name="person"/> now, with the trace the "test a URL as …" page shows.</summary>
    private static async Task<FilterDecision> DecideAsync(BrightlineServer server, string schoolId, Person person, string host)
    {
        await using var scope = server.CreateScope();
        var filter = await scope.ServiceProvider.GetRequiredService<FilterService>().GetAsync(schoolId, CancellationToken.None);
        var now = server.Clock.GetUtcNow();
        var subject = await FilterTester.ForPersonAsync(filter, person, scope.ServiceProvider.GetRequiredService<IFilterExemptions>(), now, CancellationToken.None);
        return FilterTester.Test(filter, host, subject, now).Decision;
    }

    /// <summary>The block page's explanation for <paramref name="person"/> signed in (the "why was this blocked/allowed" view).</summary>
    private static async Task<BlockExplanation> BlockPageAsync(BrightlineServer server, string schoolId, Person person, string host)
    {
        await using var scope = server.CreateScope();
        var requests = scope.ServiceProvider.GetRequiredService<FilterRequestService>();
        var client = (await requests.ClientAsync(s_laptop, schoolId, person.Id, CancellationToken.None)).ShouldNotBeNull();
        return requests.Explain(client.School, client.Profiles, host, exemptions: client.Exemptions);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task O3_OmnicomHeadApprovesExemption_RelaxesExactlyThatCategory_ForThatPerson_UntilItEnds(DatabaseProvider provider)
    {
        const string school = "omnicom-primary";
        await using var server = await StartAsync(provider, "omnicom-primary.yaml", school);
        var tom = await TestSchool.PersonAsync(server, "S03");
        var priya = await TestSchool.PersonAsync(server, "S01");
        var helen = await TestSchool.PersonAsync(server, "S02");
        var teacher = new ApprovalActor("t.hughes@school.test", tom.Id, [PortalRoles.Teacher]);
        var head = new ApprovalActor("h.marsh@school.test", helen.Id, [PortalRoles.Head]);

        // O7: in contact time social networking is blocked for staff.
        (await DecideAsync(server, school, tom, "facebook.com")).IsBlocked.ShouldBeTrue();

        // O3: never an illegal category, never an unknown one; the written agreement is signed when asking.
        (await Should.ThrowAsync<DomainException>(() => WithAsync(server, s => s.RequestAsync(school,
            new NewApproval("exemption", "Why", Category: "child-abuse", AgreementAccepted: true, AgreementSignedName: "Tom Hughes"), teacher, CancellationToken.None))))
            .Message.ShouldContain("illegal");
        await Should.ThrowAsync<DomainException>(() => WithAsync(server, s => s.RequestAsync(school,
            new NewApproval("exemption", "Why", Category: "socal-networking", AgreementAccepted: true, AgreementSignedName: "Tom Hughes"), teacher, CancellationToken.None)));
        var request = await WithAsync(server, s => s.RequestAsync(school,
            new NewApproval("exemption", "Runs the school's social media accounts", RuleId: "O7-personal-use", Category: "social-networking",
                DurationMinutes: 7 * 24 * 60, AgreementAccepted: true, AgreementSignedName: "Tom Hughes"), teacher, CancellationToken.None));
        (await DecideAsync(server, school, tom, "facebook.com")).IsBlocked.ShouldBeTrue("nothing acts before the head decides");

        // Only the head decides (O3: "at the headteacher's discretion").
        await Should.ThrowAsync<ForbiddenException>(() => WithAsync(server, s => s.ApproveAsync(school, request.Id, null,
            new ApprovalActor("priya.patel@school.test", priya.Id, [PortalRoles.ComputingLead]), CancellationToken.None)));
        await WithAsync(server, s => s.ApproveAsync(school, request.Id, "Agreed after our discussion", head, CancellationToken.None));

        // Tom: the named category is allowed, and the trace cites the approval — type, who approved, until when (UK date).
        var allowed = await DecideAsync(server, school, tom, "facebook.com");
        allowed.IsBlocked.ShouldBeFalse();
        allowed.Exemption.ShouldNotBeNull();
        allowed.Exemption.ShouldContain("Exemption from a rule");
        allowed.Exemption.ShouldContain("approved by Helen Marsh");
        allowed.Exemption.ShouldContain("until 02/12/2026");
        allowed.Summary.ShouldContain("approved exemption");
        allowed.Trace.ShouldContain(t => t.Message.Contains("relaxed by an approved exemption", StringComparison.Ordinal) && t.Message.Contains("Helen Marsh", StringComparison.Ordinal));
        var page = await BlockPageAsync(server, school, tom, "facebook.com");
        page.Blocked.ShouldBeFalse();
        page.Exemption.ShouldNotBeNull().ShouldContain("approved by Helen Marsh");

        // Exactly that category, for exactly that person: games (also blocked in contact time) and P2P stay blocked for Tom;
        // another member of staff is still blocked from social networking.
        (await DecideAsync(server, school, tom, "roblox.com")).IsBlocked.ShouldBeTrue();
        (await DecideAsync(server, school, tom, "bittorrent.com")).IsBlocked.ShouldBeTrue();
        (await DecideAsync(server, school, priya, "facebook.com")).IsBlocked.ShouldBeTrue();
        (await BlockPageAsync(server, school, priya, "facebook.com")).Blocked.ShouldBeTrue();

        // After it ends (a week later, again in contact time) the block is back, before any sweep records the end.
        server.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var after = await DecideAsync(server, school, tom, "facebook.com");
        after.IsBlocked.ShouldBeTrue();
        after.Exemption.ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task W4_WetherbyP2PException_ApprovedByTheIctCoordinatorAlone_RelaxesOnlyP2P_ForThatPupil(DatabaseProvider provider)
    {
        const string school = "wetherby";
        await using var server = await StartAsync(provider, "wetherby.yaml", school);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var leo = await TestSchool.PersonAsync(server, "A004");
        var tom = await TestSchool.PersonAsync(server, "S03");
        var priya = await TestSchool.PersonAsync(server, "S01");
        var helen = await TestSchool.PersonAsync(server, "S02");
        var teacher = new ApprovalActor("t.hughes@school.test", tom.Id, [PortalRoles.Teacher]);
        var ictCoordinator = new ApprovalActor("priya.patel@school.test", priya.Id, [PortalRoles.ComputingLead]);
        var head = new ApprovalActor("h.marsh@school.test", helen.Id, [PortalRoles.Head]);

        (await DecideAsync(server, school, amelia, "bittorrent.com")).IsBlocked.ShouldBeTrue("W4: no P2P unless the ICT Coordinator authorises it");

        // Wetherby has no general exemption (the seed grants none), and the P2P type relaxes P2P only.
        await Should.ThrowAsync<DomainException>(() => WithAsync(server, s => s.RequestAsync(school,
            new NewApproval("exemption", "Why", Category: "peer-to-peer"), teacher, CancellationToken.None)));
        (await Should.ThrowAsync<DomainException>(() => WithAsync(server, s => s.RequestAsync(school,
            new NewApproval("p2p_exception", "Why", SubjectPersonId: amelia.Id, Category: "games"), teacher, CancellationToken.None)))).Message.ShouldContain("peer-to-peer");

        // The category need not be named: the type relaxes exactly one thing.
        var request = await WithAsync(server, s => s.RequestAsync(school,
            new NewApproval("p2p_exception", "Distributing the class's own recordings over a torrent for the music project", SubjectPersonId: amelia.Id), teacher, CancellationToken.None));
        request.Category.ShouldBe("peer-to-peer");
        request.SubjectPersonId.ShouldBe(amelia.Id);

        // The ICT Coordinator approves; nobody else can — not the head, not the teacher who asked.
        await Should.ThrowAsync<ForbiddenException>(() => WithAsync(server, s => s.ApproveAsync(school, request.Id, null, head, CancellationToken.None)));
        await Should.ThrowAsync<ForbiddenException>(() => WithAsync(server, s => s.ApproveAsync(school, request.Id, null, teacher, CancellationToken.None)));
        await WithAsync(server, s => s.ApproveAsync(school, request.Id, null, ictCoordinator, CancellationToken.None));

        var allowed = await DecideAsync(server, school, amelia, "bittorrent.com");
        allowed.IsBlocked.ShouldBeFalse();
        allowed.Exemption.ShouldNotBeNull().ShouldContain("P2P authorisation (ICT Coordinator)");
        allowed.Exemption.ShouldContain("approved by Priya Patel");
        allowed.Exemption.ShouldContain("until 02/12/2026"); // the type's default: 7 days
        (await DecideAsync(server, school, amelia, "roblox.com")).IsBlocked.ShouldBeTrue("games are another category");
        (await DecideAsync(server, school, amelia, "iwf-test.brightline.invalid")).IsBlocked.ShouldBeTrue();
        (await DecideAsync(server, school, leo, "bittorrent.com")).IsBlocked.ShouldBeTrue("another pupil");

        server.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        (await DecideAsync(server, school, amelia, "bittorrent.com")).IsBlocked.ShouldBeTrue("the authorisation has ended");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Wetherby_Years1And2_GetTheYoungChildrensBlockPage_OlderPupilsTheJuniorOne(DatabaseProvider provider)
    {
        // Issue 15 part 9: Wetherby's "Pupils (Years 1–6)" group is Key Stage 2 by phase, but Year 1 and 2 are Key Stage 1.
        const string school = "wetherby";
        await using var server = await StartAsync(provider, "wetherby.yaml", school);
        await using var scope = server.CreateScope();
        var requests = scope.ServiceProvider.GetRequiredService<FilterRequestService>();
        var noah = await TestSchool.PersonAsync(server, "A002");   // Year 1
        var amelia = await TestSchool.PersonAsync(server, "A001"); // Year 3
        var isla = await TestSchool.PersonAsync(server, "A003");   // Reception (EYFS)
        var priya = await TestSchool.PersonAsync(server, "S01");
        (await requests.ClientAsync(s_laptop, school, noah.Id, CancellationToken.None)).ShouldNotBeNull().Audience.ShouldBe(BlockAudience.Young);
        (await requests.ClientAsync(s_laptop, school, isla.Id, CancellationToken.None)).ShouldNotBeNull().Audience.ShouldBe(BlockAudience.Young);
        (await requests.ClientAsync(s_laptop, school, amelia.Id, CancellationToken.None)).ShouldNotBeNull().Audience.ShouldBe(BlockAudience.Junior);
        (await requests.ClientAsync(s_laptop, school, priya.Id, CancellationToken.None)).ShouldNotBeNull().Audience.ShouldBe(BlockAudience.Adult);
    }
}
