using System.Globalization;
using System.Text.RegularExpressions;

namespace Brightline.Policy.Model;

/// <summary>What an approval type does when it is in force. The policy names a type's kind; the effects are the host's code.</summary>
public static class ApprovalKindKeys
{
    /// <summary>O3: an exemption from one rule, for the requester, after a written agreement.</summary>
    public const string Exemption = "exemption";

    /// <summary>O14: a parent or volunteer acting in an official capacity is filtered as staff while it lasts.</summary>
    public const string OfficialCapacity = "official_capacity";

    /// <summary>O22: guest Wi-Fi vouchers for a visit.</summary>
    public const string GuestWifi = "guest_wifi";

    /// <summary>A teacher's temporary unblock of one site for their class's pupils.</summary>
    public const string ClassUnblock = "class_unblock";

    /// <summary>C11: the computing lead's own filtering becomes unrestricted (illegal categories excepted).</summary>
    public const string Unrestricted = "unrestricted";

    /// <summary>H17: permission to inspect a person's stored email content.</summary>
    public const string EmailInspection = "email_inspection";

    /// <summary>O19: a personal device may hold school data.</summary>
    public const string PersonalDevice = "personal_device";

    /// <summary>
    /// O5: new access or changed permissions for a person (a portal role, network access), routed to whoever the policy
    /// names; approving a role grants it. Offered only where a policy declares it, so schools that do not get no new form.
    /// </summary>
    public const string AccessChange = "access_change";

    public static readonly IReadOnlyList<string> All =
        [Exemption, OfficialCapacity, GuestWifi, ClassUnblock, Unrestricted, EmailInspection, PersonalDevice, AccessChange];

    /// <summary>Kinds a school has only when its policy names them (not among the built-in defaults).</summary>
    public static readonly IReadOnlyList<string> OptIn = [AccessChange];

    /// <summary>Kinds that may take effect without an approver (the policy still decides who may ask).</summary>
    public static readonly IReadOnlyList<string> SelfAuthorisable = [ClassUnblock, Unrestricted];

    /// <summary>Kinds that act through a group of the policy: whose rules apply (official_capacity) or whose profile guests get (guest_wifi).</summary>
    public static readonly IReadOnlyList<string> WithGroup = [OfficialCapacity, GuestWifi];

    public static bool IsKnown(string kind) => All.Contains(kind, StringComparer.Ordinal);
}

/// <summary>One approval type (a key under <c>approvals.types</c>), with defaults filled in.</summary>
/// <param name="Requesters">Portal roles (or <c>bursar</c>) that may ask.</param>
/// <param name="Approvers">Portal roles (or <c>bursar</c>) that may decide; empty means it takes effect when asked.</param>
/// <param name="Agreement">Written agreement the requester signs when asking, or null.</param>
/// <param name="Group">The group whose rules apply (official_capacity) or whose profile guests get (guest_wifi).</param>
/// <param name="MaxVouchers">guest_wifi: most codes per request.</param>
/// <param name="Notify">Policy role keys emailed (a link only) when the approval takes effect.</param>
public sealed record ApprovalType(
    string Id,
    string Kind,
    string Title,
    IReadOnlyList<string> Requesters,
    IReadOnlyList<string> Approvers,
    string? Agreement,
    TimeSpan MaxDuration,
    TimeSpan DefaultDuration,
    bool ReasonRequired,
    string? Group,
    int MaxVouchers,
    IReadOnlyList<string> Notify,
    string? Requirement)
{
    public bool SelfAuthorised => Approvers.Count == 0;

    /// <summary>
    /// exemption (O3, W4): the categories and filter rule IDs an approval of this type may relax; null = any policy
    /// rule or any category that is not illegal, at the approvers' discretion. The request names exactly one.
    /// </summary>
    public ExemptionScope? Relaxes { get; init; }
}

/// <summary>The policy's <c>relaxes:</c> for an exemption type: filtering categories and deny-entry rule IDs, as written.</summary>
public sealed record ExemptionScope(IReadOnlyList<string> Categories, IReadOnlyList<string> Rules);

/// <summary>
/// The policy's <c>approvals:</c> section: every approval type the portal offers, read with defaults for every kind
/// so a school without the section still has the workflows its policy text promises. Keys: docs/approvals.md.
/// </summary>
public sealed partial record ApprovalsPolicy
{
    /// <summary>The bursar (H17): a portal role since issue 15 part 8, and still matched by the policy's bursar address for an account without the role.</summary>
    public const string Bursar = RoleKeys.Bursar;

    public const string DefaultExemptionAgreement =
        "I have discussed this exemption with the headteacher. I accept its conditions, I will use it only for the purpose "
        + "and for the time agreed, and I understand that it can be withdrawn at any time.";

    public const string DefaultDeviceAgreement =
        "This device is protected by a password, PIN or fingerprint and its storage is encrypted. I will keep school data on it "
        + "only while I need it, report its loss or theft at once, and remove school data when asked or when I leave.";

    /// <summary>The longest an approval may last: ten years, so a typo cannot make one permanent.</summary>
    public static readonly TimeSpan LongestDuration = TimeSpan.FromDays(3660);

    /// <summary>Roles that may ask for or approve a type: the portal roles (the bursar among them).</summary>
    public static readonly IReadOnlyList<string> Roles = PortalRoleKeys.All;

    /// <summary>The school's types in order: the built-in ones it keeps, then its own.</summary>
    public IReadOnlyList<ApprovalType> Types { get; init; } = Defaults(staffGroup: null, guestGroup: null);

    public ApprovalType? Find(string? id) => Types.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.Ordinal));

    /// <summary>
    /// The built-in types a school gets without saying anything: one per kind, except official_capacity and
    /// guest_wifi when the policy has no staff group or no guest group for them to use, and personal_device when
    /// <paramref name="deviceRequests"/>: a policy whose <c>devices.requests</c> has personal-device rules asks for,
    /// approves and registers personal devices there (issue 14), and a second, unconnected approval for the same
    /// device would only leave staff unsure which to use and the register without the device.
    /// </summary>
    public static IReadOnlyList<ApprovalType> Defaults(string? staffGroup, string? guestGroup, bool deviceRequests = false) =>
        AllDefaults(staffGroup, guestGroup)
            .Where(t => !ApprovalKindKeys.WithGroup.Contains(t.Kind, StringComparer.Ordinal) || t.Group is not null)
            .Where(t => !deviceRequests || !string.Equals(t.Kind, ApprovalKindKeys.PersonalDevice, StringComparison.Ordinal))
            .Where(t => !ApprovalKindKeys.OptIn.Contains(t.Kind, StringComparer.Ordinal))
            .ToList();

    /// <summary>One type per kind; a policy entry with the same ID changes only the keys it names.</summary>
    public static IReadOnlyList<ApprovalType> AllDefaults(string? staffGroup, string? guestGroup)
    {
        var staff = PortalRoleKeys.StaffRoles;
        return
        [
            new(ApprovalKindKeys.Exemption, ApprovalKindKeys.Exemption, "Exemption from a rule", staff, [RoleKeys.Head], DefaultExemptionAgreement,
                TimeSpan.FromDays(90), TimeSpan.FromDays(30), true, null, 0, [], "O3"),
            new(ApprovalKindKeys.OfficialCapacity, ApprovalKindKeys.OfficialCapacity, "Official-capacity access for a parent or volunteer",
                [PortalRoleKeys.Admin, RoleKeys.Head, RoleKeys.Dsl, RoleKeys.DeputyDsl, RoleKeys.BusinessManager, RoleKeys.ComputingLead, PortalRoleKeys.Teacher, PortalRoleKeys.Staff],
                [RoleKeys.Head], null, TimeSpan.FromDays(365), TimeSpan.FromDays(90), true, staffGroup, 0, [], "O14"),
            new(ApprovalKindKeys.GuestWifi, ApprovalKindKeys.GuestWifi, "Guest Wi-Fi for a visitor", staff, [RoleKeys.Head], null,
                TimeSpan.FromDays(7), TimeSpan.FromDays(1), true, guestGroup, 30, [], "O22"),
            new(ApprovalKindKeys.ClassUnblock, ApprovalKindKeys.ClassUnblock, "Unblock a site for my class for a lesson", [PortalRoleKeys.Teacher], [], null,
                TimeSpan.FromHours(2), TimeSpan.FromHours(1), true, null, 0, [], null),
            new(ApprovalKindKeys.Unrestricted, ApprovalKindKeys.Unrestricted, "Unrestricted filtering to investigate", [RoleKeys.ComputingLead], [], null,
                TimeSpan.FromHours(1), TimeSpan.FromMinutes(30), true, null, 0, [RoleKeys.Head], "C11"),
            new(ApprovalKindKeys.EmailInspection, ApprovalKindKeys.EmailInspection, "Permission to inspect stored email content",
                [RoleKeys.Dsl, RoleKeys.DeputyDsl, RoleKeys.Head, RoleKeys.BusinessManager], [RoleKeys.Head, Bursar], null,
                TimeSpan.FromDays(30), TimeSpan.FromDays(7), true, null, 0, [], "H17"),
            new(ApprovalKindKeys.PersonalDevice, ApprovalKindKeys.PersonalDevice, "Personal device holding school data", staff, [RoleKeys.Head], DefaultDeviceAgreement,
                TimeSpan.FromDays(365), TimeSpan.FromDays(365), true, null, 0, [], "O19"),
            // O5: a role granted by an approved request stays until it is removed on the account's page; the approval's
            // length is only how long the record shows as in force, so the default is the longest allowed.
            new(ApprovalKindKeys.AccessChange, ApprovalKindKeys.AccessChange, "New access or changed permissions", staff,
                [RoleKeys.ComputingLead, RoleKeys.ItProvider], null, LongestDuration, LongestDuration, true, null, 0, [], "O5"),
        ];
    }

    /// <summary>"90m", "4h", "30d" (minutes, hours, days); null for anything else, zero included.</summary>
    public static TimeSpan? ParseDuration(string? text)
    {
        var m = text is null ? null : DurationPattern().Match(text.Trim());
        if (m is null || !m.Success || !int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return null;
        }

        return m.Groups[2].Value switch
        {
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => null,
        };
    }

    [GeneratedRegex("^([0-9]{1,6})\\s*([mhd])$")]
    private static partial Regex DurationPattern();
}
