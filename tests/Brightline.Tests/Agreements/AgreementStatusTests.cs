using Brightline.Data;
using Brightline.Agreements;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using static Brightline.Tests.Agreements.AgreementTestData;

namespace Brightline.Tests.Agreements;

public sealed class AgreementStatusTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Status_SignedInJuly_DueInSeptemberThenOverdueAfterDeadline(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, new DateTimeOffset(2026, 7, 10, 9, 0, 0, TimeSpan.Zero));
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var head = await TestSchool.PersonAsync(server, "S02");

        (await StatusAsync(server, head)).Single().State.ShouldBe(AgreementState.Due);
        await SignAsync(server, head, head, "staff", "Headteacher");
        (await StatusAsync(server, head)).Single().State.ShouldBe(AgreementState.Signed);

        // The new academic year starts on 1 September; staff have 21 days.
        server.Clock.SetUtcNow(new DateTimeOffset(2026, 9, 10, 9, 0, 0, TimeSpan.Zero));
        var september = (await StatusAsync(server, head)).Single();
        september.State.ShouldBe(AgreementState.Due);
        september.DueBy.ShouldBe(new DateOnly(2026, 9, 22));
        september.MissingSince.ShouldBe(new DateOnly(2026, 9, 1));

        server.Clock.SetUtcNow(new DateTimeOffset(2026, 9, 23, 9, 0, 0, TimeSpan.Zero));
        (await StatusAsync(server, head)).Single().State.ShouldBe(AgreementState.Overdue);

        await SignAsync(server, head, head, "staff", "Headteacher");
        (await StatusAsync(server, head)).Single().State.ShouldBe(AgreementState.Signed);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Status_MidYearJoiner_DueUntilInductionDeadline(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, new DateTimeOffset(2026, 9, 1, 8, 0, 0, TimeSpan.Zero));
        await TestSchool.LoadPolicyAsync(server);
        server.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        await TestSchool.ImportAsync(server, ImportKind.Pupils, """
            Admission Number,Forename,Surname,Year Group,Class,Start Date,Contact 1 Name,Contact 1 Email
            J1,Theo,Ward,Year 1,1 Oak,20/11/2026,Laura Ward,laura.ward@parents.test
            """);
        var theo = await TestSchool.PersonAsync(server, "J1");

        var status = (await StatusAsync(server, theo)).Single();
        status.AgreementId.ShouldBe("ks1-pupil");
        status.NeedsParent.ShouldBeTrue();
        status.NeedsSelf.ShouldBeFalse();
        status.DueBy.ShouldBe(new DateOnly(2026, 12, 4));
        status.State.ShouldBe(AgreementState.Due);
        status.MissingSince.ShouldBe(new DateOnly(2026, 11, 20));

        server.Clock.Advance(TimeSpan.FromDays(10));
        (await StatusAsync(server, theo)).Single().State.ShouldBe(AgreementState.Overdue);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task NewPolicyVersion_OneAgreementTextChanged_ReasksOnlyThatAgreement(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider, staff: true);
        var head = await TestSchool.PersonAsync(server, "S02");
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var sarah = await TestSchool.PersonAsync(server, "sarah.jones@parents.test");
        await SignAsync(server, head, head, "staff", "Headteacher");
        await SignAsync(server, amelia, amelia, "ks2-pupil");
        await SignAsync(server, amelia, sarah, "ks2-pupil");

        const string oldText = "I have read and understood the ICT and Internet Acceptable Use Policy and agree to follow it.";
        var yaml = TestSchool.ExampleYaml;
        yaml.ShouldContain(oldText);
        await TestSchool.LoadPolicyAsync(server, yaml
            .Replace(oldText, "I have read, understood and will follow the ICT and Internet Acceptable Use Policy.", StringComparison.Ordinal)
            .Replace("version: \"", "version: \"2-", StringComparison.Ordinal));

        var staff = (await StatusAsync(server, head)).Single();
        staff.State.ShouldBe(AgreementState.Due);
        staff.DueBy.ShouldBe(new DateOnly(2026, 12, 16));
        (await StatusAsync(server, amelia)).Single().State.ShouldBe(AgreementState.Signed);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sign_InvalidRequests_RefusedWithClearMessage(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider, staff: true);
        var head = await TestSchool.PersonAsync(server, "S02");
        var noah = await TestSchool.PersonAsync(server, "A002");
        var imran = await TestSchool.PersonAsync(server, "imran.khan@parents.test");

        (await Should.ThrowAsync<DomainException>(() => SignAsync(server, head, head, "staff"))).Message.ShouldContain("job title");
        (await Should.ThrowAsync<DomainException>(() => SignAsync(server, noah, noah, "ks1-pupil"))).Message.ShouldContain("signed by a parent");
        (await Should.ThrowAsync<ForbiddenException>(() => SignAsync(server, noah, imran, "ks1-pupil"))).Message.ShouldContain("parent linked");
        (await Should.ThrowAsync<DomainException>(() => SignAsync(server, noah, head, "staff"))).Message.ShouldContain("does not need to sign");
    }
}
