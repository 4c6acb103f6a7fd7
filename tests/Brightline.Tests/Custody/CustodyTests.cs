using System.Net;
using Brightline.Custody;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Custody;

/// <summary>The chain of custody (issue 5 §4, H14) through the portal's forms: every step signed by its receiver, nothing edited.</summary>
public sealed class CustodyTests
{
    private static async Task<T> WithDbAsync<T>(BrightlineServer server, Func<BrightlineDbContext, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }

    private static Task<List<CustodyStep>> StepsAsync(BrightlineServer server) =>
        WithDbAsync(server, db => db.Set<CustodyStep>().AsNoTracking().OrderBy(s => s.Id).ToListAsync());

    private static Task<int> AuditCountAsync(BrightlineServer server, string action) =>
        WithDbAsync(server, db => db.AuditEntries.CountAsync(e => e.Action == action));

    /// <summary>The owner is found from what the member of staff types: an admission number or a full name; a name nobody has is refused with nothing stored.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Custody_OwnerTypedByNumberOrName_IsFound_UnknownNameIsRefused(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        await CreateUserAsync(server, "teacher@school.test", "teacher");
        var teacher = server.CreateClient();
        (await LoginAsync(teacher, "teacher@school.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (_, page) = await GetAsync(teacher, "/custody/new");
        page.QuerySelector("label[for=OwnerText]").ShouldNotBeNull();
        var fields = new Dictionary<string, string>
        {
            ["Origin"] = "seized",
            ["Description"] = "Red tablet",
            ["Reason"] = "Used to film another pupil",
            ["OwnerText"] = "Nobody Like This",
            ["Password"] = Password,
        };
        var unknown = await SubmitAsync(teacher, page, "/custody/new", fields);
        unknown.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await unknown.Content.ReadAsStringAsync()).ShouldContain("Nobody at the school has the name or number");
        (await WithDbAsync(server, db => db.Set<CustodyItem>().CountAsync())).ShouldBe(0);

        fields["OwnerText"] = $" {amelia.ExternalId.ToLowerInvariant()} ";
        (await SubmitAsync(teacher, page, "/custody/new", fields)).ShouldRedirectTo("/custody/");
        fields["OwnerText"] = amelia.FullName.ToUpperInvariant();
        (await SubmitAsync(teacher, page, "/custody/new", fields)).ShouldRedirectTo("/custody/");
        (await WithDbAsync(server, db => db.Set<CustodyItem>().AsNoTracking().Select(i => i.OwnerPersonId).ToListAsync()))
            .ShouldBe([amelia.Id, amelia.Id]);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Custody_EachStepSignedByReceiver_WrongPasswordRefused_NothingEditedInPlace(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);

        // A teacher takes a phone (H14: suspected of being used to bully); the DSL receives it.
        await CreateUserAsync(server, "teacher@school.test", "teacher");
        var teacher = server.CreateClient();
        (await LoginAsync(teacher, "teacher@school.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var dsl = await SignInWithTwoFactorAsync(server, "dsl@school.test", "dsl");

        var (response, page) = await GetAsync(teacher, "/custody/new");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var fields = new Dictionary<string, string>
        {
            ["Origin"] = "seized",
            ["Description"] = "Black iPhone in a blue case",
            ["SerialOrTag"] = "F2LX81234",
            ["Reason"] = "H14: suspected of being used to send unkind messages at lunchtime",
            ["Password"] = "not my password",
        };
        var refused = await SubmitAsync(teacher, page, "/custody/new", fields);
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("The password is not right");
        (await WithDbAsync(server, db => db.Set<CustodyItem>().CountAsync())).ShouldBe(0, "a refused signature records nothing");
        (await AuditCountAsync(server, CustodyService.AuditSignatureRefused)).ShouldBe(1);

        fields["Password"] = Password;
        var recorded = await SubmitAsync(teacher, page, "/custody/new", fields);
        recorded.ShouldRedirectTo("/custody/");
        var detail = recorded.Headers.Location!.ToString();
        var item = await WithDbAsync(server, db => db.Set<CustodyItem>().AsNoTracking().SingleAsync());
        item.TakenBy.ShouldBe("teacher@school.test");
        var first = (await StepsAsync(server)).ShouldHaveSingleItem();
        first.Kind.ShouldBe(CustodyStepKind.Taken);
        first.Signature.ShouldBe(CustodySignature.Password);

        // Hand-over to the DSL at the teacher's screen: the DSL's wrong password is refused and nothing is added.
        (response, page) = await GetAsync(teacher, detail);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var handover = new Dictionary<string, string> { ["Kind"] = "handover", ["ReceiverEmail"] = "dsl@school.test", ["ReceiverPassword"] = "guess" };
        var wrong = await SubmitAsync(teacher, page, detail, handover);
        wrong.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain("The password is not right");
        (await StepsAsync(server)).Count.ShouldBe(1);

        handover["ReceiverPassword"] = Password;
        (await SubmitAsync(teacher, page, detail, handover)).ShouldRedirectTo(detail);
        var dslUser = await WithDbAsync(server, db => db.Users.SingleAsync(u => u.Email == "dsl@school.test"));
        var received = (await StepsAsync(server))[1];
        received.Kind.ShouldBe(CustodyStepKind.Handover);
        received.ReceiverUserId.ShouldBe(dslUser.Id);
        received.ReceiverRole.ShouldBe("dsl");
        received.RecordedBy.ShouldBe("teacher@school.test");

        // The DSL stores it, then hands it to the police: the officer types their name, the DSL witnesses.
        (response, page) = await GetAsync(dsl, detail);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SubmitAsync(dsl, page, detail, new Dictionary<string, string> { ["Kind"] = "stored", ["StoragePlace"] = "DSL's locked cabinet", ["ReceiverEmail"] = "dsl@school.test", ["ReceiverPassword"] = Password }))
            .ShouldRedirectTo(detail);
        (response, page) = await GetAsync(dsl, detail);
        var noWitness = await SubmitAsync(dsl, page, detail, new Dictionary<string, string>
        {
            ["Kind"] = "external", ["ExternalName"] = "PC Sam Taylor", ["ExternalBody"] = "Hertfordshire Constabulary", ["WitnessPassword"] = "wrong",
        });
        noWitness.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await StepsAsync(server)).Count.ShouldBe(3);
        (await SubmitAsync(dsl, page, detail, new Dictionary<string, string>
        {
            ["Kind"] = "external", ["ExternalName"] = "PC Sam Taylor", ["ExternalRole"] = "Police constable",
            ["ExternalBody"] = "Hertfordshire Constabulary", ["ExternalReference"] = "41/26/1234", ["WitnessPassword"] = Password,
        })).ShouldRedirectTo(detail);
        var police = (await StepsAsync(server))[3];
        police.Signature.ShouldBe(CustodySignature.TypedName);
        police.ReceiverName.ShouldBe("PC Sam Taylor");
        police.ReceiverUserId.ShouldBeNull();
        police.WitnessedBy.ShouldBe("dsl@school.test");
        police.ExternalReference.ShouldBe("41/26/1234");

        // Returned to the parent: the chain closes and refuses any further step.
        (response, page) = await GetAsync(dsl, detail);
        (await SubmitAsync(dsl, page, detail, new Dictionary<string, string> { ["Kind"] = "returned", ["ExternalName"] = "Sarah Jones", ["WitnessPassword"] = Password }))
            .ShouldRedirectTo(detail);
        (response, page) = await GetAsync(dsl, detail);
        var text = page.Body!.TextContent;
        text.ShouldContain("PC Sam Taylor");
        text.ShouldContain("DSL's locked cabinet");
        page.QuerySelector("#add-step").ShouldBeNull("a closed chain offers no further step");
        await Should.ThrowAsync<DomainException>(async () =>
        {
            await using var scope = server.CreateScope();
            await scope.ServiceProvider.GetRequiredService<CustodyService>().AddStepAsync(
                new CustodyActor(TestSchool.Id, dslUser.Id, "dsl@school.test"), item.Id,
                new NewCustodyStep("handover", "dsl@school.test", Password, null, null, null, null, null, null, null), CancellationToken.None);
        });

        // Nothing was edited in place: the item and the first steps are exactly as first written.
        var after = await WithDbAsync(server, db => db.Set<CustodyItem>().AsNoTracking().SingleAsync());
        after.ShouldBeEquivalentTo(item);
        var steps = await StepsAsync(server);
        steps.Select(s => s.Kind.Key()).ShouldBe(["taken", "handover", "stored", "external", "returned"]);
        steps[0].ShouldBeEquivalentTo(first);
        steps[1].ShouldBeEquivalentTo(received);
        (await AuditCountAsync(server, CustodyService.AuditRecorded)).ShouldBe(1);
        (await AuditCountAsync(server, CustodyService.AuditStep)).ShouldBe(4);
        (await AuditCountAsync(server, CustodyService.AuditSignatureRefused)).ShouldBe(3);

        // The register lists it for the DSL (filtered to returned) and the teacher who took it; another teacher cannot open it.
        (response, page) = await GetAsync(dsl, "/custody?status=returned");
        page.QuerySelectorAll("#custody tbody tr").Length.ShouldBe(1);
        (response, page) = await GetAsync(dsl, "/custody?status=held");
        page.QuerySelector("#custody").ShouldBeNull();
        (response, page) = await GetAsync(teacher, "/custody");
        page.QuerySelectorAll("#custody tbody tr").Length.ShouldBe(1);
        await CreateUserAsync(server, "other@school.test", "teacher");
        var other = server.CreateClient();
        await LoginAsync(other, "other@school.test");
        (await other.GetAsync(detail)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (response, page) = await GetAsync(other, "/custody");
        page.QuerySelector("#custody").ShouldBeNull();
    }
}
