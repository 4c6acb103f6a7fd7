using Brightline.Policy.Model;

namespace Brightline.Policy.Tests;

/// <summary>
/// The <c>devices:</c> section (issue 14): request rules per group (W3, H3, O19, F5, F7, C17, C20), school-device
/// safety (C16, C17), loans (C15), lost property (H15), lost or stolen devices (F7) and leavers (C19), typed and
/// checked with positions like every section; each seed school's rules parsed to the model; the written policy's
/// "Devices" part.
/// </summary>
public sealed class DevicesPolicyTests
{
    private static string With(string section) => PolicyLoaderTests.Valid + "\n" + section;

    private static IReadOnlyList<string> Errors(string yaml) =>
        PolicyLoader.Load(yaml, "test.yaml").Errors.Select(e => e.ToString()).ToList();

    private static string At(string yaml, string text)
    {
        var sectionStart = PolicyLoaderTests.Valid.Split('\n').Length;
        var lines = yaml.Split('\n');
        var line = Enumerable.Range(0, lines.Length).First(i => i >= sectionStart && lines[i].Contains(text, StringComparison.Ordinal));
        return $"test.yaml:{line + 1}:{lines[line].IndexOf(text, StringComparison.Ordinal) + 1}: ";
    }

    private static SchoolPolicy Seed(string file) =>
        PolicyLoader.LoadValid(File.ReadAllText(Path.Combine(RepoFiles.PoliciesDir, file)), file);

    private const string Full = """
        devices:
          kinds: [phone, laptop, tablet, removable_media]
          requests:
            - kind: personal_device
              groups: [ks1]
              allowed: false
              reason: Not in Key Stage 1.
              requirement: H3
            - kind: personal_device
              groups: [staff]
              requesters: [self]
              approvers: [head, computing_lead]
              attest: [encrypted, two_factor]
              duration: 180d
              renew_within: 14d
              requirement: O19
            - kind: removable_media
              groups: [staff]
              approvers: [computing_lead]
              attest: [encrypted, virus_checked]
              forbidden: [rewritable CDs]
              requirement: C20
          school_devices:
            - { kinds: [laptop], attest: [encrypted], requirement: C16 }
          loans: { day_end: "16:00", overdue_notify: [computing_lead, head], return_to_suite: false, charge: true, requirement: C15 }
          lost_property: { custodian: computing_lead, hold: 45d, requirement: H15 }
          lost_or_stolen: { notify: [it_provider, business_manager], incident_category: lost_device, requirement: F7 }
          leavers: { long_absence_days: 15, notify: [business_manager, head], requirement: C19 }
        """;

    [Fact]
    public void Load_WithoutDevicesSection_GivesTheDefaults_AndStatesNothing()
    {
        var devices = PolicyLoader.LoadValid(PolicyLoaderTests.Valid, "test.yaml").Devices;

        devices.Stated.ShouldBeEmpty();
        devices.Requests.ShouldBeEmpty("nobody may ask unless the policy says so");
        devices.RuleFor(DeviceRequestKindKeys.PersonalDevice, "staff").ShouldBeNull();
        devices.Kinds.ShouldContain("wearable");
        devices.Loans.ShouldBe(LoanPolicy.Default);
        devices.LostProperty.ShouldBe(LostPropertyPolicy.Default);
        devices.LostStolen.ShouldBe(LostStolenPolicy.Default);
        devices.Leavers.ShouldBe(LeaversPolicy.Default);
    }

    [Fact]
    public void Load_FullSection_ReadsEveryKey()
    {
        var devices = PolicyLoader.LoadValid(With(Full), "test.yaml").Devices;

        devices.Stated.ShouldBe(["kinds", "requests", "school_devices", "loans", "lost_property", "lost_or_stolen", "leavers"], ignoreOrder: true);
        devices.Kinds.ShouldBe(["phone", "laptop", "tablet", "removable_media"]);
        var refused = devices.RuleFor(DeviceRequestKindKeys.PersonalDevice, "ks1").ShouldNotBeNull();
        refused.Allowed.ShouldBeFalse();
        refused.RefusalReason.ShouldBe("Not in Key Stage 1.");
        refused.Requirement.ShouldBe("H3");
        var staff = devices.RuleFor(DeviceRequestKindKeys.PersonalDevice, "staff").ShouldNotBeNull();
        staff.Allowed.ShouldBeTrue();
        staff.Requesters.ShouldBe(["self"]);
        staff.Approvers.ShouldBe(["head", "computing_lead"]);
        staff.Attestations.ShouldBe(["encrypted", "two_factor"]);
        staff.Duration.ShouldBe(TimeSpan.FromDays(180));
        staff.RenewWithin.ShouldBe(TimeSpan.FromDays(14));
        staff.NetworkAccess.ShouldBeFalse("network access is off unless the rule says network: true");
        var media = devices.RuleFor(DeviceRequestKindKeys.RemovableMedia, "staff").ShouldNotBeNull();
        media.Requesters.ShouldBe(["self"], "a staff-only rule is asked for by the person themselves");
        media.Forbidden.ShouldBe(["rewritable CDs"]);
        media.Duration.ShouldBe(DeviceRequestRule.DefaultDuration);
        media.RenewWithin.ShouldBe(DeviceRequestRule.DefaultRenewWithin);
        devices.SchoolDevices.ShouldHaveSingleItem().ShouldBe(new DeviceSafetyRule(["laptop"], ["encrypted"], "C16"), new DeviceSafetyRuleComparer());
        devices.Loans.DayEnd.ShouldBe(new TimeOnly(16, 0));
        devices.Loans.OverdueNotify.ShouldBe(["computing_lead", "head"]);
        devices.Loans.ReturnToSuite.ShouldBeFalse();
        devices.Loans.Charge.ShouldBeTrue();
        devices.Loans.Requirement.ShouldBe("C15");
        devices.LostProperty.Custodian.ShouldBe("computing_lead");
        devices.LostProperty.HoldTerms.ShouldBeNull();
        devices.LostProperty.HoldDays.ShouldBe(45);
        devices.LostProperty.Remind.ShouldBe(["computing_lead"], "the custodian is reminded unless the policy names others");
        devices.LostStolen.ShouldBe(new LostStolenPolicy(["it_provider", "business_manager"], "lost_device", "F7"), new LostStolenComparer());
        devices.Leavers.LongAbsenceDays.ShouldBe(15);
        devices.Leavers.Notify.ShouldBe(["business_manager", "head"]);
    }

    [Fact]
    public void Load_PupilRuleWithoutRequesters_LetsParentsAndStaffAskToo()
    {
        var devices = PolicyLoader.LoadValid(With("devices:\n  requests:\n    - { kind: personal_device, groups: [ks1], approvers: [head] }\n"), "test.yaml").Devices;

        devices.Requests.ShouldHaveSingleItem().Requesters.ShouldBe(["self", "parent", "teacher"]);
    }

    [Fact]
    public void Load_NetworkPersonalDevices_FillsApprovedPersonalDevices()
    {
        var policy = PolicyLoader.LoadValid(With("""
            network:
              networks:
                - { name: byod, kind: school_devices, ssids: [BYOD], vlan: 45, personal_devices: approved }
                - { name: ipads, kind: school_devices, ssids: [iPads], vlan: 40, personal_devices: never }
                - { name: tablets, kind: school_devices, ssids: [Tablets], vlan: 41 }
            devices:
              requests:
                - { kind: personal_device, groups: [staff], approvers: [head], network: true }
            """), "test.yaml");

        policy.Network.Networks.Select(n => n.ApprovedPersonalDevices).ShouldBe([true, false, false]);
        policy.Devices.Requests.ShouldHaveSingleItem().NetworkAccess.ShouldBeTrue();
    }

    [Fact]
    public void Load_HoldInTerms_CountsTermsAndFallsBackToTheLongestTerm()
    {
        var yaml = PolicyLoaderTests.Valid.Replace("""
                academic_year_start: "09-01"
            """, """
                academic_year_start: "09-01"
                terms:
                  - { name: Autumn, start: 2025-09-03, end: 2025-12-19 }
                  - { name: Spring, start: 2026-01-05, end: 2026-03-27 }
            """, StringComparison.Ordinal) + "\ndevices:\n  lost_property: { hold: 2 terms }\n";

        var lost = PolicyLoader.LoadValid(yaml, "test.yaml").Devices.LostProperty;

        lost.HoldTerms.ShouldBe(2);
        lost.HoldDays.ShouldBe(2 * 108, "two of the longest listed term (3 September to 19 December: 108 days)");
        lost.Custodian.ShouldBe(LostPropertyPolicy.Default.Custodian);
    }

    public static TheoryData<string, string, string> BadSections() => new()
    {
        // Groups, roles, attestations, kinds and keys: each placed where it is written, with a "did you mean".
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [ks2], approvers: [head] }\n", "ks2", "devices request for personal_device refers to group 'ks2', which is not defined; did you mean 'ks1'?" },
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [staff], approvers: [haed] }\n", "haed", "did you mean 'head'?" },
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [staff], approvers: [parent] }\n", "parent", "devices.requests[1].approvers[1] must be one of admin, dsl, deputy_dsl, head, computing_lead, business_manager, it_provider, head_of_year, senior_leadership, it_support, bursar, teacher, staff, not 'parent'" },
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [staff], approvers: [head], attest: [encrypt] }\n", "encrypt]", "must be one of encrypted, passcode, two_factor, virus_checked, not 'encrypt'; did you mean 'encrypted'?" },
        { "devices:\n  requests:\n    - { kind: usb_stick, groups: [staff], approvers: [head] }\n", "usb_stick", "must be one of personal_device, removable_media, not 'usb_stick'" },
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [staff], approver: [head] }\n", "approver:", "unknown key 'approver' in devices.requests[1]; did you mean 'approvers'?" },
        { "devices:\n  loans: { day_ends: \"15:30\" }\n", "day_ends", "unknown key 'day_ends' in devices.loans; did you mean 'day_end'?" },
        { "devices:\n  lost-property: { hold: 30d }\n", "lost-property", "unknown key 'lost-property' in devices; did you mean 'lost_property'?" },
        { "devices:\n  kinds: [phone, smartwatch]\n", "smartwatch", "must be one of phone, laptop, chromebook, tablet, desktop, wearable, recorder, camera, console, removable_media, other, not 'smartwatch'" },
        { "devices:\n  lost_property: { custodian: head_of_it }\n", "head_of_it", "must be one of dsl, deputy_dsl, head, computing_lead, business_manager, it_provider, chair_of_governors, bursar, head_of_year, senior_leadership, it_support, not 'head_of_it'" },
        { "devices:\n  leavers: { notify: [sbm] }\n", "sbm", "devices.leavers.notify[1] must be one of" },
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [staff], approvers: [head], requirement: h3 }\n", "h3", "has an invalid value 'h3' (A requirement ID such as H3.)" },
        // H15: a hold in terms needs the calendar's terms.
        { "devices:\n  lost_property: { hold: 1 term }\n", "1 term", "lost_property 'hold: 1 term' counts school terms, but school.calendar has no 'terms'; add the terms (name, start, end) or give the hold in days (e.g. hold: 90d)" },
        { "devices:\n  lost_property: { hold: 3 fortnights }\n", "3 fortnights", "'hold' has an invalid value '3 fortnights'" },
        { "devices:\n  lost_property: { hold: 0d }\n", "0d", "'hold' has an invalid value '0d'" },
        // H3: a refusal says why, and carries nothing only an allowed request reads.
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [ks1], allowed: false }\n", "false", "devices request for personal_device: 'allowed: false' needs a 'reason'" },
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [ks1], allowed: false, reason: No., approvers: [head] }\n", "approvers", "devices request for personal_device is refused (allowed: false), so nothing reads its 'approvers'; remove it, or allow the request" },
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [ks1], reason: Why not., approvers: [head] }\n", "reason", "devices request for personal_device: 'reason' is shown only when a request is refused" },
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [ks1], reason: \"  \", allowed: false }\n", "\"  \"", "the 'reason' is blank" },
        { "devices:\n  requests:\n    - kind: personal_device\n      groups: [staff]\n", "kind: personal_device", "devices request for personal_device does not say who approves; add e.g. 'approvers: [head]'" },
        // One rule per group and kind: the second would never apply.
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [ks1, staff], approvers: [head] }\n    - { kind: personal_device, groups: [staff], approvers: [staff] }\n", "staff], approvers: [staff]", "group 'staff' is already covered by the personal_device rule at line" },
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [staff, staff], approvers: [head] }\n", "staff]", "groups lists 'staff' twice" },
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [staff], requesters: [parent], approvers: [head] }\n", "parent", "requester 'parent' asks on a pupil's behalf, but none of this rule's groups is a pupil group" },
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [staff], approvers: [head], duration: 30d, renew_within: 30d }\n", "30d }", "'renew_within' (30d) must be shorter than the approval's duration (30d)" },
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [staff], approvers: [head], duration: 0d }\n", "0d", "duration '0d' must be longer than zero" },
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [staff], approvers: [head], network: true }\n", "true", "no network in network.networks says 'personal_devices: approved'" },
        { "devices:\n  requests:\n    - { kind: removable_media, groups: [staff], approvers: [head], network: true }\n", "true", "removable media never joins a network" },
        { "devices:\n  requests:\n    - { kind: personal_device, groups: [staff], approvers: [head], forbidden: [CDs] }\n", "forbidden", "'forbidden' lists media the school never allows (C20: rewritable CDs), so it belongs on a removable_media rule" },
        { "devices:\n  kinds: [phone]\n  school_devices:\n    - { kinds: [laptop], attest: [encrypted] }\n", "laptop", "school_devices names kind 'laptop', which is not in devices.kinds" },
        { "devices:\n  school_devices:\n    - { kinds: [laptop] }\n", "{ kinds: [laptop] }", "devices.school_devices[1] is missing required key 'attest'" },
        { "devices:\n  lost_or_stolen: { incident_category: lost_devices }\n", "lost_devices", "lost_or_stolen 'incident_category' 'lost_devices' is not an incident register; use one of safeguarding, behaviour, staff_violation, security, data_breach, lost_device, filter_report; did you mean 'lost_device'?" },
        // personal_devices only where approved devices join by MAC authentication.
        { "network:\n  networks:\n    - { name: staff, kind: people, ssids: [S], vlans: { staff: 30 }, personal_devices: approved }\n", "approved", "network 'staff' of kind people cannot take approved personal devices" },
        { "network:\n  networks:\n    - { name: g, kind: guest, ssids: [G], vlan: 50, personal_devices: approved }\n", "approved", "network 'g' of kind guest cannot take approved personal devices" },
        { "network:\n  networks:\n    - { name: d, kind: school_devices, ssids: [D], vlan: 40, personal_devices: sometimes }\n", "sometimes", "'personal_devices' must be one of approved, never, not 'sometimes'" },
    };

    [Theory]
    [MemberData(nameof(BadSections))]
    public void Load_BadDevicesSection_IsAnErrorAtThePlace(string section, string at, string message)
    {
        var yaml = With(section);

        var errors = Errors(yaml);
        errors.ShouldContain(e => e.StartsWith(At(yaml, at), StringComparison.Ordinal) && e.Contains(message, StringComparison.Ordinal), string.Join("\n", errors));
    }

    // --- The seed schools ------------------------------------------------------------------------------------

    [Fact]
    public void WestbrookHay_H1_CoversTheDevicesTheSeedLists()
    {
        Seed("westbrook-hay.yaml").Devices.Kinds.ShouldBe(["phone", "laptop", "chromebook", "tablet", "desktop", "wearable", "recorder", "camera", "console"]);
    }

    [Fact]
    public void WestbrookHay_H3_EyfsMayNotAskForPersonalDevice_OthersNeedTheHead()
    {
        var devices = Seed("westbrook-hay.yaml").Devices;

        var eyfs = devices.RuleFor(DeviceRequestKindKeys.PersonalDevice, "eyfs").ShouldNotBeNull();
        eyfs.Allowed.ShouldBeFalse();
        eyfs.RefusalReason.ShouldBe("Personal mobile devices (including wearables) are not allowed in the EYFS setting.");
        eyfs.Requirement.ShouldBe("H3");
        foreach (var group in new[] { "pre_prep", "prep" })
        {
            var rule = devices.RuleFor(DeviceRequestKindKeys.PersonalDevice, group).ShouldNotBeNull();
            rule.Allowed.ShouldBeTrue();
            rule.Approvers.ShouldBe(["head"], "H3: the express permission of the Head Teacher");
            rule.Requesters.ShouldBe(["parent", "teacher"]);
            rule.Requirement.ShouldBe("H3");
        }

        devices.RuleFor(DeviceRequestKindKeys.PersonalDevice, "staff").ShouldBeNull();
    }

    [Fact]
    public void WestbrookHay_H15_FoundDevicesGoToTheHeadOfIt_HeldNoLongerThanATerm()
    {
        var policy = Seed("westbrook-hay.yaml");
        var lost = policy.Devices.LostProperty;

        lost.Custodian.ShouldBe(RoleKeys.ComputingLead);
        policy.Roles.ComputingLead.ShouldNotBeNull().Title.ShouldBe("Head of IT", "the role that holds the Head of IT");
        // The file has no term dates, so "one term" is twelve weeks (a hold in terms would be an error without them).
        policy.School.Calendar.Terms.ShouldBeEmpty();
        lost.HoldTerms.ShouldBeNull();
        lost.HoldDays.ShouldBe(84);
        lost.Remind.ShouldBe([RoleKeys.ComputingLead]);
        lost.Requirement.ShouldBe("H15");
        policy.Policy.Implements.ShouldContain("H15");
    }

    [Fact]
    public void Wetherby_W3_PersonalDevicesWithStaffPermission_RemovableStorageVirusChecked()
    {
        var devices = Seed("wetherby.yaml").Devices;

        foreach (var group in new[] { "eyfs", "pupils" })
        {
            var device = devices.RuleFor(DeviceRequestKindKeys.PersonalDevice, group).ShouldNotBeNull();
            device.Approvers.ShouldBe([PortalRoleKeys.Staff], "W3: a staff member's permission");
            device.Requirement.ShouldBe("W3");
            var media = devices.RuleFor(DeviceRequestKindKeys.RemovableMedia, group).ShouldNotBeNull();
            media.Approvers.ShouldBe([PortalRoleKeys.Staff]);
            media.Attestations.ShouldBe([DeviceAttestationKeys.VirusChecked]);
            media.Requirement.ShouldBe("W3");
        }
    }

    [Fact]
    public void Westfield_F5_RemovableMediaEncrypted_ApprovedByComputingLeadOrSlt()
    {
        var media = Seed("westfield.yaml").Devices.RuleFor(DeviceRequestKindKeys.RemovableMedia, "staff").ShouldNotBeNull();

        media.Approvers.ShouldBe([RoleKeys.ComputingLead, RoleKeys.Head]);
        media.Attestations.ShouldBe([DeviceAttestationKeys.Encrypted]);
        media.Requirement.ShouldBe("F5");
    }

    [Fact]
    public void Westfield_F7_TwoFactorOnPersonalDevices_EncryptedSticks_LossToItProviderAndHeadOrSbm()
    {
        var devices = Seed("westfield.yaml").Devices;

        var personal = devices.RuleFor(DeviceRequestKindKeys.PersonalDevice, "staff").ShouldNotBeNull();
        personal.Attestations.ShouldBe([DeviceAttestationKeys.TwoFactor]);
        personal.Requirement.ShouldBe("F7");
        devices.SchoolDevices.ShouldContain(r => r.Kinds.Contains("removable_media") && r.Attestations.Contains(DeviceAttestationKeys.Encrypted) && r.Requirement == "F7");
        devices.LostStolen.Notify.ShouldBe([RoleKeys.ItProvider, RoleKeys.Head, RoleKeys.BusinessManager]);
        devices.LostStolen.IncidentCategory.ShouldBe(IncidentKindKeys.LostDevice);
        devices.LostStolen.Requirement.ShouldBe("F7");
    }

    [Fact]
    public void Omnicom_O19_HeadAuthorisesEncryptedPersonalDevices()
    {
        var policy = Seed("omnicom-primary.yaml");
        var devices = policy.Devices;

        var rule = devices.RuleFor(DeviceRequestKindKeys.PersonalDevice, "staff").ShouldNotBeNull();
        rule.Approvers.ShouldBe([RoleKeys.Head]);
        rule.Attestations.ShouldContain(DeviceAttestationKeys.Encrypted);
        rule.Requirement.ShouldBe("O19");
        rule.Agreement.ShouldNotBeNull().ShouldContain("remove school data when asked or when I leave");
        devices.RuleFor(DeviceRequestKindKeys.PersonalDevice, "upper_ks2").ShouldBeNull("O21: pupils use only school devices");
        // One way to ask: the device request, not also an approval that registers nothing.
        policy.Approvals.Types.ShouldNotContain(t => t.Kind == ApprovalKindKeys.PersonalDevice);
        var written = PolicyRenderer.PolicyFragment(policy);
        written.ShouldContain("The person asking agrees:");
        written.ShouldContain("This device is protected by a password, PIN or fingerprint");
    }

    [Fact]
    public void PersonalDeviceApprovalType_BesideDeviceRequests_IsAnErrorAtTheType()
    {
        var yaml = With(Full) + """

            approvals:
              types:
                personal_device:
                  approvers: [head]
            """;

        Errors(yaml).ShouldContain(e => e.StartsWith(At(yaml, "personal_device:"), StringComparison.Ordinal)
            && e.Contains("devices.requests already handles", StringComparison.Ordinal));
        // Without device requests the built-in approval type is still there; with them it is not offered.
        PolicyLoader.LoadValid(PolicyLoaderTests.Valid, "test.yaml").Approvals.Find("personal_device").ShouldNotBeNull();
        PolicyLoader.LoadValid(With(Full), "test.yaml").Approvals.Find("personal_device").ShouldBeNull();
    }

    [Fact]
    public void RequestAgreement_OnARefusal_IsAnError()
    {
        var yaml = With("""
            devices:
              requests:
                - kind: personal_device
                  groups: [ks1]
                  allowed: false
                  reason: Not in Key Stage 1.
                  agreement: I agree.
            """);

        Errors(yaml).ShouldContain(e => e.StartsWith(At(yaml, "agreement:"), StringComparison.Ordinal));
    }

    [Fact]
    public void StClements_C15_LoansDueAtDayEnd_ReturnedToTheSuiteAndCharged()
    {
        var policy = Seed("st-clements.yaml");
        var loans = policy.Devices.Loans;

        loans.DayEnd.ShouldBeNull("due at the calendar's day end");
        policy.School.Calendar.DayEnds.ShouldBe(new TimeOnly(15, 15));
        loans.ReturnToSuite.ShouldBeTrue();
        loans.Charge.ShouldBeTrue();
        loans.OverdueNotify.ShouldBe([RoleKeys.ComputingLead]);
        loans.Requirement.ShouldBe("C15");
    }

    [Fact]
    public void StClements_C16_C17_SchoolLaptopsEncrypted_PhonesWithAPasscode()
    {
        var devices = Seed("st-clements.yaml").Devices;

        devices.SchoolDevices.ShouldContain(r => r.Kinds.SequenceEqual(new[] { "laptop" }) && r.Attestations.SequenceEqual(new[] { "encrypted" }) && r.Requirement == "C16");
        devices.SchoolDevices.ShouldContain(r => r.Kinds.SequenceEqual(new[] { "phone" }) && r.Attestations.SequenceEqual(new[] { "passcode" }) && r.Requirement == "C17");
        var phone = devices.RuleFor(DeviceRequestKindKeys.PersonalDevice, "staff").ShouldNotBeNull();
        phone.Attestations.ShouldBe([DeviceAttestationKeys.Passcode], "C17: a password, PIN or fingerprint for a phone used for school email");
        phone.NetworkAccess.ShouldBeFalse("C3: personal devices never use the school Wi-Fi");
        phone.Requirement.ShouldBe("C17");
    }

    [Fact]
    public void StClements_C19_EquipmentReturnedOnLeavingOrLongAbsence()
    {
        var leavers = Seed("st-clements.yaml").Devices.Leavers;

        leavers.LongAbsenceDays.ShouldBe(20);
        leavers.Notify.ShouldContain(RoleKeys.BusinessManager);
        leavers.Requirement.ShouldBe("C19");
    }

    [Fact]
    public void StClements_C20_EncryptedPensOnlyWithPermission_NoRewritableCds()
    {
        var media = Seed("st-clements.yaml").Devices.RuleFor(DeviceRequestKindKeys.RemovableMedia, "staff").ShouldNotBeNull();

        media.Allowed.ShouldBeTrue();
        media.Approvers.ShouldNotBeEmpty("C20: only with permission");
        media.Attestations.ShouldBe([DeviceAttestationKeys.Encrypted]);
        media.Forbidden.ShouldBe(["rewritable CDs"]);
        media.Requirement.ShouldBe("C20");
    }

    [Fact]
    public void StClements_C17_C19_C20_AreWrittenRulesAndImplemented()
    {
        var policy = Seed("st-clements.yaml");

        foreach (var id in new[] { "C17", "C19", "C20" })
        {
            policy.Policy.Implements.ShouldContain(id);
            policy.Rules.ShouldContain(r => r.Requirements.Contains(id) && r.Kind == RuleKind.Device, id);
        }

        policy.FindAgreement("staff")!.Rules.ShouldContain("C20-removable-media");
    }

    [Fact]
    public void Example_SetsEveryPart_AndItsByodNetworkTakesApprovedDevices()
    {
        var policy = Seed("example.yaml");
        var devices = policy.Devices;

        devices.Stated.Count.ShouldBe(7);
        devices.RuleFor(DeviceRequestKindKeys.PersonalDevice, "reception")!.Allowed.ShouldBeFalse();
        devices.RuleFor(DeviceRequestKindKeys.PersonalDevice, "staff")!.NetworkAccess.ShouldBeTrue();
        policy.Network.FindNetwork("staff-devices")!.ApprovedPersonalDevices.ShouldBeTrue();
        policy.Network.FindNetwork("class-ipads")!.ApprovedPersonalDevices.ShouldBeFalse();
        devices.LostProperty.HoldTerms.ShouldBe(1);
        PolicyRenderer.PolicyFragment(policy).ShouldContain("Once approved, the device may join the school network set aside for approved personal devices.");
    }

    [Theory]
    [InlineData("omnicom-primary.yaml", "O19")]
    [InlineData("st-clements.yaml", "C15")]
    [InlineData("st-clements.yaml", "C16")]
    [InlineData("st-clements.yaml", "C17")]
    [InlineData("st-clements.yaml", "C19")]
    [InlineData("st-clements.yaml", "C20")]
    [InlineData("westbrook-hay.yaml", "H1")]
    [InlineData("westbrook-hay.yaml", "H3")]
    [InlineData("westbrook-hay.yaml", "H15")]
    [InlineData("westfield.yaml", "F5")]
    [InlineData("westfield.yaml", "F7")]
    [InlineData("wetherby.yaml", "W3")]
    public void SeedPolicy_ImplementsItsDeviceRequirements(string file, string requirement)
    {
        Seed(file).Policy.Implements.ShouldContain(requirement);
    }

    // --- The written policy ----------------------------------------------------------------------------------

    [Fact]
    public void Render_WithoutDevicesSection_HasNoDevicesPart()
    {
        var html = PolicyRenderer.PolicyDocument(PolicyLoader.LoadValid(PolicyLoaderTests.Valid, "test.yaml"));

        html.ShouldNotContain("id=\"devices-h\"");
        html.ShouldNotContain("href=\"#devices\"");
    }

    [Fact]
    public void Render_FullSection_StatesEveryRuleInWords()
    {
        var html = PolicyRenderer.PolicyDocument(PolicyLoader.LoadValid(With(Full), "test.yaml"));

        html.ShouldContain("<li><a href=\"#devices\">Devices</a></li>");
        html.ShouldContain("<h2 id=\"devices-h\">Devices</h2>");
        html.ShouldContain("This policy covers mobile phones, laptops, tablets and removable media (USB sticks, memory cards and discs)");
        html.ShouldContain("<strong>Personal devices — KS1:</strong> may not bring in a personal device. Not in Key Stage 1. <span class=\"rule-id\">[H3]</span>");
        html.ShouldContain("a request is made by the person themselves and approved by the Headteacher or the Computing Lead / ICT Coordinator.");
        html.ShouldContain("The device must be encrypted and have two-factor sign-in on for the school accounts it holds before it is approved.");
        html.ShouldContain("An approval lasts 180 days and can be renewed in its last 14 days.");
        html.ShouldNotContain("may join the school network", Case.Sensitive, "network access is stated only where a rule grants it");
        html.ShouldContain("Never allowed: rewritable CDs.");
        html.ShouldContain("School laptops must be encrypted. <span class=\"rule-id\">[C16]</span>");
        html.ShouldContain("Equipment signed out on loan is due back by 16:00 on the day it is borrowed. It is put on charge.");
        html.ShouldContain("held in lost property for up to 45 days");
        html.ShouldContain("the IT provider and the School Business Manager are told.");
        html.ShouldContain("The report is recorded in the incident register “Lost or stolen device”.");
        html.ShouldContain("before an absence of 15 days or more");
        PolicyFilesTestsHeadings(html);
    }

    [Fact]
    public void Render_WestbrookHay_H3_H15_InTheWrittenPolicy()
    {
        var html = PolicyRenderer.PolicyFragment(Seed("westbrook-hay.yaml"));

        html.ShouldContain("Personal mobile devices (including wearables) are not allowed in the EYFS setting.");
        html.ShouldContain("approved by the Headteacher");
        html.ShouldContain("handed to the Head of IT and held in lost property for up to 84 days");
        html.ShouldContain("wearables such as smart watches");
        html.ShouldContain("Who may ask to bring a personal device or removable media into school, and who approves it:");
    }

    [Fact]
    public void Render_StClements_C15_C19_C20_InTheWrittenPolicy()
    {
        var html = PolicyRenderer.PolicyFragment(Seed("st-clements.yaml"));

        html.ShouldContain("due back at the end of the school day (15:15). It is returned to the suite and put on charge.");
        html.ShouldContain("reported to the Computing Lead at the end of the day");
        html.ShouldContain("Never allowed: rewritable CDs.");
        html.ShouldContain("before an absence of 20 days or more");
        html.ShouldContain("School mobile phones must be protected by a password, PIN or fingerprint.");
    }

    [Fact]
    public void Render_Wetherby_W3_AnyMemberOfStaffApproves_MediaVirusChecked()
    {
        var html = PolicyRenderer.PolicyFragment(Seed("wetherby.yaml"));

        html.ShouldContain("approved by any member of staff");
        html.ShouldContain("The media must be virus-checked before it is approved.");
    }

    [Fact]
    public void Render_Westfield_F7_LossReportedToEduthingAndHeadAndSbm()
    {
        var html = PolicyRenderer.PolicyFragment(Seed("westfield.yaml"));

        html.ShouldContain("the IT provider (Eduthing), the Headteacher and the School Business Manager are told.");
    }

    private static void PolicyFilesTestsHeadings(string html)
    {
        var previous = 0;
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(html, "<h([1-6])[ >]"))
        {
            var level = m.Groups[1].Value[0] - '0';
            (level <= previous + 1).ShouldBeTrue("headings never skip a level");
            previous = level;
        }
    }

    /// <summary>Records holding lists compare the lists by reference; these compare them by content.</summary>
    private sealed class DeviceSafetyRuleComparer : IEqualityComparer<DeviceSafetyRule>
    {
        public bool Equals(DeviceSafetyRule? x, DeviceSafetyRule? y) =>
            x is not null && y is not null && x.Kinds.SequenceEqual(y.Kinds) && x.Attestations.SequenceEqual(y.Attestations) && x.Requirement == y.Requirement;

        public int GetHashCode(DeviceSafetyRule obj) => obj.Requirement?.GetHashCode(StringComparison.Ordinal) ?? 0;
    }

    private sealed class LostStolenComparer : IEqualityComparer<LostStolenPolicy>
    {
        public bool Equals(LostStolenPolicy? x, LostStolenPolicy? y) =>
            x is not null && y is not null && x.Notify.SequenceEqual(y.Notify) && x.IncidentCategory == y.IncidentCategory && x.Requirement == y.Requirement;

        public int GetHashCode(LostStolenPolicy obj) => obj.Requirement?.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
