using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.People;
using Brightline.Portal;
using Brightline.Reports;
using Brightline.Sanctions;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Portal.Authorisation;

/// <summary>
/// Two schools on one installation, each with people, a signed-in account for every role the matrix asks
/// about, and one record of every kind a page opens by ID (incident, sanction, approval, custody item,
/// filter request, alert, review pack, signature, account). School A is the example policy; school B is
/// the same policy under another ID and name, with people whose names appear nowhere in school A, so a
/// page that leaks the other school's data shows it in its text.
/// </summary>
internal sealed class MatrixWorld
{
    public const string SchoolA = TestSchool.Id;
    public const string SchoolB = TestSchool.OtherId;

    private MatrixWorld(BrightlineServer server) => Server = server;

    public BrightlineServer Server { get; }

    /// <summary>Signed-in clients by principal name; <see cref="Principals.Anonymous"/> has a client without a cookie.</summary>
    public Dictionary<string, HttpClient> Clients { get; } = new(StringComparer.Ordinal);

    /// <summary>Record IDs by key, e.g. "A.incident", "B.person.pupil", "A.person.other-class".</summary>
    public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

    /// <summary>Text that only pages about school A (or B) may contain: names of people and titles of records.</summary>
    public Dictionary<string, string[]> Markers { get; } = new(StringComparer.Ordinal);

    public static async Task<MatrixWorld> StartAsync(BrightlineServer server, Action<string>? progress = null)
    {
        progress ??= _ => { };
        var world = new MatrixWorld(server);
        await TestSchool.LoadPolicyAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        await TestSchool.LoadOtherSchoolAsync(server);
        progress("policies loaded");
        (await TestSchool.ImportAsync(server, ImportKind.Pupils, OtherPupilsCsv, schoolId: SchoolB)).Errors.ShouldBeEmpty();
        (await TestSchool.ImportAsync(server, ImportKind.Staff, OtherStaffCsv, schoolId: SchoolB)).Errors.ShouldBeEmpty();

        // Names, record titles and the accounts' addresses (the audit log shows who signed in).
        world.Markers["A"] =
        [
            "Amelia Jones", "Leo Khan", "Sarah Jones", "A-incident Tablet left unlocked", "A-custody Red phone", "a-filter-request.test", "A-alert", "A-network-user", "A-network-reject", "A-register Laptop",
            .. Principals.All.Where(p => p.School == "A" && p.Role is not null).Select(p => $"\"{p.Name}@matrix.test"),
            .. Principals.All.Where(p => p.School == "A" && p.Role is not null).Select(p => $">{p.Name}@matrix.test"),
        ];
        world.Markers["B"] =
        [
            "Zephyrine Quill", "Bartholomew Vane", "Ottilie Quill", "Quillfield", "B-incident Tablet left unlocked", "B-custody Red phone", "b-filter-request.test", "B-alert", "B-network-user", "B-network-reject", "B-register Laptop",
            .. Principals.All.Where(p => p.School == "B").Select(p => $"{p.Name}@matrix.test<"),
        ];

        progress("people imported");
        await world.ArrangeSchoolAsync("A", SchoolA, ownPupil: "A001", otherPupil: "A004", parent: "sarah.jones@parents.test", teacher: "S01");
        await world.ArrangeSchoolAsync("B", SchoolB, ownPupil: "B001", otherPupil: "B002", parent: "ottilie.quill@parents-b.test", teacher: "BS01");
        progress("records arranged");
        await world.SignInEveryoneAsync();
        progress("signed in");
        return world;
    }

    public string Id(string key) => Ids.TryGetValue(key, out var id) ? id : throw new KeyNotFoundException($"No sample record '{key}'.");

    private async Task ArrangeSchoolAsync(string label, string schoolId, string ownPupil, string otherPupil, string parent, string teacher)
    {
        await using var scope = Server.CreateScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<BrightlineDbContext>();
        var now = Server.Clock.GetUtcNow();
        Person Find(string externalId) => db.People.AsNoTracking().Single(p => p.SchoolId == schoolId && p.ExternalId == externalId);
        var pupil = Find(ownPupil);
        var other = Find(otherPupil);
        var parentPerson = Find(parent);
        var teacherPerson = Find(teacher);
        Ids[$"{label}.person.pupil"] = pupil.Id.ToString();
        Ids[$"{label}.person.other-class"] = other.Id.ToString();
        Ids[$"{label}.person.parent"] = parentPerson.Id.ToString();
        Ids[$"{label}.person.teacher"] = teacherPerson.Id.ToString();

        // Everyone the matrix signs in as has signed what they owe, so the C8 gate does not stand in front of the pages.
        foreach (var person in new[] { pupil, parentPerson, teacherPerson })
        {
            Ids[$"{label}.signature.{person.ExternalId}"] = await SignEverythingAsync(sp, schoolId, person, parentPerson);
        }

        Ids[$"{label}.signature"] = Ids[$"{label}.signature.{pupil.ExternalId}"];

        var incident = await sp.GetRequiredService<IncidentService>().CreateAsync(new NewIncident(schoolId, IncidentKinds.Behaviour, $"{label}-incident Tablet left unlocked",
            [pupil.Id], ["pupil-kind-online"], "Found unlocked at break.", "matrix@school.test", Notify: false), CancellationToken.None);
        Ids[$"{label}.incident"] = incident.Id.ToString();
        var sanction = await sp.GetRequiredService<SanctionService>().ImposeAsync(new ImposeSanction(
            schoolId, pupil.Id, SanctionKind.RestrictCategories, "Games in lessons", now.AddDays(7), ["games"], "matrix@school.test"), CancellationToken.None);
        Ids[$"{label}.sanction"] = sanction.Id.ToString();
        var pack = await sp.GetRequiredService<ReviewPackService>().CreateAsync(schoolId,
            new ReportPeriod(new DateOnly(2026, 9, 1), new DateOnly(2026, 11, 20), "Autumn"), "None", "matrix@school.test", CancellationToken.None,
            storedWithoutSelfTestBecause: "The matrix world runs no DNS filter.");
        Ids[$"{label}.review"] = pack.Id.ToString();

        var custody = new CustodyItem
        {
            Id = Guid.NewGuid(), SchoolId = schoolId, Description = $"{label}-custody Red phone", Origin = CustodyOrigin.Seized, Reason = "Used in a lesson",
            TakenBy = "Matrix Teacher", TakenAt = now, RecordedBy = "matrix@school.test", RecordedAt = now, OwnerPersonId = pupil.Id,
        };
        var approval = new ApprovalRequest
        {
            Id = Guid.NewGuid(), SchoolId = schoolId, TypeId = "exemption", Kind = "exemption", Status = ApprovalState.Pending, RequestedBy = "matrix@school.test",
            Reason = $"{label}-approval reason", CreatedAt = now, SubjectPersonId = teacherPerson.Id,
        };
        var request = new FilterRequest
        {
            SchoolId = schoolId, Kind = FilterRequestKind.Unblock, Status = FilterRequestState.Pending, Host = $"{label.ToLowerInvariant()}-filter-request.test", Reason = "For a lesson",
            PersonId = pupil.Id, CreatedAt = now,
        };
        var device = new MonitoringDevice
        {
            Id = Guid.NewGuid(), SchoolId = schoolId, Name = $"{label} class laptop", TokenHash = Convert.ToHexString(Guid.NewGuid().ToByteArray()),
            TokenPrefix = label + "tok", CreatedAt = now, CreatedBy = "matrix@school.test",
        };
        // Issue 13: a live network session and a refused sign-in, as RADIUS accounting and authentication record them.
        var session = new NetworkSession
        {
            Id = Guid.NewGuid(), SchoolId = schoolId, Nas = "10.0.0.2", NasAddress = "10.0.0.2", AcctSessionId = $"{label}-acct-1", Network = "pupil-wifi",
            UserName = $"{label}-network-user", PersonId = pupil.Id, Mac = "3C-22-FB-00-00-01", Address = "10.20.21.5", Vlan = "21", StartedAt = now, UpdatedAt = now,
        };
        var reject = new NetworkReject
        {
            Id = Guid.NewGuid(), SchoolId = schoolId, At = now, UserName = $"{label}-network-reject", PersonId = other.Id, Mac = "3C-22-FB-00-00-02", Network = "pupil-wifi",
            Code = "wrong-password", Message = "Network access refused: the password is not right.",
        };
        db.AddRange(custody, approval, request, device, session, reject);
        await db.SaveChangesAsync();
        // Already scanned, so the scoring worker leaves it alone; the alert below stands for what it found.
        var seen = new MonitoringEvent
        {
            SchoolId = schoolId, DeviceId = device.Id, ClientEventId = label + "-event-1", Kind = MonitoringEventKind.TypedText, OccurredAt = now, ReceivedAt = now,
            PersonId = pupil.Id, Text = $"{label}-alert nobody likes you", ScannedAt = now,
        };
        db.Add(seen);
        await db.SaveChangesAsync();
        var alert = new MonitoringAlert
        {
            EventId = seen.Id,
            SchoolId = schoolId, PersonId = pupil.Id, DeviceId = device.Id, Category = "bullying", Severity = "medium", SeverityRank = 1, Status = MonitoringAlertStatus.Open,
            Score = 40, HitCount = 1, FirstAt = now, LastAt = now, CreatedAt = now, Phrase = "nobody likes you", Context = $"{label}-alert nobody likes you",
        };
        db.Add(alert);
        await db.SaveChangesAsync();
        var exception = new MonitoringException
        {
            SchoolId = schoolId, Phrase = $"{label}-exception nobody likes you in the play", Category = "bullying", State = MonitoringExceptionState.Proposed, SourceAlertId = alert.Id,
            MatchedPhrase = "nobody likes you", ProposedBy = "matrix@school.test", ProposedAt = now,
        };
        db.Add(exception);
        await db.SaveChangesAsync();
        // Issue 14: a device in the register, assigned to the school's teacher.
        var registered = new Brightline.Data.Entities.Device
        {
            Id = Guid.NewGuid(), SchoolId = schoolId, AssetTag = $"{label}-TAG-1", Kind = DeviceKind.Laptop, Model = "Matrix laptop", Name = $"{label}-register Laptop",
            Ownership = DeviceOwnership.School, State = DeviceState.InUse, PersonId = teacherPerson.Id, Macs = "", CreatedAt = now, CreatedBy = "matrix@school.test", UpdatedAt = now,
        };
        db.Add(registered);
        await db.SaveChangesAsync();
        Ids[$"{label}.device"] = registered.Id.ToString();
        Ids[$"{label}.custody"] = custody.Id.ToString();
        Ids[$"{label}.network-session"] = session.Id.ToString();
        Ids[$"{label}.approval"] = approval.Id.ToString();
        Ids[$"{label}.filter-request"] = request.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Ids[$"{label}.alert"] = alert.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Ids[$"{label}.monitoring-exception"] = exception.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> SignEverythingAsync(IServiceProvider sp, string schoolId, Person person, Person parent)
    {
        var agreements = sp.GetRequiredService<AgreementService>();
        string? first = null;
        foreach (var required in await agreements.ForPersonAsync(schoolId, person.Id, CancellationToken.None))
        {
            if (required.NeedsSelf && !required.SelfSigned)
            {
                var signed = await agreements.SignAsync(new SignRequest(schoolId, person.Id, person.Id, required.AgreementId, person.FullName, "Teacher", null, true,
                    SignatureMethod.Portal, "127.0.0.1", "test"), CancellationToken.None);
                first ??= signed.Id.ToString();
            }

            if (required.NeedsParent && !required.ParentSigned)
            {
                var signed = await agreements.SignAsync(new SignRequest(schoolId, person.Id, parent.Id, required.AgreementId, parent.FullName, null, null, false,
                    SignatureMethod.Portal, "127.0.0.1", "test"), CancellationToken.None);
                first ??= signed.Id.ToString();
            }
        }

        return first ?? Guid.Empty.ToString();
    }

    private async Task SignInEveryoneAsync()
    {
        Clients[Principals.Anonymous] = Server.CreateClient();
        foreach (var principal in Principals.All.Where(p => p.Role is not null))
        {
            var school = principal.School == "B" ? SchoolB : SchoolA;
            Guid? person = principal.PersonKey is { } key ? Guid.Parse(Id($"{principal.School}.person.{key}")) : null;
            var email = $"{principal.Name}@matrix.test";
            var user = await CreateUserAsync(Server, email, principal.Role!, person, school);
            Ids[$"{principal.School}.account.{principal.Name}"] = user.Id;
            Clients[principal.Name] = PortalRoles.RequireTwoFactor.Contains(principal.Role!)
                ? await SignInEnrolledAsync(Server, user)
                : await SignInAsync(email);
            if (person is { } id)
            {
                await AcknowledgeAsync(school, id);
            }
        }

        Ids["A.account"] = Id("A.account.teacher");
        Ids["B.account"] = Id("B.account.teacher-b");
    }

    /// <summary>Records, once, each acknowledgement the person owes (some are due at every sign-in, so after the sign-in).</summary>
    private async Task AcknowledgeAsync(string schoolId, Guid personId)
    {
        await using var scope = Server.CreateScope();
        var acknowledgements = scope.ServiceProvider.GetRequiredService<AcknowledgementService>();
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        while (await acknowledgements.DueAsync(schoolId, personId, CancellationToken.None) is { } due && recorded.Add(due.Id))
        {
            await acknowledgements.RecordAsync(schoolId, personId, due.Id, "127.0.0.1", CancellationToken.None);
        }
    }

    private async Task<HttpClient> SignInAsync(string email)
    {
        var client = Server.CreateClient();
        (await LoginAsync(client, email)).ShouldRedirectTo("/");
        return client;
    }

    private const string OtherPupilsCsv = """
        Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
        B001,K801200200001,Zephyrine,Quill,Year 3,3 Oak,01/09/2023,Ottilie Quill,ottilie.quill@parents-b.test,Mother
        B002,K801200200002,Bartholomew,Vane,Y5,5 Ash,01/09/2021,Cressida Vane,cressida.vane@parents-b.test,Mother
        """;

    private const string OtherStaffCsv = """
        Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
        BS01,Peregrine,Quillfield-Teacher,p.teacher@other-b.test,Class Teacher,3 Oak,Staff,,01/09/2019
        """;
}
