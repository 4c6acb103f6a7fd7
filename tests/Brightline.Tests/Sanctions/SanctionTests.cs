using Brightline.ClientBindings;
using System.Net;
using System.Net.Sockets;
using Brightline.Access;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.DnsFiltering;
using Brightline.Dns.Wire;
using Brightline.WebFiltering;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policy.Model;
using Brightline.Sanctions;
using Brightline.Tests.Filtering;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Sanctions;

/// <summary>Sanctions enforced end to end: the access gate, the DNS filter over real UDP, sign-in, and the portal form.</summary>
public sealed class SanctionTests
{
    private static readonly IPAddress s_pupilLaptop = IPAddress.Parse("127.0.0.3");

    private static Task<DnsMessage> AskAsync(IPAddress from, IPEndPoint server, string name) => DnsTestClient.AskFromAsync(from, server, name);

    private static string? FirstA(DnsMessage m) => DnsTestClient.FirstA(m);

    private static async Task<T> WithAsync<T>(BrightlineServer server, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider);
    }

    private static Task<Sanction> ImposeAsync(BrightlineServer server, Person person, SanctionKind kind, DateTimeOffset? ends = null, params string[] categories) =>
        WithAsync(server, s => s.GetRequiredService<SanctionService>().ImposeAsync(
            new ImposeSanction(TestSchool.Id, person.Id, kind, "Deliberately searched for unsuitable material", ends, categories, "h.marsh@school.test"), CancellationToken.None));

    private static Task<Sanction> LiftAsync(BrightlineServer server, Sanction sanction) =>
        WithAsync(server, s => s.GetRequiredService<SanctionService>().LiftAsync(TestSchool.Id, sanction.Id, "Spoke with the pupil", "h.marsh@school.test", CancellationToken.None));

    private static Task<AccessDecision> GateAsync(BrightlineServer server, Person person) =>
        WithAsync(server, s => s.GetRequiredService<AccessGate>().EvaluateAsync(TestSchool.Id, person.Id, CancellationToken.None));

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sanctions_ReachGateDnsAndSignIn_AndAreAudited(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        upstream.AddA("allowed.school.test", "192.0.2.7", ttl: 300);
        upstream.AddA("mail.yahoo.com", "192.0.2.8", ttl: 300);
        await using var server = await BrightlineServer.StartAsync(provider, settings: DnsTestSettings.For(upstream));
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
        await server.Services.GetRequiredService<FilterService>().RefreshAsync(CancellationToken.None);
        var dns = server.Services.GetRequiredService<DnsHost>().EndPoints.First(e => e.AddressFamily == AddressFamily.InterNetwork);

        // Noah (Year 1) with his KS1 agreement signed by his mother: internet allowed, bound to his laptop.
        var noah = await TestSchool.PersonAsync(server, "A002");
        var motherId = await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().ParentLinks.Where(l => l.ChildId == noah.Id).Select(l => l.ParentId).FirstAsync());
        var mother = (await TestSchool.PeopleAsync(server)).Single(p => p.Id == motherId);
        await SignAsync(server, noah, mother, "ks1-pupil");
        server.Services.GetRequiredService<DnsClientBindings>().Bind(s_pupilLaptop, TestSchool.Id, noah.Id, server.Clock.GetUtcNow().AddMinutes(480));
        FirstA(await AskAsync(s_pupilLaptop, dns, "allowed.school.test")).ShouldBe("192.0.2.7");

        // Withdraw internet: the very next query gets the portal, and the gate says who, when and why (C13).
        var withdrawn = await ImposeAsync(server, noah, SanctionKind.WithdrawInternet);
        FirstA(await AskAsync(s_pupilLaptop, dns, "allowed.school.test")).ShouldBe("10.0.0.10");
        var gate = await GateAsync(server, noah);
        gate.IsAllowed(AccessKind.Internet).ShouldBeFalse();
        gate.IsAllowed(AccessKind.Login).ShouldBeTrue();
        gate.Items.Single(i => i.Access == AccessKind.Internet).Reasons.Single().Message
            .ShouldStartWith("Internet withdrawn by h.marsh@school.test on ", Case.Sensitive);

        // Lift: after the gate's short cache the name is forwarded again.
        await LiftAsync(server, withdrawn);
        server.Clock.Advance(TimeSpan.FromSeconds(11));
        FirstA(await AskAsync(s_pupilLaptop, dns, "allowed.school.test")).ShouldBe("192.0.2.7");

        // A sanction with an end stops by itself.
        await ImposeAsync(server, noah, SanctionKind.WithdrawInternet, server.Clock.GetUtcNow().AddHours(1));
        FirstA(await AskAsync(s_pupilLaptop, dns, "allowed.school.test")).ShouldBe("10.0.0.10");
        server.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(11));
        FirstA(await AskAsync(s_pupilLaptop, dns, "allowed.school.test")).ShouldBe("192.0.2.7");
        (await GateAsync(server, noah)).IsAllowed(AccessKind.Internet).ShouldBeTrue();

        // Restrict categories: webmail (allowed by the KS1 profile) blocked for him alone; other names still forwarded.
        FirstA(await AskAsync(s_pupilLaptop, dns, "mail.yahoo.com")).ShouldBe("192.0.2.8");
        var restrict = await ImposeAsync(server, noah, SanctionKind.RestrictCategories, null, "webmail");
        var restrictedGate = await GateAsync(server, noah);
        restrictedGate.RestrictedCategories.ShouldBe(["webmail"]);
        restrictedGate.IsAllowed(AccessKind.Internet).ShouldBeTrue();
        FirstA(await AskAsync(s_pupilLaptop, dns, "mail.yahoo.com")).ShouldBe("10.0.0.10");
        FirstA(await AskAsync(s_pupilLaptop, dns, "allowed.school.test")).ShouldBe("192.0.2.7");
        await LiftAsync(server, restrict);
        server.Clock.Advance(TimeSpan.FromSeconds(11));
        FirstA(await AskAsync(s_pupilLaptop, dns, "mail.yahoo.com")).ShouldBe("192.0.2.8");

        // Suspend the account: gate refuses all three, DNS gives the portal, sign-in is refused (F14).
        var account = await CreateUserAsync(server, "noah.jones@school.test", "pupil", noah.Id);
        var suspended = await ImposeAsync(server, noah, SanctionKind.SuspendAccount);
        var all = await GateAsync(server, noah);
        Enum.GetValues<AccessKind>().ShouldAllBe(k => !all.IsAllowed(k));
        FirstA(await AskAsync(s_pupilLaptop, dns, "allowed.school.test")).ShouldBe("10.0.0.10");
        var client = server.CreateClient();
        (await LoginAsync(client, "noah.jones@school.test")).ShouldRedirectTo("/account/suspended");
        (await client.GetAsync("/")).StatusCode.ShouldNotBe(HttpStatusCode.OK);
        await LiftAsync(server, suspended);

        // A meeting with parents is required: lifting is refused until it is recorded.
        var meeting = await ImposeAsync(server, noah, SanctionKind.ParentMeetingRequired);
        (await GateAsync(server, noah)).IsAllowed(AccessKind.Internet).ShouldBeFalse();
        (await Should.ThrowAsync<DomainException>(() => LiftAsync(server, meeting))).Message.ShouldContain("meeting");
        await Should.ThrowAsync<DomainException>(() => ImposeAsync(server, noah, SanctionKind.ParentMeetingRequired, server.Clock.GetUtcNow().AddDays(1)));
        await WithAsync(server, s => s.GetRequiredService<SanctionService>().RecordMeetingAsync(TestSchool.Id, meeting.Id, "Met Mrs Jones on 25/11", "h.marsh@school.test", CancellationToken.None));
        await LiftAsync(server, meeting);
        (await GateAsync(server, noah)).IsAllowed(AccessKind.Internet).ShouldBeTrue();

        // Validation: a reason is required.
        await Should.ThrowAsync<DomainException>(() => WithAsync(server, s => s.GetRequiredService<SanctionService>().ImposeAsync(
            new ImposeSanction(TestSchool.Id, noah.Id, SanctionKind.WithdrawInternet, "  ", null, [], "x"), CancellationToken.None)));

        // Nothing deleted; every change audited.
        var rows = await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().Set<Sanction>().AsNoTracking().ToListAsync());
        rows.Count.ShouldBe(5);
        var audit = await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().AuditEntries.AsNoTracking().ToListAsync());
        audit.Count(a => a.Action == SanctionAuditActions.Impose).ShouldBe(5);
        audit.Count(a => a.Action == SanctionAuditActions.Lift).ShouldBe(4);
        audit.Count(a => a.Action == SanctionAuditActions.Meeting).ShouldBe(1);
        audit.ShouldContain(a => a.Action == AuditActions.SignInFailed && a.Detail == "suspended");
        account.Id.ShouldNotBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ImposeForm_TeacherForbidden_HeadConfirmsThenImposes(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        var amelia = await TestSchool.PersonAsync(server, "A001");

        await CreateUserAsync(server, "teacher@school.test", "teacher");
        var teacher = server.CreateClient();
        (await LoginAsync(teacher, "teacher@school.test")).ShouldRedirectTo("/");
        (await teacher.GetAsync($"/sanctions/impose?person={amelia.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var head = await SignInWithTwoFactorAsync(server, "head@school.test", "head");
        var (response, page) = await GetAsync(head, $"/sanctions/impose?person={amelia.Id}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var fields = new Dictionary<string, string> { ["Kind"] = "withdraw_internet", ["Reason"] = "Shared another pupil's password", ["EndsAt"] = "" };
        var review = await SubmitAsync(head, page, $"/sanctions/impose?person={amelia.Id}&handler=Review", fields);
        var reviewHtml = await review.Content.ReadAsStringAsync();
        reviewHtml.ShouldContain("Confirm and impose");
        var reviewDoc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(reviewHtml);
        (await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().Set<Sanction>().CountAsync())).ShouldBe(0, "nothing happens before confirmation");
        var confirmed = await SubmitAsync(head, reviewDoc, $"/sanctions/impose?person={amelia.Id}&handler=Confirm", new Dictionary<string, string>());
        confirmed.ShouldRedirectTo($"/people/{amelia.Id}");
        var (_, person) = await GetAsync(head, $"/people/{amelia.Id}");
        person.QuerySelector("#sanctions").ShouldNotBeNull();
        person.Body!.TextContent.ShouldContain("Shared another pupil's password");

        var (_, teacherView) = await GetAsync(teacher, $"/people/{amelia.Id}");
        teacherView.QuerySelector("#sanctions").ShouldBeNull();

        // Lift from the sanction's page, with a reason; the teacher cannot open it.
        var sanction = await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().Set<Sanction>().AsNoTracking().SingleAsync());
        (await teacher.GetAsync($"/sanctions/{sanction.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var (_, liftPage) = await GetAsync(head, $"/sanctions/{sanction.Id}");
        (await SubmitAsync(head, liftPage, $"/sanctions/{sanction.Id}?handler=Lift", new Dictionary<string, string> { ["reason"] = "" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK, "a reason is required");
        (await SubmitAsync(head, liftPage, $"/sanctions/{sanction.Id}?handler=Lift", new Dictionary<string, string> { ["reason"] = "Apologised" }))
            .ShouldRedirectTo($"/sanctions/{sanction.Id}");
        var lifted = await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().Set<Sanction>().AsNoTracking().SingleAsync());
        lifted.LiftReason.ShouldBe("Apologised");
        lifted.LiftedBy.ShouldBe("head@school.test");
    }
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sanctions_OnlyThoseThePolicyProvidesFor_AreOfferedAndAccepted(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        // Like Westfield (F14): the only sanction the policy provides for is suspending the account.
        var yaml = TestSchool.ExampleYaml.Replace(
            "sanctions: [withdraw_internet, restrict_categories, suspend_account, parent_meeting_required]", "sanctions: [suspend_account]", StringComparison.Ordinal);
        yaml.ShouldNotBe(TestSchool.ExampleYaml);
        await TestSchool.LoadPolicyAsync(server, yaml);
        await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
        var noah = await TestSchool.PersonAsync(server, "A002");

        var refused = await Should.ThrowAsync<DomainException>(() => ImposeAsync(server, noah, SanctionKind.WithdrawInternet));
        refused.Message.ShouldBe("The school's policy does not provide for 'Internet withdrawn'. It provides for: Account suspended.");
        (await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().Set<Sanction>().CountAsync())).ShouldBe(0);

        await ImposeAsync(server, noah, SanctionKind.SuspendAccount);
        var audit = await WithAsync(server, s => s.GetRequiredService<BrightlineDbContext>().AuditEntries
            .Where(e => e.Action == SanctionAuditActions.Impose).Select(e => e.Detail).SingleAsync());
        audit.ShouldNotBeNull().ShouldContain("under rule sanctions");

        using var head = await SignInWithTwoFactorAsync(server, "head@school.test", Brightline.Portal.PortalRoles.Head);
        var (_, page) = await GetAsync(head, $"/sanctions/impose?person={noah.Id}");
        page.QuerySelectorAll("input[name=Kind]").Select(i => i.GetAttribute("value")).ShouldBe(["suspend_account"]);
    }
}
