using Brightline.Data;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.People;

public sealed class PeopleImportTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_SameFileTwice_SecondReportAllUnchanged(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);

        var first = await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
        first.Errors.ShouldBeEmpty();
        first.Created.ShouldBe(4);
        first.ParentsCreated.ShouldBe(4);
        first.LinksCreated.ShouldBe(5);

        var second = await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
        second.Errors.ShouldBeEmpty();
        second.Unchanged.ShouldBe(4);
        (second.Created + second.Updated + second.MarkedLeavers + second.ParentsCreated + second.LinksCreated).ShouldBe(0);
        second.Changes.ShouldBeEmpty();
        (await TestSchool.PeopleAsync(server)).Count.ShouldBe(8);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_ChangedClassAndMissingPupil_UpdatesAndMarksLeaverOnlyOnFullImport(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);

        // Amelia moves class; Leo (A004) is not in the file.
        var changed = string.Join('\n', TestSchool.PupilsCsv.Split('\n').Where(l => !l.StartsWith("A004", StringComparison.Ordinal)))
            .Replace("Year 3,3 Oak", "Year 3,3 Ash", StringComparison.Ordinal);

        var partial = await TestSchool.ImportAsync(server, ImportKind.Pupils, changed, full: false);
        partial.Updated.ShouldBe(1);
        partial.MarkedLeavers.ShouldBe(0);
        (await TestSchool.PersonAsync(server, "A001")).ClassName.ShouldBe("3 Ash");
        (await TestSchool.PersonAsync(server, "A004")).LeftOn.ShouldBeNull();

        var full = await TestSchool.ImportAsync(server, ImportKind.Pupils, changed);
        full.Updated.ShouldBe(0);
        full.MarkedLeavers.ShouldBe(2); // Leo, and his only parent
        (await TestSchool.PersonAsync(server, "A004")).LeftOn.ShouldBe(new DateOnly(2026, 11, 25));
        (await TestSchool.PersonAsync(server, "imran.khan@parents.test")).LeftOn.ShouldBe(new DateOnly(2026, 11, 25));

        // He comes back: the same person, no longer a leaver.
        var back = await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv.Replace("Year 3,3 Oak", "Year 3,3 Ash", StringComparison.Ordinal));
        back.Created.ShouldBe(0);
        back.Updated.ShouldBe(1);
        back.Changes.ShouldContain(c => c.ExternalId == "A004" && c.Detail!.Contains("returned", StringComparison.Ordinal));
        (await TestSchool.PersonAsync(server, "A004")).LeftOn.ShouldBeNull();
        (await TestSchool.PersonAsync(server, "imran.khan@parents.test")).LeftOn.ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_BadRows_ReportedByLineWhileGoodRowsImport(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        const string csv = """
            Adno,Forename,Surname,Year,Class,Admission Date,Parent 1 Name,Parent 1 Email
            B1,Ava,Smith,2,2 Oak,01/09/2024,Kate Smith,kate@parents.test
            B2,,Brown,2,2 Oak,01/09/2024,,
            B3,Mia,Green,Year 9 and a half,2 Oak,01/09/2024,,
            B4,Ivy,Hall,2,2 Oak,31/02/2024,,
            B5,Evie,Wood,2,2 Oak,01/09/2024,Tom Wood,not-an-email
            B1,Ava,Smith-Copy,2,2 Oak,01/09/2024,,
            B7,Oscar,King,R,R Ash,,,
            """;

        var report = await TestSchool.ImportAsync(server, ImportKind.Pupils, csv);

        report.RowsRead.ShouldBe(7);
        report.Created.ShouldBe(2);
        report.Errors.Select(e => e.Row).ShouldBe([3, 4, 5, 6, 7]);
        report.Errors[0].Message.ShouldContain("missing name");
        report.Errors[1].Message.ShouldContain("unknown year group 'Year 9 and a half'");
        report.Errors[2].Message.ShouldContain("bad start date '31/02/2024'");
        report.Errors[3].Message.ShouldContain("bad email 'not-an-email'");
        report.Errors[4].Message.ShouldContain("duplicate");
        report.Errors[4].Message.ShouldContain("row 2");
        (await TestSchool.PersonAsync(server, "B7")).YearGroup.ShouldBe("R");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_DryRun_ReportsButChangesNothing(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);

        var dry = await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv, dryRun: true);

        dry.DryRun.ShouldBeTrue();
        dry.Created.ShouldBe(4);
        dry.ParentsCreated.ShouldBe(4);
        (await TestSchool.PeopleAsync(server)).ShouldBeEmpty();
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.ParentLinks.CountAsync()).ShouldBe(0);
        (await db.AuditEntries.CountAsync(a => a.Action == Brightline.Audit.AuditActions.Import)).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_ParentsAndStaffParent_LinkedAsOnePersonWithBothKinds(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        var staff = await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        staff.Errors.ShouldBeEmpty();

        var people = await TestSchool.PeopleAsync(server);
        people.Count(p => p.Email == "priya.patel@school.test").ShouldBe(1);
        var priya = people.Single(p => p.Email == "priya.patel@school.test");
        PersonGroups.Has(priya, PersonKind.Staff).ShouldBeTrue();
        PersonGroups.Has(priya, PersonKind.Parent).ShouldBeTrue();
        priya.ExternalId.ShouldBe("S01");
        priya.JobTitle.ShouldBe("Computing Lead");

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var sarah = people.Single(p => p.Email == "sarah.jones@parents.test");
        var children = await db.ParentLinks.Where(l => l.ParentId == sarah.Id).Select(l => l.ChildId).ToListAsync();
        children.Count.ShouldBe(2);
        var helenId = people.Single(p => p.ExternalId == "S02").Id;
        (await db.PersonRoles.Where(r => r.PersonId == helenId).Select(r => r.Role).OrderBy(r => r).ToListAsync())
            .ShouldBe(["dsl", "head"]);

        var policy = await scope.ServiceProvider.GetRequiredService<Brightline.Policies.PolicyStore>().ActiveAsync(TestSchool.Id, CancellationToken.None);
        PersonGroups.For(policy, priya).Select(g => g.Id).ShouldBe(["staff", "parents"], ignoreOrder: true);
        PersonGroups.For(policy, people.Single(p => p.ExternalId == "A003")).Select(g => g.Id).ShouldBe(["reception"]);

        // Importing the staff file again is idempotent too (the adopted parent record is now owned by staff).
        var again = await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        again.Unchanged.ShouldBe(3);
        again.Changes.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ImportApi_CsvBody_ReturnsReport(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        using var client = server.CreateApiClient();
        using var content = new StringContent(TestSchool.StaffCsv, System.Text.Encoding.UTF8, "text/csv");

        var response = await client.PostAsync("/api/v1/people/import?kind=staff&dryRun=true", content);

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        var json = await response.Content.ReadAsStringAsync();
        json.ShouldContain("\"created\":3");
        (await TestSchool.PeopleAsync(server)).ShouldBeEmpty();

        var list = await client.GetAsync("/api/v1/people?search=marsh");
        list.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("R", "R")]
    [InlineData("Reception", "R")]
    [InlineData("Year 3", "3")]
    [InlineData("3", "3")]
    [InlineData("Y6", "6")]
    [InlineData("yr 2", "2")]
    [InlineData("N", "N")]
    [InlineData("Year 14", null)]
    [InlineData("Blue", null)]
    public void NormaliseYear_MisSpellings_MapToYearGroup(string raw, string? expected) =>
        ImportCsv.NormaliseYear(raw).ShouldBe(expected);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task H8_StaffImport_HeadOfYearColumn_IsTheYearTheyLookAfter_BadYearIsARowError(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        const string csv = """
            Staff Code,Forename,Surname,Email,Job Title,Head of Year,Type
            S10,Hana,Ito,h.ito@school.test,Head of Year 5,Year 5,Staff
            S11,Will,Rees,w.rees@school.test,Teacher,,Staff
            S12,Zoe,Park,z.park@school.test,Head of Year,Year Fifteen,Staff
            """;

        var report = await TestSchool.ImportAsync(server, ImportKind.Staff, csv);

        report.Created.ShouldBe(2);
        report.Errors.Select(e => e.Row).ShouldBe([4]);
        report.Errors[0].Message.ShouldContain("unknown year group 'Year Fifteen' for the year this member of staff looks after");
        (await TestSchool.PersonAsync(server, "S10")).YearGroup.ShouldBe("5");
        (await TestSchool.PersonAsync(server, "S11")).YearGroup.ShouldBeNull();

        // A later file without the column leaves the year alone; one with it blank clears it (she is no longer Head of Year).
        await TestSchool.ImportAsync(server, ImportKind.Staff, "Staff Code,Forename,Surname,Email,Type\nS10,Hana,Ito,h.ito@school.test,Staff\n", full: false);
        (await TestSchool.PersonAsync(server, "S10")).YearGroup.ShouldBe("5");
        await TestSchool.ImportAsync(server, ImportKind.Staff, "Staff Code,Forename,Surname,Email,Year Group,Type\nS10,Hana,Ito,h.ito@school.test,,Staff\n", full: false);
        (await TestSchool.PersonAsync(server, "S10")).YearGroup.ShouldBeNull();
    }
}
