using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policy;
using Brightline.Sanctions;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.LostProperty;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Sanctions;

/// <summary>
/// Issue 15 part 6 on St Clement's own policy (C13: "removal of internet access rights …, meetings with parents"):
/// a sanction kind's usual length pre-filled, its longest length enforced, the letter to parents emailed through the
/// outbox for the kind the policy tells parents about, never for the others, and a child with no parent to email
/// recorded and shown as "nothing sent". Both databases; the fake clock reads 25/11/2026 10:00, in the Autumn 2026
/// term (02/09–18/12/2026 in the seed's placeholder calendar).
/// </summary>
public sealed class SanctionLettersTests
{
    private const string School = "st-clements";

    // The seed gives no lengths (policies/st-clements.yaml says UNKNOWN), so this test adds one for withdraw_internet to
    // the school's own file; everything else (the letter, parents told of a meeting) is the file as written.
    private const string SeedKindLine = "    - kind: parent_meeting_required      # C13 \"meetings with parents\": the parents must be told to arrange it";

    private static string StClementsYaml(bool withLengths)
    {
        var yaml = File.ReadAllText(RepoPaths.Policy("st-clements.yaml"));
        if (!withLengths)
        {
            return yaml;
        }

        var changed = yaml.Replace(SeedKindLine, "    - kind: withdraw_internet\n      default_length: 2 weeks\n      max_length: 1 term\n" + SeedKindLine, StringComparison.Ordinal);
        changed.ShouldNotBe(yaml);
        return changed;
    }

    // Amelia's parents both have email addresses; Ben's father has none; Ava has no parent at all.
    private const string PupilsCsv = """
        Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship,Contact 2 Name,Contact 2 Email,Contact 2 Relationship
        A001,K801200100001,Amelia,Jones,Year 3,3 Oak,01/09/2023,Sarah Jones,sarah.jones@parents.test,Mother,David Jones,david.jones@parents.test,Father
        A005,,Ben,Hall,Year 4,4 Ash,01/09/2022,Tom Hall,,Father,,,
        A006,,Ava,Reed,Year 2,2 Ash,01/09/2024,,,,,,
        """;

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider, bool withLengths)
    {
        var server = await BrightlineServer.StartAsync(provider);
        try
        {
            await TestSchool.LoadPolicyAsync(server, StClementsYaml(withLengths));
            await TestSchool.ImportAsync(server, ImportKind.Pupils, PupilsCsv, schoolId: School);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task<T> WithDbAsync<T>(BrightlineServer server, Func<BrightlineDbContext, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }

    private static Task<Sanction> ImposeAsync(BrightlineServer server, Person child, SanctionKind kind, DateTimeOffset? ends = null) =>
        WithServiceAsync<SanctionService, Sanction>(server, s => s.ImposeAsync(
            new ImposeSanction(School, child.Id, kind, "Searched for unsuitable material", ends, [], "head@stclements.test"), CancellationToken.None));

    private static async Task<TResult> WithServiceAsync<TService, TResult>(BrightlineServer server, Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C13_ImposeForm_PrefillsTheUsualLength_AndRefusesMoreThanTheMaximum(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider, withLengths: true);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var head = await SignInWithTwoFactorAsync(server, "head@stclements.test", "head", schoolId: School);

        // The form says the usual and longest lengths; "use the usual length" pre-fills 2 weeks from today.
        var (response, form) = await GetAsync(head, $"/sanctions/impose?person={amelia.Id}&kind=withdraw_internet");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        form.QuerySelector("input#EndsAt")!.GetAttribute("value").ShouldBe("09/12/2026 23:59");
        form.QuerySelector("#kind-withdraw_internet")!.HasAttribute("checked").ShouldBeTrue();
        form.QuerySelector("#use-withdraw_internet")!.TextContent.ShouldContain("Usually 2 weeks (to 09/12/2026); at most 1 term (to 18/12/2026).");

        // Beyond the end of this term: refused on the review step with the last allowed day.
        var tooLong = await SubmitAsync(head, form, $"/sanctions/impose?person={amelia.Id}&handler=Review",
            new Dictionary<string, string> { ["Kind"] = "withdraw_internet", ["Reason"] = "Shared a password", ["EndsAt"] = "04/01/2027 15:30" });
        tooLong.StatusCode.ShouldBe(HttpStatusCode.OK);
        var tooLongHtml = await tooLong.Content.ReadAsStringAsync();
        tooLongHtml.ShouldContain("limits &#x27;Internet withdrawn&#x27; to 1 term: the end must be on or before 18 December 2026 (18/12/2026)");
        tooLongHtml.ShouldNotContain("Confirm and impose");

        // No end at all is "longer than a term" too.
        var open = await SubmitAsync(head, form, $"/sanctions/impose?person={amelia.Id}&handler=Review",
            new Dictionary<string, string> { ["Kind"] = "withdraw_internet", ["Reason"] = "Shared a password", ["EndsAt"] = "" });
        (await open.Content.ReadAsStringAsync()).ShouldContain("give an end on or before 18 December 2026");

        // The service refuses it whoever calls it (the page is not the only way in).
        var refused = await Should.ThrowAsync<InvalidException>(() => ImposeAsync(server, amelia, SanctionKind.WithdrawInternet, server.Clock.GetUtcNow().AddDays(40)));
        refused.Message.ShouldContain("on or before 18 December 2026");
        (await WithDbAsync(server, db => db.Set<Sanction>().CountAsync())).ShouldBe(0);

        // The pre-filled length goes through: review, confirm, recorded with that end; parents are not told of this kind.
        var review = await SubmitAsync(head, form, $"/sanctions/impose?person={amelia.Id}&handler=Review",
            new Dictionary<string, string> { ["Kind"] = "withdraw_internet", ["Reason"] = "Shared a password", ["EndsAt"] = "09/12/2026 23:59" });
        var reviewDoc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await review.Content.ReadAsStringAsync());
        reviewDoc.Body!.TextContent.ShouldContain("Confirm and impose");
        (await SubmitAsync(head, reviewDoc, $"/sanctions/impose?person={amelia.Id}&handler=Confirm", new Dictionary<string, string>()))
            .ShouldRedirectTo($"/people/{amelia.Id}");
        var sanction = await WithDbAsync(server, db => db.Set<Sanction>().AsNoTracking().SingleAsync());
        SchoolClock.DateOf(sanction.EndsAt!.Value).ShouldBe(new DateOnly(2026, 12, 9));
        (await WithDbAsync(server, db => db.Set<SanctionLetter>().CountAsync())).ShouldBe(0, "St Clement's does not tell parents when internet access is removed");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C13_MeetingWithParents_EmailsTheLetterNamingSchoolAndChild_RecordedOnSanctionAndChildPage(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider, withLengths: false);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var head = await SignInWithTwoFactorAsync(server, "head@stclements.test", "head", schoolId: School);

        // Imposed through the form: the check page says parents are told; confirming goes to the sanction's letters.
        var (_, form) = await GetAsync(head, $"/sanctions/impose?person={amelia.Id}");
        var review = await SubmitAsync(head, form, $"/sanctions/impose?person={amelia.Id}&handler=Review",
            new Dictionary<string, string> { ["Kind"] = "parent_meeting_required", ["Reason"] = "Arranged to meet someone met online", ["EndsAt"] = "" });
        var reviewDoc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await review.Content.ReadAsStringAsync());
        reviewDoc.Body!.TextContent.ShouldContain("the letter to parents is emailed to Amelia's parents when you confirm");
        var confirmed = await SubmitAsync(head, reviewDoc, $"/sanctions/impose?person={amelia.Id}&handler=Confirm", new Dictionary<string, string>());
        var sanction = await WithDbAsync(server, db => db.Set<Sanction>().AsNoTracking().SingleAsync());
        confirmed.ShouldRedirectTo($"/sanctions/{sanction.Id}");

        // Each parent gets their own letter, from the policy's template: the school, the child, the sanction, its length.
        foreach (var (parent, address) in new[] { ("Sarah Jones", "sarah.jones@parents.test"), ("David Jones", "david.jones@parents.test") })
        {
            var mail = await LostStolenTests.WaitForMailAsync(server, m => m.Contains(address, StringComparison.Ordinal) && m.Contains("Dear " + parent, StringComparison.Ordinal));
            mail.ShouldContain("St Clement's C of E Primary School: Amelia's use of school computers");
            mail.ShouldContain("Amelia Jones has broken the school's Acceptable Use Policy");
            mail.ShouldContain("25/11/2026 the school has applied this sanction: Internet withdrawn until a meeting with parents, until we have met you.");
            mail.ShouldContain("The reason given: Arranged to meet someone met online");
        }

        var letter = await WithDbAsync(server, db => db.Set<SanctionLetter>().AsNoTracking().SingleAsync());
        letter.SanctionId.ShouldBe(sanction.Id);
        letter.Sent.ShouldBeTrue();
        letter.Automatic.ShouldBeTrue();
        letter.By.ShouldBe("head@stclements.test");
        letter.Recipients.ShouldBe("David Jones <david.jones@parents.test>; Sarah Jones <sarah.jones@parents.test>");
        (await WithDbAsync(server, db => db.EmailRecords.CountAsync(r => r.Purpose == ParentLetters.Purpose))).ShouldBe(2);
        (await WithDbAsync(server, db => db.AuditEntries.AsNoTracking().Where(a => a.Action == SanctionAuditActions.Letter).Select(a => a.Detail).SingleAsync()))
            .ShouldNotBeNull().ShouldContain("letter to parents sent to 2 parent(s) (automatic, as the policy says)");

        // Visible on the sanction and on the child's page.
        var (_, detail) = await GetAsync(head, $"/sanctions/{sanction.Id}");
        detail.QuerySelector("#letters + .table-scroll table")!.TextContent.ShouldContain("Sarah Jones <sarah.jones@parents.test>");
        var (_, person) = await GetAsync(head, $"/people/{amelia.Id}");
        person.QuerySelector("#sanctions")!.ParentElement!.TextContent.ShouldContain("Letter sent 25/11/2026 10:00 to David Jones <david.jones@parents.test>; Sarah Jones");

        // Sending it again from the sanction's page is a second, separate record.
        (await SubmitAsync(head, detail, $"/sanctions/{sanction.Id}?handler=Letter", new Dictionary<string, string>(), "form[action*=Letter]"))
            .ShouldRedirectTo($"/sanctions/{sanction.Id}");
        (await WithDbAsync(server, db => db.Set<SanctionLetter>().CountAsync())).ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C13_KindParentsAreNotToldAbout_SendsNoLetter_AndCannotBeSentByHand(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider, withLengths: false);
        var amelia = await TestSchool.PersonAsync(server, "A001");

        var suspended = await ImposeAsync(server, amelia, SanctionKind.SuspendAccount);
        (await WithDbAsync(server, db => db.Set<SanctionLetter>().CountAsync())).ShouldBe(0);
        (await WithDbAsync(server, db => db.EmailRecords.CountAsync(r => r.Purpose == ParentLetters.Purpose))).ShouldBe(0);
        var refused = await Should.ThrowAsync<InvalidException>(() => WithServiceAsync<ParentLetters, SanctionLetter>(server,
            l => l.SendAsync(School, suspended.Id, "head@stclements.test", CancellationToken.None)));
        refused.Message.ShouldBe("The school's policy does not tell parents about 'Account suspended', so no letter is sent.");

        var head = await SignInWithTwoFactorAsync(server, "head@stclements.test", "head", schoolId: School);
        var (_, detail) = await GetAsync(head, $"/sanctions/{suspended.Id}");
        detail.Body!.TextContent.ShouldContain("The school's policy does not tell parents about this sanction, so no letter is sent.");
        detail.QuerySelector("form[action*=Letter]").ShouldBeNull();
        server.Smtp.Messages().ShouldNotContain(m => m.Contains("parents.test", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C13_NoParentWithEmail_RecordsNothingSent_AndSaysSoOnScreen(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider, withLengths: false);
        var ben = await TestSchool.PersonAsync(server, "A005");
        var ava = await TestSchool.PersonAsync(server, "A006");

        var forBen = await ImposeAsync(server, ben, SanctionKind.ParentMeetingRequired);
        var forAva = await ImposeAsync(server, ava, SanctionKind.ParentMeetingRequired);

        var letters = await WithDbAsync(server, db => db.Set<SanctionLetter>().AsNoTracking().ToListAsync());
        letters.Count.ShouldBe(2, "a letter that cannot go is still recorded, never dropped");
        letters.ShouldAllBe(l => !l.Sent && l.Recipients == "");
        letters.Single(l => l.SanctionId == forBen.Id).Note.ShouldBe(
            "No parent of Ben Hall has an email address (Tom Hall), so nothing was sent. Tell the parents another way, and add their email with the next import.");
        letters.Single(l => l.SanctionId == forAva.Id).Note.ShouldBe(
            "Ava Reed has no linked parent, so nothing was sent. Tell the parents another way, and add them with the next import.");
        (await WithDbAsync(server, db => db.AuditEntries.CountAsync(a => a.Action == SanctionAuditActions.Letter && a.Detail!.Contains("nothing sent")))).ShouldBe(2);

        var head = await SignInWithTwoFactorAsync(server, "head@stclements.test", "head", schoolId: School);
        var (_, detail) = await GetAsync(head, $"/sanctions/{forBen.Id}");
        detail.QuerySelector(".banner.bad")!.TextContent.ShouldContain("No letter reached Ben's parents: No parent of Ben Hall has an email address (Tom Hall), so nothing was sent.");
        var (_, person) = await GetAsync(head, $"/people/{ava.Id}");
        person.QuerySelector("#sanctions")!.ParentElement!.TextContent.ShouldContain("No letter sent");
    }

    [Fact]
    public void C13_BadSanctionsSection_IsAnErrorWithItsPosition()
    {
        var yaml = StClementsYaml(withLengths: false)
            .Replace(SeedKindLine, "    - kind: withdraw_internet\n      default_length: 3 terms\n      max_length: fortnight\n" + SeedKindLine, StringComparison.Ordinal)
            .Replace("{child_first_name}'s use", "{chlid}'s use", StringComparison.Ordinal);
        var errors = PolicyLoader.Load(yaml, "st-clements.yaml").Errors.Select(e => e.ToString()).ToList();
        errors.ShouldContain(e => e.Contains("'max_length' of 'withdraw_internet': 'fortnight' is not a duration", StringComparison.Ordinal) && e.StartsWith("st-clements.yaml:", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("uses '{chlid}', which is not a placeholder", StringComparison.Ordinal));

        var noLetter = StClementsYaml(withLengths: false);
        noLetter = noLetter[..noLetter.IndexOf("  letter_to_parents:", StringComparison.Ordinal)];
        PolicyLoader.Load(noLetter, "st-clements.yaml").Errors.Select(e => e.ToString())
            .ShouldContain(e => e.Contains("'parent_meeting_required' tells parents (always) but the section has no 'letter_to_parents'", StringComparison.Ordinal));
    }
}
