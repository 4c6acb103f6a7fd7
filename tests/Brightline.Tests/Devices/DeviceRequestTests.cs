using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.DeviceRequests;
using Brightline.Kernel;
using Brightline.Network;
using Microsoft.EntityFrameworkCore;
using static Brightline.Tests.Devices.DeviceRequestWorld;

namespace Brightline.Tests.Devices;

/// <summary>
/// Personal-device and removable-media requests (issue 14, point 2) against each seed school's rules, on SQLite and
/// PostgreSQL: who may ask for whom, the policy's refusals in its own words, required attestations, who decides, the
/// register row an approval writes, expiry with the network told, reminders and renewal.
/// </summary>
public sealed class DeviceRequestTests
{
    private const string WestbrookPupils = """
        Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
        H001,,Poppy,Hill,Reception,R Oak,01/09/2026,Rachel Hill,rachel.hill@parents.test,Mother
        H002,,Oscar,Hill,Year 4,4 Ash,01/09/2022,Rachel Hill,rachel.hill@parents.test,Mother
        H003,,Mia,Stone,Year 4,4 Elm,01/09/2022,Tom Stone,tom.stone@parents.test,Father
        """;

    private const string WestbrookStaff = """
        Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
        S01,Helen,Marsh,h.marsh@westbrook.test,Head,,staff,head,01/09/2015
        S02,Ben,Cole,b.cole@westbrook.test,Teacher,4 Ash,staff,,01/09/2019
        """;

    private static readonly NewDeviceRequest Phone = new(Guid.Empty, "personal_device", "phone", "Black phone in a red case", "Apple iPhone 13", "F2LX81234",
        "AA-BB-CC-DD-EE-01", "Walks home alone on Tuesdays", ["passcode"]);

    /// <summary>H3: nobody in EYFS may ask (the policy's words come back, the refusal is audited, nothing stored); other pupils need the head.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task H3_EyfsMayNotAsk_OtherPupilsNeedTheHead_ApprovalRegistersTheDevice_ExpiryWithdrawsIt(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        await LoadSchoolAsync(server, "westbrook-hay", WestbrookPupils, WestbrookStaff);
        var poppy = await PersonAsync(server, "westbrook-hay", p => p.ExternalId == "H001");
        var oscar = await PersonAsync(server, "westbrook-hay", p => p.ExternalId == "H002");
        var mia = await PersonAsync(server, "westbrook-hay", p => p.ExternalId == "H003");
        var rachel = await PersonAsync(server, "westbrook-hay", p => p.Email == "rachel.hill@parents.test");
        var parent = await ActorAsync(server, "westbrook-hay", rachel, "rachel.hill@parents.test", "parent");
        var head = await ActorAsync(server, "westbrook-hay", await PersonAsync(server, "westbrook-hay", p => p.ExternalId == "S01"), "h.marsh@westbrook.test", "head");
        var teacher = await ActorAsync(server, "westbrook-hay", await PersonAsync(server, "westbrook-hay", p => p.ExternalId == "S02"), "b.cole@westbrook.test", "teacher");

        // The parent may ask for both children, and for nobody else's.
        var askable = await WithAsync(server, (s, _) => s.AskableAsync(parent, CancellationToken.None));
        askable.Where(a => a.As == "parent").Select(a => a.Person.Id).ShouldBe([oscar.Id, poppy.Id], ignoreOrder: true);
        await Should.ThrowAsync<NotFoundException>(() => AskAsync(server, parent, Phone with { PersonId = mia.Id }));

        // H3: EYFS — the form's check and the ask both give the policy's reason; the refusal is audited, nothing stored.
        var check = await WithAsync(server, (s, _) => s.CheckAsync(parent, poppy.Id, "personal_device", CancellationToken.None));
        check.Allowed.ShouldBeFalse();
        check.Refusal.ShouldBe(EyfsReason);
        (await Should.ThrowAsync<ForbiddenException>(() => AskAsync(server, parent, Phone with { PersonId = poppy.Id }))).Message.ShouldBe(EyfsReason);
        (await DbAsync(server, db => db.AuditEntries.CountAsync(e => e.Action == DeviceRequestService.AuditNotAllowed))).ShouldBe(1);

        // H3: Oscar (Year 4) may ask, with the passcode attested; without it the policy's list comes back.
        (await Should.ThrowAsync<InvalidException>(() => AskAsync(server, parent, Phone with { PersonId = oscar.Id, Attestations = [] })))
            .Message.ShouldContain("password, pin or fingerprint");
        (await Should.ThrowAsync<InvalidException>(() => AskAsync(server, parent, Phone with { PersonId = oscar.Id, Macs = "not-a-mac" })))
            .Message.ShouldContain("not a MAC address");
        (await DbAsync(server, db => db.Set<DeviceRequest>().CountAsync())).ShouldBe(0);
        var asked = await AskAsync(server, parent, Phone with { PersonId = oscar.Id });
        asked.State.ShouldBe(DeviceRequestState.Pending);
        asked.RequestedAs.ShouldBe("parent");
        asked.Requirement.ShouldBe("H3");
        asked.Macs.ShouldBe("aa:bb:cc:dd:ee:01");
        asked.AttestedBy.ShouldBe("Rachel Hill");

        // The head is emailed a link (the school and the child's name, nothing else); the teacher is not an approver.
        var outbox = await DbAsync(server, db => db.EmailOutbox.AsNoTracking().Where(m => m.Purpose == "device-request").ToListAsync());
        var toHead = outbox.ShouldHaveSingleItem();
        toHead.Recipient.ShouldBe("h.marsh@westbrook.test");
        toHead.Subject.ShouldContain("Westbrook Hay");
        toHead.TextBody.ShouldContain($"/devices/requests/{asked.Id}");
        toHead.TextBody.ShouldNotContain("Walks home");

        // Only the head decides (H3): not the teacher, not the parent who asked.
        await Should.ThrowAsync<ForbiddenException>(() => DecideAsync(server, teacher, asked.Id, true));
        await Should.ThrowAsync<ForbiddenException>(() => DecideAsync(server, parent, asked.Id, true));
        var approved = await DecideAsync(server, head, asked.Id, true);
        approved.State.ShouldBe(DeviceRequestState.Approved);
        approved.ExpiresAt.ShouldBe(approved.DecidedAt!.Value + Year);
        await Should.ThrowAsync<ConflictException>(() => DecideAsync(server, head, asked.Id, false, "changed my mind"));

        // The register: a personal device in use, Oscar's, with its MAC and no device group; history and the attestation.
        var device = await DbAsync(server, db => db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == approved.DeviceId));
        device.Ownership.ShouldBe(DeviceOwnership.Personal);
        device.State.ShouldBe(DeviceState.InUse);
        device.PersonId.ShouldBe(oscar.Id);
        device.Kind.ShouldBe(DeviceKind.Phone);
        device.Macs.ShouldBe("aa:bb:cc:dd:ee:01");
        device.DeviceGroup.ShouldBeNull();
        device.Serial.ShouldBe("F2LX81234");
        var history = await DbAsync(server, db => db.Set<DeviceHistoryEntry>().AsNoTracking().Where(h => h.DeviceId == device.Id).OrderBy(h => h.Id).ToListAsync());
        history[0].Action.ShouldBe("registered");
        history[0].Detail.ShouldContain($"approved request {asked.Id}");
        history.Select(h => h.Action).ShouldContain("attested.passcode");
        var attestation = (await DbAsync(server, db => db.Set<DeviceAttestation>().AsNoTracking().Where(a => a.DeviceId == device.Id).ToListAsync())).ShouldHaveSingleItem();
        attestation.Kind.ShouldBe("passcode");
        attestation.AttestedBy.ShouldBe("Rachel Hill");
        (await DbAsync(server, db => db.AccessChanges.CountAsync(c => c.PersonId == oscar.Id && c.Reason == DeviceRequestService.ChangeApproved))).ShouldBe(1);
        (await DbAsync(server, db => db.EmailOutbox.CountAsync(m => m.Purpose == "device-request-decision" && m.Recipient == "rachel.hill@parents.test"))).ShouldBe(1);
        (await DbAsync(server, db => db.AuditEntries.CountAsync(e => e.Action == DeviceRequestService.AuditApproved && e.Subject == asked.Id.ToString()))).ShouldBe(1);

        // Within the 30 days before expiry the parent is reminded once and may renew; the renewal keeps the device on.
        await RunSweepAsync(server);
        (await DbAsync(server, db => db.EmailOutbox.CountAsync(m => m.Purpose == "device-request-renewal"))).ShouldBe(0);
        (await WithAsync(server, (s, _) => s.RenewableAsync(approved, CancellationToken.None))).ShouldBeFalse();
        server.Clock.Advance(Year - TimeSpan.FromDays(20));
        await RunSweepAsync(server);
        await RunSweepAsync(server);
        var reminder = (await DbAsync(server, db => db.EmailOutbox.AsNoTracking().Where(m => m.Purpose == "device-request-renewal").ToListAsync())).ShouldHaveSingleItem();
        reminder.Recipient.ShouldBe("rachel.hill@parents.test");
        reminder.Subject.ShouldContain("Westbrook Hay");
        var current = await DbAsync(server, db => db.Set<DeviceRequest>().AsNoTracking().SingleAsync(r => r.Id == asked.Id));
        (await WithAsync(server, (s, _) => s.RenewableAsync(current, CancellationToken.None))).ShouldBeTrue();
        var renewal = await AskAsync(server, parent, Phone with { PersonId = oscar.Id, Renews = asked.Id });
        await Should.ThrowAsync<ConflictException>(() => AskAsync(server, parent, Phone with { PersonId = oscar.Id, Renews = asked.Id }));
        var renewed = await DecideAsync(server, head, renewal.Id, true);
        renewed.DeviceId.ShouldBe(device.Id);
        (await DbAsync(server, db => db.Set<DeviceRequest>().AsNoTracking().SingleAsync(r => r.Id == asked.Id))).State.ShouldBe(DeviceRequestState.Expired);
        (await DbAsync(server, db => db.Set<Device>().CountAsync())).ShouldBe(1);

        // A live session on the device's MAC, then the renewed approval runs out: the device is withdrawn (with history),
        // the network is told, and a RADIUS disconnect of the MAC's session is attempted (and audited).
        server.Clock.Advance(Year - TimeSpan.FromDays(1));
        await DbAsync(server, async db =>
        {
            db.Add(new NetworkSession
            {
                Id = Guid.NewGuid(), SchoolId = "westbrook-hay", Nas = "192.0.2.1", NasAddress = "192.0.2.1", AcctSessionId = "s-1", UserName = "aa:bb:cc:dd:ee:01",
                Mac = "aa:bb:cc:dd:ee:01", PersonId = oscar.Id, StartedAt = server.Clock.GetUtcNow(), UpdatedAt = server.Clock.GetUtcNow(),
            });
            return await db.SaveChangesAsync();
        });
        server.Clock.Advance(TimeSpan.FromDays(2));
        await RunSweepAsync(server);
        var withdrawn = await DbAsync(server, db => db.Set<Device>().AsNoTracking().SingleAsync());
        withdrawn.State.ShouldBe(DeviceState.Withdrawn);
        (await DbAsync(server, db => db.Set<DeviceRequest>().AsNoTracking().SingleAsync(r => r.Id == renewal.Id))).State.ShouldBe(DeviceRequestState.Expired);
        (await DbAsync(server, db => db.Set<DeviceHistoryEntry>().AsNoTracking().Where(h => h.DeviceId == device.Id).Select(h => h.Action).ToListAsync()))
            .ShouldContain("state.withdrawn");
        (await DbAsync(server, db => db.AccessChanges.CountAsync(c => c.PersonId == oscar.Id && c.Reason == DeviceRequestService.ChangeWithdrawn))).ShouldBe(1);
        // (The access change may also end it through the owner's sessions; the MAC's own disconnect names the device.)
        (await DbAsync(server, db => db.AuditEntries.Where(e => e.Action == SessionDisconnects.AuditAction).Select(e => e.Detail).ToListAsync()))
            .ShouldContain(d => d != null && d.Contains("approval for personal device", StringComparison.Ordinal));
        (await DbAsync(server, db => db.AuditEntries.CountAsync(e => e.Action == DeviceRequestService.AuditExpired))).ShouldBe(1);
    }

    /// <summary>
    /// H3 (the head approves; W3 and F5 name other approvers, the same rule applies): an approver withdraws an approval
    /// early with a reason — what expiry does (device withdrawn with history, the network told, the MAC's live session
    /// disconnected) — the request is withdrawn with the approval's note kept; nobody else may, and not twice.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task H3_ApproverWithdrawsAnApprovalEarly_AsExpiryDoes_DeviceWithdrawnNetworkToldSessionDisconnected(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        await LoadSchoolAsync(server, "westbrook-hay", WestbrookPupils, WestbrookStaff);
        var oscar = await PersonAsync(server, "westbrook-hay", p => p.ExternalId == "H002");
        var rachel = await PersonAsync(server, "westbrook-hay", p => p.Email == "rachel.hill@parents.test");
        var parent = await ActorAsync(server, "westbrook-hay", rachel, "rachel.hill@parents.test", "parent");
        var head = await ActorAsync(server, "westbrook-hay", await PersonAsync(server, "westbrook-hay", p => p.ExternalId == "S01"), "h.marsh@westbrook.test", "head");
        var teacher = await ActorAsync(server, "westbrook-hay", await PersonAsync(server, "westbrook-hay", p => p.ExternalId == "S02"), "b.cole@westbrook.test", "teacher");
        var asked = await AskAsync(server, parent, Phone with { PersonId = oscar.Id });
        var pending = asked.Id;
        await Should.ThrowAsync<ConflictException>(() => WithAsync(server, (s, _) => s.WithdrawApprovalAsync(head, pending, "Not yet approved", CancellationToken.None)));
        var approved = await DecideAsync(server, head, asked.Id, true, "Agreed with Mrs Hill");
        await DbAsync(server, async db =>
        {
            db.Add(new NetworkSession
            {
                Id = Guid.NewGuid(), SchoolId = "westbrook-hay", Nas = "192.0.2.1", NasAddress = "192.0.2.1", AcctSessionId = "s-9", UserName = "aa:bb:cc:dd:ee:01",
                Mac = "aa:bb:cc:dd:ee:01", PersonId = oscar.Id, StartedAt = server.Clock.GetUtcNow(), UpdatedAt = server.Clock.GetUtcNow(),
            });
            return await db.SaveChangesAsync();
        });

        // Only an approver (the head, H3): not the teacher, not the parent; and with a reason.
        await Should.ThrowAsync<ForbiddenException>(() => WithAsync(server, (s, _) => s.WithdrawApprovalAsync(teacher, asked.Id, "Misused", CancellationToken.None)));
        await Should.ThrowAsync<ForbiddenException>(() => WithAsync(server, (s, _) => s.WithdrawApprovalAsync(parent, asked.Id, "Misused", CancellationToken.None)));
        (await Should.ThrowAsync<InvalidException>(() => WithAsync(server, (s, _) => s.WithdrawApprovalAsync(head, asked.Id, "  ", CancellationToken.None))))
            .Message.ShouldContain("Say why");

        var withdrawn = await WithAsync(server, (s, _) => s.WithdrawApprovalAsync(head, asked.Id, "Used in lessons against the agreement", CancellationToken.None));
        withdrawn.State.ShouldBe(DeviceRequestState.Withdrawn);
        withdrawn.DecisionNote.ShouldNotBeNull();
        withdrawn.DecisionNote.ShouldContain("Agreed with Mrs Hill", Case.Sensitive, "the approval's own note is kept");
        withdrawn.DecisionNote.ShouldContain("Used in lessons against the agreement");
        var device = await DbAsync(server, db => db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == approved.DeviceId));
        device.State.ShouldBe(DeviceState.Withdrawn);
        var last = await DbAsync(server, db => db.Set<DeviceHistoryEntry>().AsNoTracking().Where(h => h.DeviceId == device.Id).OrderByDescending(h => h.Id).FirstAsync());
        last.Action.ShouldBe("state.withdrawn");
        last.Detail.ShouldStartWith("In use → Withdrawn.");
        last.Detail.ShouldContain("withdrawn early");
        (await DbAsync(server, db => db.AccessChanges.CountAsync(c => c.PersonId == oscar.Id && c.Reason == DeviceRequestService.ChangeWithdrawn))).ShouldBe(1);
        (await DbAsync(server, db => db.AuditEntries.Where(e => e.Action == SessionDisconnects.AuditAction).Select(e => e.Detail).ToListAsync()))
            .ShouldContain(d => d != null && d.Contains("was withdrawn", StringComparison.Ordinal));
        (await DbAsync(server, db => db.AuditEntries.CountAsync(e => e.Action == DeviceRequestService.AuditApprovalWithdrawn && e.Subject == asked.Id.ToString()))).ShouldBe(1);
        await Should.ThrowAsync<ConflictException>(() => WithAsync(server, (s, _) => s.WithdrawApprovalAsync(head, asked.Id, "Again", CancellationToken.None)));

        // The sweep later finds nothing to expire: the approval is no longer in force.
        server.Clock.Advance(Year + TimeSpan.FromDays(1));
        await RunSweepAsync(server);
        (await DbAsync(server, db => db.AuditEntries.CountAsync(e => e.Action == DeviceRequestService.AuditExpired))).ShouldBe(0);
    }

    /// <summary>W3 (Wetherby): a member of staff gives permission; removable storage must be virus-checked; a teacher may ask for a pupil in their class only.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task W3_StaffPermission_RemovableStorageVirusChecked_TeacherAsksForOwnClassOnly(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        await LoadSchoolAsync(server, "wetherby", """
            Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
            W001,,Ava,Reid,Year 3,3R,01/09/2023,Sam Reid,sam.reid@parents.test,Mother
            W002,,Max,Lowe,Year 5,5L,01/09/2021,Kim Lowe,kim.lowe@parents.test,Father
            """, """
            Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
            T01,Jo,Penn,j.penn@wetherby.test,Teacher,3R,staff,,01/09/2019
            T02,Al,Ward,a.ward@wetherby.test,Teaching assistant,,staff,,01/09/2019
            """);
        var ava = await PersonAsync(server, "wetherby", p => p.ExternalId == "W001");
        var max = await PersonAsync(server, "wetherby", p => p.ExternalId == "W002");
        var teacher = await ActorAsync(server, "wetherby", await PersonAsync(server, "wetherby", p => p.ExternalId == "T01"), "j.penn@wetherby.test", "teacher");
        var staff = await ActorAsync(server, "wetherby", await PersonAsync(server, "wetherby", p => p.ExternalId == "T02"), "a.ward@wetherby.test", "staff");
        var pen = new NewDeviceRequest(ava.Id, "removable_media", null, "8 GB USB memory stick with project files", null, null, null, "Her science project", []);

        (await Should.ThrowAsync<InvalidException>(() => AskAsync(server, teacher, pen))).Message.ShouldContain("virus-checked");
        await Should.ThrowAsync<NotFoundException>(() => AskAsync(server, teacher, pen with { PersonId = max.Id, Attestations = ["virus_checked"] }));
        var asked = await AskAsync(server, teacher, pen with { Attestations = ["virus_checked"] });
        asked.RequestedAs.ShouldBe("teacher");
        asked.DeviceKind.ShouldBe(DeviceKind.RemovableMedia);
        asked.Requirement.ShouldBe("W3");
        (await DbAsync(server, db => db.EmailOutbox.Where(m => m.Purpose == "device-request").Select(m => m.Recipient).ToListAsync())).ShouldBe(["a.ward@wetherby.test"]);

        // W3's approvers are "staff": the teacher who asked cannot decide it anyway; the member of staff refuses — with a note, never without.
        await Should.ThrowAsync<ForbiddenException>(() => DecideAsync(server, teacher, asked.Id, true));
        (await Should.ThrowAsync<InvalidException>(() => DecideAsync(server, staff, asked.Id, false))).Message.ShouldContain("Say why");
        var refused = await DecideAsync(server, staff, asked.Id, false, "Please email the files instead.");
        refused.State.ShouldBe(DeviceRequestState.Refused);
        refused.DeviceId.ShouldBeNull();
        (await DbAsync(server, db => db.Set<Device>().CountAsync())).ShouldBe(0);
        (await DbAsync(server, db => db.AuditEntries.CountAsync(e => e.Action == DeviceRequestService.AuditRefused))).ShouldBe(1);

        // W3's personal devices: a staff member's permission, nothing to attest.
        var watch = await AskAsync(server, teacher, new NewDeviceRequest(ava.Id, "personal_device", "wearable", "Pink smart watch", null, null, null, "Medical alerts", null));
        (await DecideAsync(server, staff, watch.Id, true)).State.ShouldBe(DeviceRequestState.Approved);
    }

    /// <summary>O19 (Omnicom): the head authorises; encryption (and a passcode) attested; nobody approves their own.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task O19_HeadApproves_EncryptionAttested_NobodyApprovesTheirOwn(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        await LoadSchoolAsync(server, "omnicom-primary", staffCsv: """
            Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
            S01,Ruth,Okafor,r.okafor@omnicom.test,Headteacher,,staff,head,01/09/2015
            S02,Dan,Ives,d.ives@omnicom.test,Teacher,4I,staff,,01/09/2019
            S03,Pat,Lee,p.lee@omnicom.test,Computing lead,,staff,computing_lead,01/09/2019
            """);
        var head = await ActorAsync(server, "omnicom-primary", await PersonAsync(server, "omnicom-primary", p => p.ExternalId == "S01"), "r.okafor@omnicom.test", "head");
        var dan = await PersonAsync(server, "omnicom-primary", p => p.ExternalId == "S02");
        var teacher = await ActorAsync(server, "omnicom-primary", dan, "d.ives@omnicom.test", "teacher");
        var lead = await ActorAsync(server, "omnicom-primary", await PersonAsync(server, "omnicom-primary", p => p.ExternalId == "S03"), "p.lee@omnicom.test", "computing_lead");
        var laptop = new NewDeviceRequest(dan.Id, "personal_device", "laptop", "Grey laptop", "Dell XPS 13", null, null, "Marking at home", ["passcode"]);

        (await Should.ThrowAsync<InvalidException>(() => AskAsync(server, teacher, laptop))).Message.ShouldContain("encrypted");
        var asked = await AskAsync(server, teacher, laptop with { Attestations = ["passcode", "encrypted"], Agreed = true });
        asked.RequestedAs.ShouldBe("self");
        await Should.ThrowAsync<ForbiddenException>(() => DecideAsync(server, lead, asked.Id, true));
        (await DecideAsync(server, head, asked.Id, true)).State.ShouldBe(DeviceRequestState.Approved);
        (await DbAsync(server, db => db.Set<DeviceAttestation>().Select(a => a.Kind).ToListAsync())).ShouldBe(["passcode", "encrypted"], ignoreOrder: true);

        // The head asks for their own USB pen: they may not approve it themselves.
        var own = await AskAsync(server, head, new NewDeviceRequest(head.PersonId!.Value, "removable_media", null, "Encrypted USB pen", null, null, null, "Governors' papers", ["encrypted"]));
        (await Should.ThrowAsync<ForbiddenException>(() => DecideAsync(server, head, own.Id, true))).Message.ShouldContain("you made");
    }

    /// <summary>F5 and F7 (Westfield's policy): removable media encrypted and approved by the computing lead or SLT for 90 days; 2FA for a personal device holding school accounts; pupils not provided for.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task F5_F7_EncryptedMediaByComputingLead_TwoFactorForPersonalDevices(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        await LoadSchoolAsync(server, "westfield", """
            Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
            F001,,Ella,Fox,Year 6,6F,01/09/2020,Ian Fox,ian.fox@parents.test,Father
            """, """
            Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
            S01,Nia,Shaw,n.shaw@westfield.test,Teacher,6F,staff,,01/09/2019
            S02,Raj,Bose,r.bose@westfield.test,Computing lead,,staff,computing_lead,01/09/2019
            """);
        var nia = await PersonAsync(server, "westfield", p => p.ExternalId == "S01");
        var teacher = await ActorAsync(server, "westfield", nia, "n.shaw@westfield.test", "teacher");
        var lead = await ActorAsync(server, "westfield", await PersonAsync(server, "westfield", p => p.ExternalId == "S02"), "r.bose@westfield.test", "computing_lead");
        var ella = await PersonAsync(server, "westfield", p => p.ExternalId == "F001");

        var pen = new NewDeviceRequest(nia.Id, "removable_media", null, "16 GB USB pen", null, null, null, "Reports for the moderation meeting", []);
        (await Should.ThrowAsync<InvalidException>(() => AskAsync(server, teacher, pen))).Message.ShouldContain("(F5)");
        var media = await AskAsync(server, teacher, pen with { Attestations = ["encrypted"] });
        var approved = await DecideAsync(server, lead, media.Id, true, "Extenuating: the moderation laptop has no network.");
        approved.ExpiresAt.ShouldBe(approved.DecidedAt!.Value + TimeSpan.FromDays(90));

        var phone = new NewDeviceRequest(nia.Id, "personal_device", "phone", "White phone", null, null, null, "School email on my phone", ["passcode"]);
        (await Should.ThrowAsync<InvalidException>(() => AskAsync(server, teacher, phone))).Message.ShouldContain("Two-factor sign-in".ToLowerInvariant());
        (await AskAsync(server, teacher, phone with { Attestations = ["two_factor"] })).Requirement.ShouldBe("F7");

        // No rule covers Westfield's pupils: the teacher is told so, in words, and nothing is stored.
        var check = await WithAsync(server, (s, _) => s.CheckAsync(teacher, ella.Id, "personal_device", CancellationToken.None));
        check.Allowed.ShouldBeFalse();
        check.Refusal!.ShouldContain("does not provide");
    }

    /// <summary>C20 and C17 (St Clement's): encrypted pens only and never a rewritable CD; a phone for school email has a passcode.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C20_RewritableCdRefused_EncryptedPenOnly_C17_PhonePasscode(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        await LoadSchoolAsync(server, "st-clements", staffCsv: """
            Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
            S01,Grace,Obi,g.obi@stclements.test,Teacher,Year 3,staff,,01/09/2019
            """);
        var grace = await PersonAsync(server, "st-clements", p => p.ExternalId == "S01");
        var teacher = await ActorAsync(server, "st-clements", grace, "g.obi@stclements.test", "teacher");

        var cd = new NewDeviceRequest(grace.Id, "removable_media", null, "Rewritable CD (CD-RW) of the nativity photos", null, null, null, "Photos for the display", ["encrypted"]);
        (await Should.ThrowAsync<ForbiddenException>(() => AskAsync(server, teacher, cd))).Message.ShouldContain("rewritable CDs (C20)");
        (await DbAsync(server, db => db.Set<DeviceRequest>().CountAsync())).ShouldBe(0);
        (await DbAsync(server, db => db.AuditEntries.CountAsync(e => e.Action == DeviceRequestService.AuditNotAllowed))).ShouldBe(1);

        var pen = cd with { Description = "Encrypted USB pen", Attestations = [] };
        (await Should.ThrowAsync<InvalidException>(() => AskAsync(server, teacher, pen))).Message.ShouldContain("encrypted");
        (await AskAsync(server, teacher, pen with { Attestations = ["encrypted"] })).Requirement.ShouldBe("C20");

        var phone = new NewDeviceRequest(grace.Id, "personal_device", "phone", "Blue phone", null, null, null, "School email", []);
        (await Should.ThrowAsync<InvalidException>(() => AskAsync(server, teacher, phone))).Message.ShouldContain("(C17)");
        (await AskAsync(server, teacher, phone with { Attestations = ["passcode"] })).Requirement.ShouldBe("C17");
    }

    [Fact]
    public void ForbiddenMedia_MatchesEveryWordOfThePhrase_PluralsFolded()
    {
        var rule = Rule("removable_media", ["staff"], ["self"], ["head"], [], "C20", forbidden: ["rewritable CDs"]);
        DeviceRequestService.Forbidden(rule, "CD-RW rewritable cd", null).ShouldBe("rewritable CDs");
        DeviceRequestService.Forbidden(rule, "Rewritable CDs, box of 10", null).ShouldBe("rewritable CDs");
        DeviceRequestService.Forbidden(rule, "A CD of songs", null).ShouldBeNull();
        DeviceRequestService.Forbidden(rule, "Encrypted USB pen", "Kingston IronKey").ShouldBeNull();
    }

    private static async Task RunSweepAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DeviceRequestSweep>(scope.ServiceProvider).RunAsync(CancellationToken.None);
    }
}
