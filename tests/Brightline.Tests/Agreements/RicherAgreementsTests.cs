using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Agreements;

/// <summary>
/// Issue 15 part 4 and two agreement lines of part 9, on the seed schools' own policy files: groups defined by an
/// imported column, a parent signing on behalf of a Wetherby EYFS child (W6), questions answered when signing and
/// exported, Omnicom's contractors signing the staff agreement and its parent form naming the child (O1, O13).
/// </summary>
public sealed class RicherAgreementsTests
{
    private const string Wetherby = "wetherby";
    private const string Omnicom = "omnicom-primary";

    private static string Seed(string file) => File.ReadAllText(RepoPaths.Policy(file));

    /// <summary>Wetherby's file with a house column mapped, a Red house group and an agreement for it.</summary>
    private static string WetherbyWithHouses() => Seed("wetherby.yaml")
        .Replace("\nrules:\n", "\nattributes:\n  - { id: house, column: [House, House Name], values: [Red, Blue] }\n\nrules:\n", StringComparison.Ordinal)
        .Replace("  - { id: volunteers, name: Volunteers, kind: volunteer }\n",
            "  - { id: volunteers, name: Volunteers, kind: volunteer }\n  - { id: red_house, name: Red house, kind: pupil, where: { house: Red } }\n", StringComparison.Ordinal)
        .Replace("    requirements: [W6]\n",
            "    requirements: [W6]\n  - id: red-house\n    title: Red house laptops\n    audience: [red_house]\n    signers: self\n    affirmation: I will look after the Red house laptops.\n",
            StringComparison.Ordinal);

    /// <summary>Omnicom's file with two questions on the parent agreement: one required yes/no, one optional text.</summary>
    private static string OmnicomWithQuestions() => Seed("omnicom-primary.yaml")
        .Replace("    rules: [O-parent-respect, O-parent-no-complaints-online, O-parent-photos]\n", """
                rules: [O-parent-respect, O-parent-no-complaints-online, O-parent-photos]
                questions:
                  - { id: photos, text: "May we share photos of your child's work on SeeSaw?", type: yes_no }
                  - { id: phone, text: Best telephone number, type: text, required: false }

            """.Replace("            ", "", StringComparison.Ordinal), StringComparison.Ordinal);

    private const string WetherbyPupils = """
        Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,House,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
        W001,Isla,Grant,Reception,R Lime,01/09/2026,Red,Jane Grant,jane.grant@parents.test,Mother
        W002,Oscar,Hill,Year 3,3 Elm,01/09/2023,blue,Mark Hill,mark.hill@parents.test,Father
        W003,Ruby,Stone,Year 4,4 Oak,01/09/2022,Purple,,,
        """;

    private const string OmnicomPupils = """
        Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
        P001,Ava,Brown,Year 4,4I,01/09/2024,Kate Brown,kate.brown@parents.test,Mother
        P002,Sam,Lee,Year 6,6A,01/09/2022,Nina Lee,nina.lee@parents.test,Mother
        """;

    private const string OmnicomAdults = """
        Staff Code,Forename,Surname,Email,Job Title,Type,Start Date
        C01,Tom,Fixer,tom.fixer@omnicom-solutions.test,Network engineer,contractor,01/09/2025
        """;

    [Fact]
    public void Policy_WhereNamingAnUndeclaredAttribute_IsAWarning_AndAnUnknownValueOrKeyIsAnErrorWithPosition()
    {
        var undeclared = PolicyLoader.Load(WetherbyWithHouses().Replace("where: { house: Red }", "where: { boarding: yes }", StringComparison.Ordinal), "w.yaml");
        undeclared.Succeeded.ShouldBeTrue(string.Join("\n", undeclared.Errors));
        undeclared.Warnings.ShouldContain(w => w.Message.Contains("attribute 'boarding'", StringComparison.Ordinal) && w.Line > 0 && w.Column > 0);

        var badValue = PolicyLoader.Load(WetherbyWithHouses().Replace("where: { house: Red }", "where: { house: Rde }", StringComparison.Ordinal), "w.yaml");
        badValue.Succeeded.ShouldBeFalse();
        badValue.Errors.ShouldContain(e => e.Message.Contains("has no value 'Rde'", StringComparison.Ordinal) && e.Message.Contains("Red", StringComparison.Ordinal) && e.Line > 0);

        var badKey = PolicyLoader.Load(WetherbyWithHouses().Replace("where: { house: Red }", "wher: { house: Red }", StringComparison.Ordinal), "w.yaml");
        badKey.Succeeded.ShouldBeFalse();
        badKey.Errors.ShouldContain(e => e.Message.Contains("wher", StringComparison.Ordinal) && e.Line > 0 && e.Column > 0);

        var badOnBehalf = PolicyLoader.Load(Seed("wetherby.yaml").Replace("parent_signs_for: [eyfs]", "parent_signs_for: [staff]", StringComparison.Ordinal), "w.yaml");
        badOnBehalf.Errors.ShouldContain(e => e.Message.Contains("only on behalf of a pupil", StringComparison.Ordinal));
    }

    /// <summary>Issue 15 part 4: a house column, mapped by the policy, puts a pupil in the Red house group, which owes its agreement.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task GroupByImportedColumn_OwesItsAgreement_BadValueIsARowError(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, WetherbyWithHouses());
        var report = await TestSchool.ImportAsync(server, ImportKind.Pupils, WetherbyPupils, schoolId: Wetherby);
        report.Errors.ShouldContain(e => e.Row == 4 && e.Message.Contains("unknown house 'Purple'", StringComparison.Ordinal) && e.Message.Contains("Red, Blue", StringComparison.Ordinal));

        var isla = await TestSchool.PersonAsync(server, "W001");
        var oscar = await TestSchool.PersonAsync(server, "W002");
        PersonAttributeValues.Read(isla)["house"].ShouldBe("Red");
        PersonAttributeValues.Read(oscar)["house"].ShouldBe("Blue"); // stored as the policy writes it

        await using var scope = server.CreateScope();
        var agreements = scope.ServiceProvider.GetRequiredService<AgreementService>();
        var policy = await scope.ServiceProvider.GetRequiredService<PolicyStore>().ActiveAsync(Wetherby, CancellationToken.None);
        PersonGroups.For(policy, isla).Select(g => g.Id).ShouldBe(["eyfs", "red_house"], ignoreOrder: true);
        (await agreements.ForPersonAsync(Wetherby, isla.Id, CancellationToken.None)).Select(r => r.AgreementId).ShouldContain("red-house");
        (await agreements.ForPersonAsync(Wetherby, oscar.Id, CancellationToken.None)).Select(r => r.AgreementId).ShouldNotContain("red-house");

        // A later import moving Oscar to Red puts him in the group; the import reports the change.
        var moved = await TestSchool.ImportAsync(server, ImportKind.Pupils, WetherbyPupils.Replace(",blue,", ",RED,", StringComparison.Ordinal), schoolId: Wetherby);
        moved.Changes.ShouldContain(c => c.ExternalId == "W002" && c.Detail!.Contains("house: Blue → Red", StringComparison.Ordinal));
        (await agreements.ForPersonAsync(Wetherby, oscar.Id, CancellationToken.None)).Select(r => r.AgreementId).ShouldContain("red-house");
    }

    /// <summary>W6: Wetherby's EYFS children do not sign; a parent signs on their behalf. Year 3 still signs with a parent.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task W6_EyfsChild_SignedByParentOnBehalf_ChildOwesNothingHimself(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, Seed("wetherby.yaml"));
        await TestSchool.ImportAsync(server, ImportKind.Pupils, WetherbyPupils.Replace(",Purple,", ",,", StringComparison.Ordinal), schoolId: Wetherby);
        var isla = await TestSchool.PersonAsync(server, "W001");
        var oscar = await TestSchool.PersonAsync(server, "W002");
        var jane = await TestSchool.PersonAsync(server, "jane.grant@parents.test");

        await using (var scope = server.CreateScope())
        {
            var agreements = scope.ServiceProvider.GetRequiredService<AgreementService>();
            var owed = (await agreements.ForPersonAsync(Wetherby, isla.Id, CancellationToken.None)).Single(r => r.AgreementId == "pupil-parent");
            owed.OnBehalf.ShouldBeTrue();
            owed.NeedsSelf.ShouldBeFalse();
            owed.NeedsParent.ShouldBeTrue();
            var older = (await agreements.ForPersonAsync(Wetherby, oscar.Id, CancellationToken.None)).Single(r => r.AgreementId == "pupil-parent");
            older.OnBehalf.ShouldBeFalse();
            older.NeedsSelf.ShouldBeTrue();
            older.NeedsParent.ShouldBeTrue();

            // Isla cannot sign herself; her mother's one signature is the whole of it.
            await Should.ThrowAsync<InvalidException>(() => agreements.SignAsync(Request(Wetherby, isla.Id, isla.Id, "pupil-parent", "Isla Grant"), CancellationToken.None));
            var signature = await agreements.SignAsync(Request(Wetherby, isla.Id, jane.Id, "pupil-parent", "Jane Grant"), CancellationToken.None);
            signature.Capacity.ShouldBe(SignerCapacity.Parent);
            signature.PersonId.ShouldBe(isla.Id); // the parent's signature names the child
            var after = (await agreements.ForPersonAsync(Wetherby, isla.Id, CancellationToken.None)).Single(r => r.AgreementId == "pupil-parent");
            after.State.ShouldBe(AgreementState.Signed);
            after.ParentSignerId.ShouldBe(jane.Id);
        }
    }

    /// <summary>Issue 15 part 4 + O13: questions answered when signing, kept, shown and exported; a required one unanswered is refused (service, API).</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task O13_QuestionAnsweredAndExported_RequiredQuestionRefused_ParentFormNamesTheChild(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, OmnicomWithQuestions());
        await TestSchool.ImportAsync(server, ImportKind.Pupils, OmnicomPupils, schoolId: Omnicom);
        var kate = await TestSchool.PersonAsync(server, "kate.brown@parents.test");
        var nina = await TestSchool.PersonAsync(server, "nina.lee@parents.test");

        // The parent agreement as rendered asks for the child's name and shows the questions.
        await using (var scope = server.CreateScope())
        {
            var policy = await scope.ServiceProvider.GetRequiredService<PolicyStore>().ActiveAsync(Omnicom, CancellationToken.None);
            var form = PolicyRenderer.AgreementDocument(policy, policy.FindAgreement("parents")!);
            form.ShouldContain("Name of child");

            var agreements = scope.ServiceProvider.GetRequiredService<AgreementService>();
            var unanswered = await Should.ThrowAsync<InvalidException>(() => agreements.SignAsync(
                Request(Omnicom, kate.Id, kate.Id, "parents", "Kate Brown") with { Answers = null, ChildName = "Ava Brown" }, CancellationToken.None));
            unanswered.Field.ShouldBe("answers.photos");
            unanswered.Message.ShouldContain("May we share photos");
            var noChild = await Should.ThrowAsync<InvalidException>(() => agreements.SignAsync(
                Request(Omnicom, kate.Id, kate.Id, "parents", "Kate Brown") with { Answers = Yes() }, CancellationToken.None));
            noChild.Field.ShouldBe("childName");
            await Should.ThrowAsync<InvalidException>(() => agreements.SignAsync(
                Request(Omnicom, kate.Id, kate.Id, "parents", "Kate Brown") with { Answers = Yes(), ChildName = "Sam Lee" }, CancellationToken.None));
            var signed = await agreements.SignAsync(
                Request(Omnicom, kate.Id, kate.Id, "parents", "Kate Brown") with { Answers = Yes(), ChildName = "ava brown" }, CancellationToken.None);
            signed.ChildName.ShouldBe("Ava Brown");
            SignatureAnswers.Read(signed.Answers).ShouldBe(new Dictionary<string, string> { ["photos"] = "yes" });
        }

        // The API: a required question unanswered is a ProblemDetails naming it; answered, the signature is recorded.
        using var api = server.CreateApiClient();
        var path = $"/api/v1/people/{nina.Id}/agreements/parents/signatures?school={Omnicom}";
        var refused = await api.PostAsJsonAsync(path, new { signedName = "Nina Lee", childName = "Sam Lee" });
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            problem.RootElement.GetProperty("field").GetString().ShouldBe("answers.photos");
            problem.RootElement.GetProperty("detail").GetString()!.ShouldContain("May we share photos");
        }

        var created = await api.PostAsJsonAsync(path, new { signedName = "Nina Lee", childName = "Sam Lee", answers = new { photos = "no", phone = "020 7946 0000" } });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        // The agreements CSV export: one column per question, the answers and the child each parent named.
        var client = await SignInWithTwoFactorAsync(server, "office@omnicom.test", "admin", schoolId: Omnicom);
        var csv = await client.GetStringAsync("/agreements?handler=csv&agreement=parents");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldContain("Name of child");
        lines[0].ShouldContain("May we share photos of your child's work on SeeSaw?");
        lines[0].ShouldContain("Best telephone number");
        lines.ShouldContain(l => l.StartsWith("Kate Brown,", StringComparison.Ordinal) && l.Contains(",Ava Brown,", StringComparison.Ordinal) && l.EndsWith(",Yes,", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("Nina Lee,", StringComparison.Ordinal) && l.Contains(",Sam Lee,", StringComparison.Ordinal) && l.EndsWith(",No,020 7946 0000", StringComparison.Ordinal));

        // The signature's page shows the question and its answer.
        var signatureId = await DbAsync(server, db => db.Signatures.Where(s => s.PersonId == kate.Id).Select(s => s.Id).SingleAsync());
        var (_, record) = await GetAsync(client, $"/signatures/{signatureId}");
        var text = record.QuerySelector("main")!.TextContent;
        text.ShouldContain("May we share photos of your child's work on SeeSaw?");
        text.ShouldContain("Ava Brown");
    }

    /// <summary>O1, O13: Omnicom's contractors ("Staff (including governors, volunteers, and contractors)") owe and sign the staff agreement.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task O13_Contractor_OwesAndSignsTheStaffAgreement(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, Seed("omnicom-primary.yaml"));
        await TestSchool.ImportAsync(server, ImportKind.Adults, OmnicomAdults, schoolId: Omnicom);
        var tom = await TestSchool.PersonAsync(server, "C01");

        await using var scope = server.CreateScope();
        var agreements = scope.ServiceProvider.GetRequiredService<AgreementService>();
        var owed = (await agreements.ForPersonAsync(Omnicom, tom.Id, CancellationToken.None)).ShouldHaveSingleItem();
        owed.AgreementId.ShouldBe("staff");
        owed.State.ShouldNotBe(AgreementState.Signed);
        await agreements.SignAsync(Request(Omnicom, tom.Id, tom.Id, "staff", "Tom Fixer"), CancellationToken.None);
        (await agreements.ForPersonAsync(Omnicom, tom.Id, CancellationToken.None)).Single().State.ShouldBe(AgreementState.Signed);
    }

    private static Dictionary<string, string?> Yes() => new() { ["photos"] = "Yes" };

    private static SignRequest Request(string school, Guid personId, Guid signerId, string agreementId, string name) =>
        new(school, personId, signerId, agreementId, name, null, null, false, SignatureMethod.Portal, "192.0.2.1", "test");

    private static async Task<T> DbAsync<T>(BrightlineServer server, Func<BrightlineDbContext, Task<T>> query)
    {
        await using var scope = server.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }
}
