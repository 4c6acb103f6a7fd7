using Brightline.Agreements;
using Brightline.Approvals;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy;
using Brightline.Policy.Model;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;

namespace Brightline.Tests.Agreements;

/// <summary>
/// Issue 18 part 1: the stored agreement standings give the same answers as the status rules worked out per person
/// (<see cref="AgreementStatus.Compute"/>), for a randomised school on both databases, and each event that changes a
/// standing (signing, countersigning, import, leaving, a new academic year, a new policy, an official-capacity approval)
/// changes the stored row.
/// </summary>
public sealed class AgreementStandingsTests
{
    /// <summary>The example policy with every renewal and signer rule in play: KS1's agreement is signed once, and in lower
    /// KS2 a parent signs on the child's behalf (W6); staff renew yearly, parents when the text changes.</summary>
    private static string VariedPolicy() => TestSchool.ExampleYaml
        .Replace("    audience: [reception, ks1]\n    signers: parent\n    fields: [full_name, class, date]\n    renewal: academic_year",
            "    audience: [reception, ks1]\n    signers: parent\n    fields: [full_name, class, date]\n    renewal: once", StringComparison.Ordinal)
        .Replace("    audience: [lower_ks2, upper_ks2]\n    signers: both\n", "    audience: [lower_ks2, upper_ks2]\n    signers: both\n    parent_signs_for: [lower_ks2]\n",
            StringComparison.Ordinal);

    private static readonly PersonKind[] s_adultKinds = [PersonKind.Staff, PersonKind.Governor, PersonKind.Volunteer, PersonKind.Visitor, PersonKind.Supply];
    private static readonly string[] s_years = ["N", "R", "1", "2", "3", "4", "5", "6"];

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Standings_AnswerAsTheRules_ForEveryPerson_InARandomisedSchool(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, new DateTimeOffset(2025, 7, 20, 9, 0, 0, TimeSpan.Zero));
        await TestSchool.LoadPolicyAsync(server, VariedPolicy());
        (await PolicyText(server)).ShouldContain("renewal: once");
        (await PolicyText(server)).ShouldContain("parent_signs_for: [lower_ks2]");
        var random = new Random(18_01);
        var people = await SeedAsync(server, random, 260);

        // Across two year boundaries, with signatures through the service, people added and moved outside an import,
        // and official-capacity approvals starting and ending, the table answers as the rules do every day.
        DateOnly[] days = [new(2025, 7, 20), new(2025, 8, 31), new(2025, 9, 1), new(2025, 9, 16), new(2026, 1, 12), new(2026, 8, 31), new(2026, 9, 2), new(2026, 9, 30), new(2027, 2, 1)];
        foreach (var day in days)
        {
            server.Clock.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero));
            await SignSomeAsync(server, random, people);
            await ChangeOutsideImportAsync(server, random, people);
            await AssertSameAsRulesAsync(server, $"{provider} on {day:yyyy-MM-dd}");
        }

        // A new policy version with changed agreement texts: every on_change and yearly signature must be given again.
        await TestSchool.LoadPolicyAsync(server, VariedPolicy()
            .Replace("I have read and understood these rules and I agree to follow them.", "I have read and understood these new rules and I agree to follow them.", StringComparison.Ordinal)
            .Replace("will support it at home.", "will support it at home and online.", StringComparison.Ordinal)
            .Replace("version: \"2025.1\"", "version: \"2025.2\"", StringComparison.Ordinal));
        await AssertSameAsRulesAsync(server, $"{provider} after a new policy");
    }

    private static async Task<string> PolicyText(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        return await db.PolicyVersions.Where(v => v.IsActive).Select(v => v.Yaml).FirstAsync();
    }

    /// <summary>People of every kind, year and join date, some leaving, parents linked, and signatures of every capacity,
    /// text and date written straight into the database (before anything is read, as a migration would find them).</summary>
    private static async Task<List<Person>> SeedAsync(BrightlineServer server, Random random, int count)
    {
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var active = await scope.ServiceProvider.GetRequiredService<PolicyStore>().ActiveVersionAsync(TestSchool.Id, CancellationToken.None);
        var now = server.Clock.GetUtcNow();
        var people = new List<Person>();
        var parents = new List<Person>();
        for (var i = 0; i < count; i++)
        {
            var pupil = random.Next(100) < 60;
            var kinds = pupil ? PersonGroups.Mask(PersonKind.Pupil) : PersonGroups.Mask(s_adultKinds[random.Next(s_adultKinds.Length)]);
            if (!pupil && random.Next(100) < 15)
            {
                kinds |= PersonGroups.Mask(PersonKind.Parent);
            }

            var year = pupil ? s_years[random.Next(s_years.Length)] : null;
            var person = NewPerson($"P{i:000}", kinds, year, RandomDay(random, new DateOnly(2019, 9, 1), new DateOnly(2027, 1, 1)), now);
            person.LeftOn = random.Next(100) < 12 ? RandomDay(random, new DateOnly(2025, 6, 1), new DateOnly(2027, 3, 1)) : null;
            people.Add(person);
            if (pupil)
            {
                var parent = NewPerson($"M{i:000}", PersonGroups.Mask(PersonKind.Parent), null, person.JoinedOn, now);
                parent.Email = random.Next(100) < 80 ? $"m{i}@parents.test" : null;
                parents.Add(parent);
                db.ParentLinks.Add(new ParentLink { SchoolId = TestSchool.Id, ParentId = parent.Id, ChildId = person.Id });
            }
        }

        db.People.AddRange(people);
        db.People.AddRange(parents);
        await db.SaveChangesAsync();

        var everyone = people.Concat(parents).ToList();
        var agreements = active.Policy.Agreements;
        foreach (var person in everyone)
        {
            for (var n = random.Next(0, 5); n > 0; n--)
            {
                var agreement = agreements[random.Next(agreements.Count)];
                var version = active.Agreements[agreement.Id];
                var signedAt = new DateTimeOffset(RandomDay(random, new DateOnly(2023, 9, 1), new DateOnly(2025, 7, 20)).ToDateTime(new TimeOnly(random.Next(0, 24), 0)), TimeSpan.Zero);
                db.Signatures.Add(new Signature
                {
                    Id = Guid.NewGuid(), SchoolId = TestSchool.Id, PersonId = person.Id, SignerId = person.Id,
                    Capacity = random.Next(2) == 0 ? SignerCapacity.Self : SignerCapacity.Parent,
                    AgreementVersionId = version.Id, AgreementId = agreement.Id,
                    TextHash = random.Next(100) < 75 ? version.TextHash : AgreementText.Sha256Hex($"old text {random.Next(3)}"),
                    SignedName = person.FullName, Method = SignatureMethod.Paper, SignedAt = signedAt,
                    AcademicYear = active.Policy.School.Calendar.AcademicYearLabel(SchoolClock.DateOf(signedAt)),
                });
            }
        }

        // O14: some parents and volunteers in an official capacity for a while (the staff agreement applies to them then).
        foreach (var person in everyone.Where(p => !PersonGroups.Has(p, PersonKind.Pupil) && random.Next(100) < 10))
        {
            var starts = new DateTimeOffset(RandomDay(random, new DateOnly(2025, 6, 1), new DateOnly(2026, 10, 1)).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            db.Set<ApprovalRequest>().Add(new ApprovalRequest
            {
                Id = Guid.NewGuid(), SchoolId = TestSchool.Id, TypeId = "official-capacity", Kind = ApprovalKinds.OfficialCapacity,
                Status = ApprovalState.Active, RequestedBy = "test", SubjectPersonId = person.Id, Reason = "helping in class",
                CreatedAt = starts, StartsAt = starts, EndsAt = starts.AddDays(random.Next(10, 300)),
            });
        }

        await db.SaveChangesAsync();
        return everyone;
    }

    /// <summary>Signatures given through the service (the event path), where the rules allow them.</summary>
    private static async Task SignSomeAsync(BrightlineServer server, Random random, List<Person> people)
    {
        for (var i = 0; i < 8; i++)
        {
            var person = people[random.Next(people.Count)];
            var required = await StatusAsync(server, person);
            if (required.FirstOrDefault(r => r.State != AgreementState.Signed) is not { } owed)
            {
                continue;
            }

            Person signer = person;
            if (!owed.NeedsSelf || owed.SelfSigned)
            {
                await using var scope = server.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
                var parentId = await db.ParentLinks.Where(l => l.ChildId == person.Id).Select(l => (Guid?)l.ParentId).FirstOrDefaultAsync();
                if (parentId is null)
                {
                    continue;
                }

                signer = await db.People.AsNoTracking().SingleAsync(p => p.Id == parentId);
            }

            await SignAsync(server, person, signer, owed.AgreementId, "Teacher");
        }
    }

    /// <summary>A person added and one moved up a year straight in the database, as another tool might: the stamp notices.</summary>
    private static async Task ChangeOutsideImportAsync(BrightlineServer server, Random random, List<Person> people)
    {
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var now = server.Clock.GetUtcNow();
        var pupils = people.Where(p => p.YearGroup is not null).ToList();
        var movedId = pupils[random.Next(pupils.Count)].Id;
        var added = NewPerson($"N{people.Count:000}", PersonGroups.Mask(random.Next(2) == 0 ? PersonKind.Pupil : PersonKind.Staff), s_years[random.Next(s_years.Length)],
            SchoolClock.DateOf(now).AddDays(-random.Next(0, 40)), now);
        db.People.Add(added);
        people.Add(added);
        var moved = await db.People.SingleAsync(p => p.Id == movedId);
        moved.YearGroup = s_years[random.Next(s_years.Length)];
        moved.UpdatedAt = now;
        await db.SaveChangesAsync();
    }

    /// <summary>Everyone on roll: the table's answer (what the dashboard and lists read) equals the rules' per person.</summary>
    private static async Task AssertSameAsRulesAsync(BrightlineServer server, string when)
    {
        await using var scope = server.CreateScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<BrightlineDbContext>();
        var active = await services.GetRequiredService<PolicyStore>().ActiveVersionAsync(TestSchool.Id, CancellationToken.None);
        var today = SchoolClock.Today(server.Clock);
        var fromTable = await services.GetRequiredService<AgreementService>().SchoolStatusAsync(active, CancellationToken.None);

        var people = await db.People.AsNoTracking().Where(p => p.SchoolId == TestSchool.Id).ToListAsync();
        var signatures = (await db.Signatures.AsNoTracking().ToListAsync()).ToLookup(s => s.PersonId);
        var extra = await services.GetRequiredService<IApprovedGroups>().ForSchoolAsync(active.Policy, TestSchool.Id, CancellationToken.None);
        var expected = people.Where(p => OnRoll.Is(p, today))
            .ToDictionary(p => p.Id, p => Describe(AgreementStatus.Compute(active.Policy, active.Agreements, p, signatures[p.Id].ToList(), today, extra.GetValueOrDefault(p.Id))));
        var actual = fromTable.ToDictionary(s => s.Person.Id, s => Describe(s.Required));

        actual.Keys.Order().ShouldBe(expected.Keys.Order(), $"people on roll, {when}");
        var wrong = expected.Where(e => actual[e.Key] != e.Value).Select(e => $"{people.Single(p => p.Id == e.Key).ExternalId}: rules {e.Value} / table {actual[e.Key]}").ToList();
        wrong.ShouldBeEmpty($"{when}: {wrong.Count} of {expected.Count} people differ");
        expected.Values.Count(v => v.Contains("Overdue", StringComparison.Ordinal)).ShouldBeGreaterThan(0, when);

        // Issue 18 part 2: the dashboard's counts, grouped in the database, are those of everyone's status worked out by
        // the rules: the cards, every group and class row, and the overdue list in order.
        var rules = people.Where(p => OnRoll.Is(p, today)).Select(p =>
        {
            var required = AgreementStatus.Compute(active.Policy, active.Agreements, p, signatures[p.Id].ToList(), today, extra.GetValueOrDefault(p.Id));
            return new PersonCompliance(p, required, PersonCompliance.Overall(required));
        }).ToList();
        var summary = await services.GetRequiredService<AgreementService>().ComplianceAsync(TestSchool.Id, CancellationToken.None);
        foreach (var state in Enum.GetValues<ComplianceState>())
        {
            summary.ByState.GetValueOrDefault(state).ShouldBe(rules.Count(r => r.State == state), $"{state} card, {when}");
        }

        var expectedGroups = active.Policy.Groups.Select(g =>
        {
            var members = rules.Where(r => PersonGroups.For(active.Policy, r.Person).Any(x => x.Id == g.Id)).ToList();
            return new GroupCompliance(g.Id, g.Name, members.Count, members.Count(m => m.State == ComplianceState.Signed), members.Count(m => m.State == ComplianceState.Due),
                members.Count(m => m.State == ComplianceState.Overdue), members.Count(m => m.State == ComplianceState.NotRequired));
        }).ToList();
        summary.Groups.ShouldBe(expectedGroups, $"groups, {when}");
        var expectedClasses = rules.Where(r => PersonGroups.Has(r.Person, PersonKind.Pupil) && !string.IsNullOrWhiteSpace(r.Person.ClassName))
            .GroupBy(r => r.Person.ClassName!, StringComparer.Ordinal).OrderBy(g => AgreementService.ClassSortKey(g.Key), StringComparer.Ordinal)
            .Select(g => new ClassCompliance(g.Key, g.Count(), g.Count(m => m.State == ComplianceState.Signed), g.Count(m => m.State == ComplianceState.Due),
                g.Count(m => m.State == ComplianceState.Overdue), g.Count(m => m.State == ComplianceState.NotRequired))).ToList();
        summary.Classes.ShouldBe(expectedClasses, $"classes, {when}");
        summary.Overdue.ShouldBe(AgreementService.OverdueList(rules), $"overdue list, {when}");
        summary.OverdueTotal.ShouldBe(summary.Overdue.Count, when);

        // The chase's count from the table agrees with the plan built from everyone's status.
        var agreements = services.GetRequiredService<AgreementService>();
        (await agreements.ReminderCountAsync(TestSchool.Id, CancellationToken.None))
            .ShouldBe((await agreements.PlanChaseAsync(TestSchool.Id, null, CancellationToken.None)).Letters.Count, when);
    }

    /// <summary>The stored row as it is now, read straight from the table (no refresh first): what the event wrote.</summary>
    private static async Task<AgreementStanding?> RowAsync(BrightlineServer server, Guid personId, string agreementId)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<AgreementStanding>().AsNoTracking()
            .SingleOrDefaultAsync(s => s.PersonId == personId && s.AgreementId == agreementId);
    }

    /// <summary>What a reader sees: the stamp checked (and the rows refreshed if it is stale) first.</summary>
    private static async Task<AgreementStanding?> ReadAsync(BrightlineServer server, Guid personId, string agreementId)
    {
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AgreementStandings>().EnsureFreshAsync(TestSchool.Id, CancellationToken.None);
        }

        return await RowAsync(server, personId, agreementId);
    }

    private static async Task<BrightlineServer> SchoolAsync(DatabaseProvider provider)
    {
        var server = await BrightlineServer.StartAsync(provider, new DateTimeOffset(2026, 9, 20, 9, 0, 0, TimeSpan.Zero));
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        return server;
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Signing_UpdatesTheStoredStanding(DatabaseProvider provider)
    {
        await using var server = await SchoolAsync(provider);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        (await RowAsync(server, amelia.Id, "ks2-pupil"))!.SelfSigned.ShouldBeFalse();

        await SignAsync(server, amelia, amelia, "ks2-pupil");

        var row = (await RowAsync(server, amelia.Id, "ks2-pupil"))!;
        row.SelfSigned.ShouldBeTrue();
        row.Signed.ShouldBeFalse("a parent has still to countersign");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Countersigning_CompletesTheStoredStanding(DatabaseProvider provider)
    {
        await using var server = await SchoolAsync(provider);
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var david = await TestSchool.PersonAsync(server, "david.jones@parents.test");
        await SignAsync(server, amelia, amelia, "ks2-pupil");

        await SignAsync(server, amelia, david, "ks2-pupil");

        var row = (await RowAsync(server, amelia.Id, "ks2-pupil"))!;
        (row.ParentSigned, row.Signed, row.ParentSignerId, row.MissingSince).ShouldBe((true, true, (Guid?)david.Id, (DateOnly?)null));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_GivesJoinersAndMovedPupilsTheirStanding(DatabaseProvider provider)
    {
        await using var server = await SchoolAsync(provider);
        var noah = await TestSchool.PersonAsync(server, "A002");
        (await RowAsync(server, noah.Id, "ks1-pupil")).ShouldNotBeNull();

        // Noah moves up to Year 3 (the KS2 agreement, signed by both) and Ben joins.
        await TestSchool.ImportAsync(server, ImportKind.Pupils, """
            Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
            A002,K801200100002,Noah,Jones,3,3 Ash,01/09/2025,Sarah Jones,sarah.jones@parents.test,Mother
            A005,,Ben,Okafor,Year 4,4 Elm,01/09/2026,Grace Okafor,,Mother
            """, full: false);

        (await RowAsync(server, noah.Id, "ks1-pupil")).ShouldBeNull();
        (await RowAsync(server, noah.Id, "ks2-pupil"))!.NeedsSelf.ShouldBeTrue();
        var ben = await TestSchool.PersonAsync(server, "A005");
        (await RowAsync(server, ben.Id, "ks2-pupil"))!.Signed.ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Leaving_TakesThePersonOffTheCounts(DatabaseProvider provider)
    {
        await using var server = await SchoolAsync(provider);
        var leo = await TestSchool.PersonAsync(server, "A004");
        // A full import without Leo marks him as leaving today.
        await TestSchool.ImportAsync(server, ImportKind.Pupils, string.Join('\n', TestSchool.PupilsCsv.Split('\n').Where(l => !l.Contains("A004", StringComparison.Ordinal))));

        await using var scope = server.CreateScope();
        var agreements = scope.ServiceProvider.GetRequiredService<AgreementService>();
        (await agreements.StandingAsync(TestSchool.Id, null, CancellationToken.None)).ShouldNotContain(s => s.Person.Id == leo.Id);
        (await agreements.ForPersonAsync(TestSchool.Id, leo.Id, CancellationToken.None)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task NewAcademicYear_AsksForTheYearlySignatureAgain(DatabaseProvider provider)
    {
        await using var server = await SchoolAsync(provider);
        var head = await TestSchool.PersonAsync(server, "S02");
        await SignAsync(server, head, head, "staff", "Headteacher");
        (await ReadAsync(server, head.Id, "staff"))!.Signed.ShouldBeTrue();

        server.Clock.SetUtcNow(new DateTimeOffset(2027, 9, 2, 9, 0, 0, TimeSpan.Zero));

        var row = (await ReadAsync(server, head.Id, "staff"))!;
        (row.Signed, row.MissingSince).ShouldBe((false, (DateOnly?)new DateOnly(2027, 9, 1)));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task NewPolicyText_AsksParentsToSignAgain(DatabaseProvider provider)
    {
        await using var server = await SchoolAsync(provider);
        var sarah = await TestSchool.PersonAsync(server, "sarah.jones@parents.test");
        await SignAsync(server, sarah, sarah, "parent");
        (await ReadAsync(server, sarah.Id, "parent"))!.Signed.ShouldBeTrue();

        await TestSchool.LoadPolicyAsync(server, TestSchool.ExampleYaml.Replace("version: \"2025.1\"", "version: \"2025.2\"", StringComparison.Ordinal)
            .Replace("will support it at home.", "will support it at home and online.", StringComparison.Ordinal));

        var row = (await ReadAsync(server, sarah.Id, "parent"))!;
        row.Signed.ShouldBe(false, "the parents' agreement renews when its text changes");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task OfficialCapacityApproval_AddsAndRemovesTheStaffAgreement(DatabaseProvider provider)
    {
        await using var server = await SchoolAsync(provider);
        var sarah = await TestSchool.PersonAsync(server, "sarah.jones@parents.test");
        (await ReadAsync(server, sarah.Id, "staff")).ShouldBeNull();

        var now = server.Clock.GetUtcNow();
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            db.Set<ApprovalRequest>().Add(new ApprovalRequest
            {
                Id = Guid.NewGuid(), SchoolId = TestSchool.Id, TypeId = "official-capacity", Kind = ApprovalKinds.OfficialCapacity,
                Status = ApprovalState.Active, RequestedBy = "test", SubjectPersonId = sarah.Id, Reason = "helping on the trip",
                CreatedAt = now, StartsAt = now, EndsAt = now.AddDays(3),
            });
            await db.SaveChangesAsync();
        }

        (await ReadAsync(server, sarah.Id, "staff")).ShouldNotBeNull("O14: the staff agreement applies while the approval is in force");
        server.Clock.Advance(TimeSpan.FromDays(4));
        (await ReadAsync(server, sarah.Id, "staff")).ShouldBeNull("the approval has ended");
    }

    private static string Describe(IReadOnlyList<RequiredAgreement> required) =>
        string.Join(" | ", required.Select(r => $"{r.AgreementId} v{r.AgreementVersionId} {r.State} self:{r.NeedsSelf}/{r.SelfSigned} parent:{r.NeedsParent}/{r.ParentSigned} "
            + $"behalf:{r.OnBehalf} due:{r.DueBy:yyyy-MM-dd} since:{r.MissingSince:yyyy-MM-dd} by:{r.ParentSignerId} {r.Title} {r.TextHash} {r.Signers} {string.Join(',', r.Withholds)}"));

    private static Person NewPerson(string externalId, int kinds, string? year, DateOnly joined, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(), SchoolId = TestSchool.Id, ExternalId = externalId, Source = PeopleImporter.AdultsSource,
        GivenName = "Given" + externalId, FamilyName = "Family" + externalId, KindMask = kinds, YearGroup = year,
        ClassName = year is null ? null : $"{year} Oak", JoinedOn = joined, CreatedAt = now, UpdatedAt = now,
    };

    private static DateOnly RandomDay(Random random, DateOnly from, DateOnly to) => from.AddDays(random.Next(to.DayNumber - from.DayNumber));
}
