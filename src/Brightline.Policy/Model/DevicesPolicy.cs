namespace Brightline.Policy.Model;

/// <summary>Keys of the things a device's owner or the school states about it (issue 14).</summary>
public static class DeviceAttestationKeys
{
    /// <summary>F7, C16, O19, C20: the device's storage (or the USB pen) is encrypted.</summary>
    public const string Encrypted = "encrypted";

    /// <summary>C17: a password, PIN or fingerprint protects the device.</summary>
    public const string Passcode = "passcode";

    /// <summary>F7: two-factor sign-in is on for the school accounts the personal device holds.</summary>
    public const string TwoFactor = "two_factor";

    /// <summary>W3: removable storage was virus-checked before use.</summary>
    public const string VirusChecked = "virus_checked";

    public static readonly IReadOnlyList<string> All = [Encrypted, Passcode, TwoFactor, VirusChecked];
}

/// <summary>What a request asks to bring into school (issue 14, point 2).</summary>
public static class DeviceRequestKindKeys
{
    /// <summary>A personal phone, tablet, laptop, wearable … (W3, H3, O19, F7, C17).</summary>
    public const string PersonalDevice = "personal_device";

    /// <summary>A USB stick, memory card or disc (W3, F5, F7, C20).</summary>
    public const string RemovableMedia = "removable_media";

    public static readonly IReadOnlyList<string> All = [PersonalDevice, RemovableMedia];
}

/// <summary>Who may file a request on a person's behalf.</summary>
public static class DeviceRequesterKeys
{
    /// <summary>The person themselves, signed in to the portal.</summary>
    public const string Self = "self";

    /// <summary>A linked parent, for a child.</summary>
    public const string Parent = "parent";

    /// <summary>A teacher or other member of staff, for a pupil.</summary>
    public const string Teacher = "teacher";

    public static readonly IReadOnlyList<string> All = [Self, Parent, Teacher];
}

/// <summary>
/// One rule for requests of one kind from some groups: who may ask, who approves, what must be attested, how long an
/// approval lasts — or that these groups may not ask at all (H3: nobody in EYFS). The first rule whose groups contain
/// the person's group applies; a person no rule covers may not ask.
/// </summary>
/// <param name="Kind">One of <see cref="DeviceRequestKindKeys"/>.</param>
/// <param name="Groups">Policy group IDs this rule covers.</param>
/// <param name="Allowed">False: these groups may not ask; <see cref="RefusalReason"/> says why, on the form and in the API.</param>
/// <param name="RefusalReason">Words shown when <see cref="Allowed"/> is false.</param>
/// <param name="Requesters">Who may ask on the person's behalf (<see cref="DeviceRequesterKeys"/>).</param>
/// <param name="Approvers">Portal role keys that may decide (H3, O19 head; W3 staff; F5 computing lead or SLT).</param>
/// <param name="Attestations">Keys of <see cref="DeviceAttestationKeys"/> that must be attested before approval.</param>
/// <param name="Duration">How long an approval lasts before it must be renewed.</param>
/// <param name="RenewWithin">How long before expiry the owner is reminded and may renew.</param>
/// <param name="NetworkAccess">Whether an approved device may join a school network that allows approved personal devices.</param>
/// <param name="Forbidden">Media the school never allows, in words (C20: "rewritable CDs"); a request naming one is refused.</param>
/// <param name="Requirement">The requirement ID this rule implements, e.g. "H3".</param>
public sealed record DeviceRequestRule(
    string Kind,
    IReadOnlyList<string> Groups,
    bool Allowed,
    string? RefusalReason,
    IReadOnlyList<string> Requesters,
    IReadOnlyList<string> Approvers,
    IReadOnlyList<string> Attestations,
    TimeSpan Duration,
    TimeSpan RenewWithin,
    bool NetworkAccess,
    IReadOnlyList<string> Forbidden,
    string? Requirement)
{
    /// <summary>How long an approval lasts when the rule does not say: a year, so approvals are renewed yearly.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromDays(365);

    /// <summary>
    /// Words the requester agrees to when asking (O19: "I will keep school data on it only while I need it …"); the
    /// form shows them with a tick box and the request stores what was agreed. Null: nothing to agree to.
    /// </summary>
    public string? Agreement { get; init; }

    /// <summary>How long before expiry the owner is reminded when the rule does not say.</summary>
    public static readonly TimeSpan DefaultRenewWithin = TimeSpan.FromDays(30);
}

/// <summary>C15: the loan book for mobile equipment.</summary>
/// <param name="DayEnd">When loans are due back by default: the school day's end from the calendar unless the policy says.</param>
/// <param name="OverdueNotify">Policy role keys emailed the overdue list at the end of the day (C15: the computing lead).</param>
/// <param name="ReturnToSuite">Whether the return asks "returned to the suite" (C15).</param>
/// <param name="Charge">Whether the return asks "put on charge" (C15).</param>
/// <param name="Requirement">e.g. "C15".</param>
public sealed record LoanPolicy(TimeOnly? DayEnd, IReadOnlyList<string> OverdueNotify, bool ReturnToSuite, bool Charge, string? Requirement)
{
    public static readonly LoanPolicy Default = new(null, [RoleKeys.ComputingLead], true, true, null);
}

/// <summary>H15: found devices with no known owner.</summary>
/// <param name="Custodian">Policy role key of the person found devices are handed to (H15: the Head of IT).</param>
/// <param name="HoldTerms">Hold for this many school terms (measured on the calendar); null when <see cref="HoldDays"/> is used.</param>
/// <param name="HoldDays">Hold for this many days when the policy says so, or when the calendar has no terms.</param>
/// <param name="Remind">Policy role keys reminded when a hold ends and the device is listed for disposal.</param>
/// <param name="Requirement">e.g. "H15".</param>
public sealed record LostPropertyPolicy(string Custodian, int? HoldTerms, int HoldDays, IReadOnlyList<string> Remind, string? Requirement)
{
    public static readonly LostPropertyPolicy Default = new(RoleKeys.ItProvider, null, 90, [RoleKeys.ItProvider], null);

    /// <summary>The hold as the policy wrote it ("1 term", "half a term", "84d"); null for the default 90 days.</summary>
    public CalendarDuration? Hold { get; init; }
}

/// <summary>F7: a lost or stolen device is reported at once.</summary>
/// <param name="Notify">Policy role keys told (F7: the IT provider and the head or business manager).</param>
/// <param name="IncidentCategory">The incident category opened, one of the policy's incident categories; null for the register's default.</param>
/// <param name="Requirement">e.g. "F7".</param>
public sealed record LostStolenPolicy(IReadOnlyList<string> Notify, string? IncidentCategory, string? Requirement)
{
    public static readonly LostStolenPolicy Default = new([RoleKeys.ItProvider, RoleKeys.Head], null, null);
}

/// <summary>C19: equipment comes back when someone leaves or starts a long absence.</summary>
/// <param name="LongAbsenceDays">An absence this long (or longer) opens the checklist; null when only leavers do.</param>
/// <param name="Notify">Policy role keys told when a checklist opens.</param>
/// <param name="Requirement">e.g. "C19".</param>
public sealed record LeaversPolicy(int? LongAbsenceDays, IReadOnlyList<string> Notify, string? Requirement)
{
    public static readonly LeaversPolicy Default = new(null, [RoleKeys.BusinessManager], null);
}

/// <summary>What school-owned devices must have, per device kind (C16 staff laptops encrypted; C17 phones with a passcode).</summary>
/// <param name="Kinds">Device kind keys (phone, laptop, tablet …) this applies to.</param>
/// <param name="Attestations">Keys of <see cref="DeviceAttestationKeys"/> the register shows as missing until attested.</param>
/// <param name="Requirement">e.g. "C16".</param>
public sealed record DeviceSafetyRule(IReadOnlyList<string> Kinds, IReadOnlyList<string> Attestations, string? Requirement);

/// <summary>
/// The policy's <c>devices:</c> section (issue 14; docs/devices.md): which device kinds the policy covers (H1), the
/// rules for personal-device and removable-media requests per group, what school devices must have, the loan book,
/// lost property, lost-or-stolen reports and leavers' equipment. A school without the section gets the defaults here:
/// every kind in scope, nobody may ask, loans due at the calendar's day end.
/// </summary>
public sealed record DevicesPolicy
{
    /// <summary>Device kind keys the policy covers (H1); the register offers these.</summary>
    public IReadOnlyList<string> Kinds { get; init; } =
        ["phone", "laptop", "chromebook", "tablet", "desktop", "wearable", "recorder", "camera", "console", "removable_media", "other"];

    /// <summary>Request rules in order; the first whose kind and groups match applies.</summary>
    public IReadOnlyList<DeviceRequestRule> Requests { get; init; } = [];

    public IReadOnlyList<DeviceSafetyRule> SchoolDevices { get; init; } = [];
    public LoanPolicy Loans { get; init; } = LoanPolicy.Default;
    public LostPropertyPolicy LostProperty { get; init; } = LostPropertyPolicy.Default;
    public LostStolenPolicy LostStolen { get; init; } = LostStolenPolicy.Default;
    public LeaversPolicy Leavers { get; init; } = LeaversPolicy.Default;

    /// <summary>
    /// The keys of the <c>devices:</c> section the policy wrote (<see cref="SectionKeys"/>), so the written policy states
    /// only what the school decided and not the defaults it never chose. Empty without the section.
    /// </summary>
    public IReadOnlySet<string> Stated { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The keys of the <c>devices:</c> section.</summary>
    public static class SectionKeys
    {
        public const string Kinds = "kinds";
        public const string Requests = "requests";
        public const string SchoolDevices = "school_devices";
        public const string Loans = "loans";
        public const string LostProperty = "lost_property";
        public const string LostOrStolen = "lost_or_stolen";
        public const string Leavers = "leavers";
    }

    /// <summary>Whether the policy wrote the <paramref name="key"/> part of the section (one of <see cref="SectionKeys"/>).</summary>
    public bool States(string key) => Stated.Contains(key);

    /// <summary>The rule for a request of <paramref name="kind"/> for a person in <paramref name="group"/>, or null when none covers them.</summary>
    public DeviceRequestRule? RuleFor(string kind, string group) =>
        Requests.FirstOrDefault(r => string.Equals(r.Kind, kind, StringComparison.Ordinal) && r.Groups.Contains(group, StringComparer.Ordinal));
}
