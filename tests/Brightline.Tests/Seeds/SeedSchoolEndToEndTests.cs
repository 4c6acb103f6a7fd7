using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Filtering;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policy.Model;
using Brightline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Seeds;

/// <summary>
/// Issue 15, point 10: each seed school's own policy file loaded into a running portal (both databases), its people
/// imported, and its headline behaviours checked by requirement ID: who signs what and when, the gate, its filter
/// profiles and schedules. The server's clock is Wednesday 25/11/2026 10:00, a school day in every seed's calendar.
/// Finer behaviours have their own tests (named in docs/requirements.md); these prove the schools run as a whole.
/// </summary>
public sealed class SeedSchoolEndToEndTests
{
    private const string Wednesday10 = "25/11/2026 10:00";

    private static void ShouldOwe(IReadOnlyList<RequiredAgreement> owed, string agreementId, bool self, bool parent)
    {
        var agreement = owed.SingleOrDefault(a => a.AgreementId == agreementId)
            .ShouldNotBeNull($"should owe '{agreementId}'; owes {string.Join(", ", owed.Select(a => a.AgreementId))}");
        agreement.NeedsSelf.ShouldBe(self, $"{agreementId}: signed by the person themself");
        agreement.NeedsParent.ShouldBe(parent, $"{agreementId}: signed by a parent");
        agreement.State.ShouldNotBe(AgreementState.Signed);
    }

    private static async Task ShouldBlockAsync(SeedSchool school, Person person, string host, Category category, string when = Wednesday10)
    {
        var decision = await school.FilterAsync(person, host, when);
        decision.Outcome.ShouldBe(DecisionOutcome.Block, $"{school.SchoolId}: {host} for {person.FullName} at {when}");
        decision.Category.ShouldBe(category);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Wetherby_W6PupilAndParentSignYearly_W4ProhibitedContentBlocked(DatabaseProvider provider)
    {
        await using var school = await SeedSchool.StartAsync(provider, "wetherby.yaml", "wetherby");
        await school.ImportAsync(ImportKind.Pupils, """
            Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
            W001,Oscar,Hale,Year 3,3H,01/09/2023,Clara Hale,clara.hale@parents.test,Mother
            W002,Ivy,Rowe,Reception,RR,02/09/2026,Tom Rowe,tom.rowe@parents.test,Father
            """);
        var oscar = await school.PersonAsync("W001");
        var clara = await school.PersonAsync("clara.hale@parents.test");

        // W6: Appendix 1 is signed by the pupil and a parent, each with name and date, every academic year.
        ShouldOwe(await school.OwesAsync(oscar), "pupil-parent", self: true, parent: true);
        await school.SignAsync(oscar, oscar, "pupil-parent");
        (await school.OwesAsync(oscar)).Single(a => a.AgreementId == "pupil-parent").State.ShouldNotBe(AgreementState.Signed, "the parent has not signed yet");
        await school.SignAsync(oscar, clara, "pupil-parent");
        (await school.OwesAsync(oscar)).Single(a => a.AgreementId == "pupil-parent").State.ShouldBe(AgreementState.Signed);

        // W4 (Appendix 2): gambling and pornography are blocked for pupils.
        await ShouldBlockAsync(school, oscar, "www.bet365.com", Category.Gambling);
        await ShouldBlockAsync(school, oscar, "pornhub.com", Category.Pornography);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Omnicom_O13AgreementPerAudience_O7StaffSocialMediaOnlyOutsideContactTime(DatabaseProvider provider)
    {
        await using var school = await SeedSchool.StartAsync(provider, "omnicom-primary.yaml", "omnicom-primary");
        await school.ImportAsync(ImportKind.Pupils, """
            Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
            O001,Maya,Fenn,Year 3,3F,01/09/2023,Rosa Fenn,rosa.fenn@parents.test,Mother
            O002,Jack,Stone,Year 5,5S,01/09/2021,Ian Stone,ian.stone@parents.test,Father
            """);
        await school.ImportAsync(ImportKind.Staff, """
            Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
            OS1,Dana,Price,d.price@omnicom.test,Class Teacher,3F,Staff,,01/09/2020
            OG1,Bill,Marsh,b.marsh@governors.test,Governor,,governor,,01/09/2019
            """);
        var maya = await school.PersonAsync("O001");
        var jack = await school.PersonAsync("O002");
        var rosa = await school.PersonAsync("rosa.fenn@parents.test");
        var dana = await school.PersonAsync("OS1");
        var bill = await school.PersonAsync("OG1");

        // O13: Years 3–4 and a parent sign the younger-pupil agreement; Years 5–6 the older-pupil one themselves;
        // parents the parent agreement; staff and governors the staff agreement.
        ShouldOwe(await school.OwesAsync(maya), "younger-pupils", self: true, parent: true);
        ShouldOwe(await school.OwesAsync(jack), "older-pupils", self: true, parent: false);
        ShouldOwe(await school.OwesAsync(rosa), "parents", self: true, parent: false);
        ShouldOwe(await school.OwesAsync(dana), "staff", self: true, parent: false);
        ShouldOwe(await school.OwesAsync(bill), "staff", self: true, parent: false);

        // The staff agreement withholds login until it is signed.
        (await school.GateAsync(dana)).IsAllowed(AccessKind.Login).ShouldBeFalse();
        await school.SignAsync(dana, dana, "staff");
        (await school.GateAsync(dana)).IsAllowed(AccessKind.Login).ShouldBeTrue();

        // O7: staff social networking is blocked in contact time on a school day and allowed after it.
        await ShouldBlockAsync(school, dana, "www.facebook.com", Category.SocialNetworking);
        (await school.FilterAsync(dana, "www.facebook.com", "25/11/2026 16:30")).Outcome.ShouldBe(DecisionOutcome.Allow);
        // Pupils never get it.
        await ShouldBlockAsync(school, jack, "www.facebook.com", Category.SocialNetworking, "25/11/2026 16:30");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task WestbrookHay_H2ParentsOfYoungerPupilsSignBeforeNetworkAccess_H11ForbiddenMaterialBlocked(DatabaseProvider provider)
    {
        await using var school = await SeedSchool.StartAsync(provider, "westbrook-hay.yaml", "westbrook-hay");
        await school.ImportAsync(ImportKind.Pupils, """
            Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
            H001,Poppy,Lane,Year 1,1L,01/09/2025,Kate Lane,kate.lane@parents.test,Mother
            H002,Sam,Ward,Year 6,6W,01/09/2020,Rob Ward,rob.ward@parents.test,Father
            """);
        var poppy = await school.PersonAsync("H001");
        var kate = await school.PersonAsync("kate.lane@parents.test");
        var sam = await school.PersonAsync("H002");

        // H2: the parent of a younger pupil signs (the child does not), and network access waits for it.
        ShouldOwe(await school.OwesAsync(poppy), "younger-pupils", self: false, parent: true);
        (await school.GateAsync(poppy)).IsAllowed(AccessKind.Network).ShouldBeFalse();
        await school.SignAsync(poppy, kate, "younger-pupils", className: "1L");
        (await school.GateAsync(poppy)).IsAllowed(AccessKind.Network).ShouldBeTrue();

        // H2: a prep pupil signs themself.
        ShouldOwe(await school.OwesAsync(sam), "pupils", self: true, parent: false);
        (await school.GateAsync(sam)).IsAllowed(AccessKind.Network).ShouldBeFalse();

        // H11: forbidden material is blocked for pupils.
        await ShouldBlockAsync(school, sam, "pornhub.com", Category.Pornography);
        await ShouldBlockAsync(school, poppy, "pornhub.com", Category.Pornography);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Westfield_F15StaffAcknowledgementNeedsJobTitle(DatabaseProvider provider)
    {
        await using var school = await SeedSchool.StartAsync(provider, "westfield.yaml", "westfield");
        await school.ImportAsync(ImportKind.Staff, """
            Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
            FS1,Tara,Teach,t.teach@westfield.test,Class Teacher,4T,Staff,,01/09/2020
            """);
        var tara = await school.PersonAsync("FS1");

        // F15: full name, job title, signature and date; renewed every academic year.
        ShouldOwe(await school.OwesAsync(tara), "staff", self: true, parent: false);
        (await Should.ThrowAsync<DomainException>(() => school.SignAsync(tara, tara, "staff"))).Message.ShouldContain("job title");
        await school.SignAsync(tara, tara, "staff", jobTitle: "Class Teacher");
        (await school.OwesAsync(tara)).Single(a => a.AgreementId == "staff").State.ShouldBe(AgreementState.Signed);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Westfield_F11PhotosOnlyWithinEachChildsPermissions_FirstNamesOnly(DatabaseProvider provider)
    {
        await using var school = await SeedSchool.StartAsync(provider, "westfield.yaml", "westfield");
        await school.ImportAsync(ImportKind.Pupils, """
            Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
            F001,Isla,Marsh,Year 4,4T,01/09/2022,Eve Marsh,eve.marsh@parents.test,Mother
            F002,Omar,Haddad,Year 4,4T,01/09/2022,Sami Haddad,sami.haddad@parents.test,Father
            """);
        var isla = await school.PersonAsync("F001");
        var omar = await school.PersonAsync("F002");
        var kate = await Portal.PortalTestKit.CreateUserAsync(school.Server, "k.beattie@westfield.test", "computing_lead", schoolId: "westfield");
        var actor = new Brightline.Consents.ConsentActor("westfield", kate.Id, kate.UserName!);

        await using var scope = school.Server.CreateScope();
        var consents = scope.ServiceProvider.GetRequiredService<Brightline.Consents.ConsentRegister>();
        // F11: Isla's mother says yes to the website on the paper form; Omar's father has not answered; Isla's press consent is withdrawn.
        await consents.RecordAsync(actor, isla.Id, "website-photos", true, ConsentMethod.Paper, null, "Eve Marsh", null, CancellationToken.None);
        await consents.RecordAsync(actor, isla.Id, "press-photos", false, ConsentMethod.Withdrawal, null, "Eve Marsh", "Told the office by phone on 24/11/2026.", CancellationToken.None);

        var islaOnWebsite = await consents.CheckPublicationAsync("westfield", [isla.Id], "website", kate.UserName!, CancellationToken.None);
        islaOnWebsite.Allowed.ShouldBeTrue();
        islaOnWebsite.Reminders.ShouldContain("First names only: no surnames in captions, file names or tags.");

        var both = await consents.CheckPublicationAsync("westfield", [isla.Id, omar.Id], "website", kate.UserName!, CancellationToken.None);
        both.Allowed.ShouldBeFalse("Omar's parents have not given photo permission");
        both.Gaps.Single().Child.Id.ShouldBe(omar.Id);
        both.Gaps.Single().LacksParental.ShouldBeTrue();

        var islaInThePress = await consents.CheckPublicationAsync("westfield", [isla.Id], "press", kate.UserName!, CancellationToken.None);
        islaInThePress.Allowed.ShouldBeFalse("the press consent was withdrawn");
        islaInThePress.Gaps.Single().Reason.ShouldContain("a parent said no");
        islaInThePress.Gaps.Single().Reason.ShouldNotContain("Marsh", Case.Sensitive, "first names only");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task StClements_C1StaffSignBeforeLogin_C9PupilsSignTheirKeyStageAgreement_C4GamblingBlocked(DatabaseProvider provider)
    {
        await using var school = await SeedSchool.StartAsync(provider, "st-clements.yaml", "st-clements");
        await school.ImportAsync(ImportKind.Pupils, """
            Admission No,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
            C001,Ruby,Okafor,Year 2,2O,01/09/2024,Ada Okafor,ada.okafor@parents.test,Mother
            C002,Leo,Grant,Year 5,5G,01/09/2021,Mia Grant,mia.grant@parents.test,Mother
            """);
        await school.ImportAsync(ImportKind.Staff, """
            Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
            CS1,Nina,Cole,n.cole@stclements.test,Class Teacher,2O,Staff,,01/09/2020
            """);
        var ruby = await school.PersonAsync("C001");
        var leo = await school.PersonAsync("C002");
        var nina = await school.PersonAsync("CS1");

        // C1: staff sign before a login password is granted.
        ShouldOwe(await school.OwesAsync(nina), "staff", self: true, parent: false);
        (await school.GateAsync(nina)).IsAllowed(AccessKind.Login).ShouldBeFalse();
        await school.SignAsync(nina, nina, "staff");
        (await school.GateAsync(nina)).IsAllowed(AccessKind.Login).ShouldBeTrue();

        // C9: Reception to Year 6 sign the child-friendly agreement of their key stage, every academic year.
        ShouldOwe(await school.OwesAsync(ruby), "ks1-pupil", self: true, parent: false);
        ShouldOwe(await school.OwesAsync(leo), "ks2-pupil", self: true, parent: false);
        (await school.GateAsync(leo)).IsAllowed(AccessKind.Internet).ShouldBeFalse();
        await school.SignAsync(leo, leo, "ks2-pupil", className: "5G");
        (await school.GateAsync(leo)).IsAllowed(AccessKind.Internet).ShouldBeTrue();

        // C4: no gambling.
        await ShouldBlockAsync(school, leo, "www.bet365.com", Category.Gambling);
    }
}
