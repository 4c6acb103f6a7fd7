using System.Globalization;
using System.Text.RegularExpressions;
using Brightline.Portal;
using Brightline.Policy.Model;

namespace Brightline.Approvals;

/// <summary>What an approval type does when it is in force. The policy names a type's kind; the effects are code.</summary>
public static class ApprovalKinds
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

    public static readonly IReadOnlyList<string> All =
        [Exemption, OfficialCapacity, GuestWifi, ClassUnblock, Unrestricted, EmailInspection, PersonalDevice];

    /// <summary>Kinds that may take effect without an approver (the policy still decides who may ask).</summary>
    public static readonly IReadOnlyList<string> SelfAuthorisable = [ClassUnblock, Unrestricted];

    public static bool IsKnown(string kind) => All.Contains(kind, StringComparer.Ordinal);
}

/// <summary>One policy-defined approval type (a key under <c>approvals.types</c>), with defaults filled in.</summary>
/// <param name="Requesters">Portal roles (or <c>bursar</c>) that may ask.</param>
/// <param name="Approvers">Portal roles (or <c>bursar</c>) that may decide; empty means it takes effect when asked.</param>
/// <param name="Agreement">Written agreement the requester signs when asking, or null.</param>
/// <param name="Group">The group whose rules apply (official_capacity) or whose profile guests get (guest_wifi).</param>
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
}

/// <summary>
/// The policy's free-form <c>approvals:</c> section, read with defaults for every kind so a school without
/// the section still has the workflows its policy text promises. Keys are documented in docs/approvals.md.
/// </summary>
public sealed partial class ApprovalSettings
{
    /// <summary>A portal role that is not a portal role: the policy's bursar, matched by the account's email address (H17).</summary>
    public const string Bursar = "bursar";

    private ApprovalSettings(IReadOnlyList<ApprovalType> types) => Types = types;

    public IReadOnlyList<ApprovalType> Types { get; }

    public ApprovalType? Find(string? id) => Types.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.Ordinal));

    private static readonly string[] s_staff =
        [PortalRoles.Admin, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Head, PortalRoles.ComputingLead, PortalRoles.BusinessManager, PortalRoles.ItProvider, PortalRoles.Teacher, PortalRoles.Staff];

    public const string DefaultExemptionAgreement =
        "I have discussed this exemption with the headteacher. I accept its conditions, I will use it only for the purpose "
        + "and for the time agreed, and I understand that it can be withdrawn at any time.";

    public const string DefaultDeviceAgreement =
        "This device is protected by a password, PIN or fingerprint and its storage is encrypted. I will keep school data on it "
        + "only while I need it, report its loss or theft at once, and remove school data when asked or when I leave.";

    /// <summary>
    /// The built-in types a school gets without saying anything: one per kind, except official_capacity and
    /// guest_wifi when the policy has no staff group or no guest group for them to use.
    /// </summary>
    public static IReadOnlyList<ApprovalType> Defaults(SchoolPolicy? policy) =>
        AllDefaults(policy).Where(t => t.Kind is not (ApprovalKinds.OfficialCapacity or ApprovalKinds.GuestWifi) || t.Group is not null).ToList();

    /// <summary>One type per kind; a policy entry with the same ID changes only the keys it names.</summary>
    private static IReadOnlyList<ApprovalType> AllDefaults(SchoolPolicy? policy) =>
    [
        new(ApprovalKinds.Exemption, ApprovalKinds.Exemption, "Exemption from a rule", s_staff, [PortalRoles.Head], DefaultExemptionAgreement,
            TimeSpan.FromDays(90), TimeSpan.FromDays(30), true, null, 0, [], "O3"),
        new(ApprovalKinds.OfficialCapacity, ApprovalKinds.OfficialCapacity, "Official-capacity access for a parent or volunteer",
            [PortalRoles.Admin, PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.BusinessManager, PortalRoles.ComputingLead, PortalRoles.Teacher, PortalRoles.Staff],
            [PortalRoles.Head], null, TimeSpan.FromDays(365), TimeSpan.FromDays(90), true, StaffGroup(policy), 0, [], "O14"),
        new(ApprovalKinds.GuestWifi, ApprovalKinds.GuestWifi, "Guest Wi-Fi for a visitor", s_staff, [PortalRoles.Head], null,
            TimeSpan.FromDays(7), TimeSpan.FromDays(1), true, GuestGroup(policy), 30, [], "O22"),
        new(ApprovalKinds.ClassUnblock, ApprovalKinds.ClassUnblock, "Unblock a site for my class for a lesson", [PortalRoles.Teacher], [], null,
            TimeSpan.FromHours(2), TimeSpan.FromHours(1), true, null, 0, [], null),
        new(ApprovalKinds.Unrestricted, ApprovalKinds.Unrestricted, "Unrestricted filtering to investigate", [PortalRoles.ComputingLead], [], null,
            TimeSpan.FromHours(1), TimeSpan.FromMinutes(30), true, null, 0, [RoleKeys.Head], "C11"),
        new(ApprovalKinds.EmailInspection, ApprovalKinds.EmailInspection, "Permission to inspect stored email content",
            [PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Head, PortalRoles.BusinessManager], [PortalRoles.Head, Bursar], null,
            TimeSpan.FromDays(30), TimeSpan.FromDays(7), true, null, 0, [], "H17"),
        new(ApprovalKinds.PersonalDevice, ApprovalKinds.PersonalDevice, "Personal device holding school data", s_staff, [PortalRoles.Head], DefaultDeviceAgreement,
            TimeSpan.FromDays(365), TimeSpan.FromDays(365), true, null, 0, [], "O19"),
    ];

    private static string? StaffGroup(SchoolPolicy? policy) =>
        policy is null ? "staff" : policy.Groups.FirstOrDefault(g => g.Kind == PersonKind.Staff)?.Id;

    /// <summary>Guests get the fallback profile (the one for devices nobody has signed in from), else the visitors' group.</summary>
    private static string? GuestGroup(SchoolPolicy? policy) =>
        policy is null ? "visitors" : policy.Filtering.FallbackGroup ?? policy.Groups.FirstOrDefault(g => g.Kind == PersonKind.Visitor)?.Id;

    /// <summary>The school's types; throws a <see cref="Kernel.DomainException"/> naming every bad key.</summary>
    public static ApprovalSettings From(SchoolPolicy policy)
    {
        var (settings, errors) = Read(policy);
        return errors.Count == 0 ? settings : throw new Kernel.InvalidException(
            $"The policy's approvals section has {errors.Count} problem(s): {string.Join("; ", errors)}");
    }

    /// <summary>Every problem in the <c>approvals:</c> section, each naming its key (for <c>policy check</c>).</summary>
    public static IReadOnlyList<string> Validate(SchoolPolicy policy) => Read(policy).Errors;

    /// <summary>
    /// The same problems as <see cref="Validate"/>, each placed at its key in the file (file:line:col), so
    /// `policy check` and `policy load` report them like the policy language's own errors.
    /// </summary>
    public static IReadOnlyList<Brightline.Policy.PolicyDiagnostic> Diagnostics(SchoolPolicy policy, string yaml, string file) =>
        Validate(policy).Select(error => Policies.SectionKeyLocator.Diagnostic(yaml, file, error)).ToList();

    private static (ApprovalSettings Settings, List<string> Errors) Read(SchoolPolicy policy)
    {
        var errors = new List<string>();
        var types = Defaults(policy).ToList();
        if (!policy.Extensions.TryGetValue("approvals", out var raw) || raw is null)
        {
            return (new ApprovalSettings(types), errors);
        }

        if (raw is not IDictionary<string, object?> section)
        {
            errors.Add("approvals: must be a mapping with a 'types' key");
            return (new ApprovalSettings(types), errors);
        }

        foreach (var key in section.Keys.Where(k => !string.Equals(k, "types", StringComparison.Ordinal)))
        {
            errors.Add($"approvals.{key}: unknown key (expected 'types')");
        }

        if (!section.TryGetValue("types", out var rawTypes) || rawTypes is null)
        {
            return (new ApprovalSettings(types), errors);
        }

        if (rawTypes is not IDictionary<string, object?> map)
        {
            errors.Add("approvals.types: must be a mapping of type ID to its settings");
            return (new ApprovalSettings(types), errors);
        }

        foreach (var (id, value) in map)
        {
            var path = $"approvals.types.{id}";
            if (!IdPattern().IsMatch(id))
            {
                errors.Add($"{path}: a type ID is lower-case letters, digits and underscores");
                continue;
            }

            var entry = value as IDictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);
            if (value is not null and not IDictionary<string, object?>)
            {
                errors.Add($"{path}: must be a mapping");
                continue;
            }

            var index = types.FindIndex(t => string.Equals(t.Id, id, StringComparison.Ordinal));
            if (entry.TryGetValue("enabled", out var enabled) && enabled is false)
            {
                if (index >= 0)
                {
                    types.RemoveAt(index);
                }

                continue;
            }

            var kind = Text(entry, "kind") ?? (index >= 0 ? types[index].Kind : ApprovalKinds.IsKnown(id) ? id : null);
            if (kind is null || !ApprovalKinds.IsKnown(kind))
            {
                errors.Add(kind is null
                    ? $"{path}.kind: required for a type that is not one of the built-in kinds ({string.Join(", ", ApprovalKinds.All)})"
                    : $"{path}.kind: '{kind}' is not a kind of approval; use one of {string.Join(", ", ApprovalKinds.All)}");
                continue;
            }

            var basis = index >= 0 && string.Equals(types[index].Kind, kind, StringComparison.Ordinal)
                ? types[index]
                : AllDefaults(policy).First(t => string.Equals(t.Kind, kind, StringComparison.Ordinal)) with { Id = id };
            foreach (var key in entry.Keys.Where(k => !s_keys.Contains(k, StringComparer.Ordinal)))
            {
                errors.Add($"{path}.{key}: unknown key (expected one of {string.Join(", ", s_keys)})");
            }

            var type = basis with
            {
                Title = Text(entry, "title") ?? basis.Title,
                Requesters = Roles(entry, "requesters", path, errors) ?? basis.Requesters,
                Approvers = Roles(entry, "approvers", path, errors) ?? basis.Approvers,
                Agreement = entry.TryGetValue("agreement", out var a) ? a is string { Length: > 0 } s ? s.Trim() : null : basis.Agreement,
                MaxDuration = Duration(entry, "max_duration", path, errors) ?? basis.MaxDuration,
                DefaultDuration = Duration(entry, "default_duration", path, errors) ?? basis.DefaultDuration,
                ReasonRequired = entry.TryGetValue("reason_required", out var r) ? r is true || (r is not false && Bad(errors, $"{path}.reason_required: must be true or false")) : basis.ReasonRequired,
                Group = Text(entry, "group") ?? basis.Group,
                MaxVouchers = entry.TryGetValue("max_vouchers", out var mv) ? mv is long n and >= 1 and <= 500 ? (int)n : BadInt(errors, $"{path}.max_vouchers: must be a whole number from 1 to 500") : basis.MaxVouchers,
                Notify = PolicyRoles(entry, "notify", path, errors) ?? basis.Notify,
                Requirement = Text(entry, "requirement") ?? basis.Requirement,
            };
            if (!entry.ContainsKey("default_duration") && type.DefaultDuration > type.MaxDuration)
            {
                type = type with { DefaultDuration = type.MaxDuration };
            }

            if (type.DefaultDuration > type.MaxDuration)
            {
                errors.Add($"{path}.default_duration: longer than max_duration");
            }

            if (type.SelfAuthorised && !ApprovalKinds.SelfAuthorisable.Contains(type.Kind, StringComparer.Ordinal))
            {
                errors.Add($"{path}.approvers: a {type.Kind} approval needs at least one approver (only {string.Join(" and ", ApprovalKinds.SelfAuthorisable)} may take effect without one)");
            }

            if (type.Requesters.Count == 0)
            {
                errors.Add($"{path}.requesters: name at least one role that may ask");
            }

            if (type.Kind is ApprovalKinds.OfficialCapacity or ApprovalKinds.GuestWifi && (type.Group is null || policy.FindGroup(type.Group) is null))
            {
                errors.Add($"{path}.group: '{type.Group}' is not a group of the policy");
            }

            if (index >= 0)
            {
                types[index] = type;
            }
            else
            {
                types.Add(type);
            }
        }

        return (new ApprovalSettings(types), errors);
    }

    private static readonly string[] s_keys =
        ["kind", "title", "requesters", "approvers", "agreement", "max_duration", "default_duration", "reason_required", "group", "max_vouchers", "notify", "requirement", "enabled"];

    private static bool Bad(List<string> errors, string message)
    {
        errors.Add(message);
        return false;
    }

    private static int BadInt(List<string> errors, string message)
    {
        errors.Add(message);
        return 1;
    }

    private static string? Text(IDictionary<string, object?> map, string key) =>
        map.TryGetValue(key, out var v) && v is string { Length: > 0 } s ? s.Trim() : null;

    private static IReadOnlyList<string>? List(IDictionary<string, object?> map, string key, string path, List<string> errors)
    {
        if (!map.TryGetValue(key, out var v))
        {
            return null;
        }

        switch (v)
        {
            case null:
                return [];
            case string s:
                return s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            case IEnumerable<object?> items:
                return items.Select(i => i as string ?? "").ToList();
            default:
                errors.Add($"{path}.{key}: must be a list of roles");
                return null;
        }
    }

    private static IReadOnlyList<string>? Roles(IDictionary<string, object?> map, string key, string path, List<string> errors)
    {
        var roles = List(map, key, path, errors);
        if (roles is null)
        {
            return null;
        }

        for (var i = 0; i < roles.Count; i++)
        {
            if (!PortalRoles.IsKnown(roles[i]) && !string.Equals(roles[i], Bursar, StringComparison.Ordinal))
            {
                errors.Add($"{path}.{key}[{i}]: '{roles[i]}' is not a role; use one of {string.Join(", ", PortalRoles.All)} or {Bursar}");
            }
        }

        return roles;
    }

    private static IReadOnlyList<string>? PolicyRoles(IDictionary<string, object?> map, string key, string path, List<string> errors)
    {
        var roles = List(map, key, path, errors);
        string[] known = [RoleKeys.Dsl, RoleKeys.DeputyDsl, RoleKeys.Head, RoleKeys.ComputingLead, RoleKeys.BusinessManager, RoleKeys.ItProvider, RoleKeys.ChairOfGovernors, RoleKeys.Bursar];
        for (var i = 0; roles is not null && i < roles.Count; i++)
        {
            if (!known.Contains(roles[i], StringComparer.Ordinal))
            {
                errors.Add($"{path}.{key}[{i}]: '{roles[i]}' is not a role of the policy's roles section; use one of {string.Join(", ", known)}");
            }
        }

        return roles;
    }

    /// <summary>"90m", "4h", "30d" (minutes, hours, days).</summary>
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

    private static TimeSpan? Duration(IDictionary<string, object?> map, string key, string path, List<string> errors)
    {
        if (!map.TryGetValue(key, out var v))
        {
            return null;
        }

        var parsed = ParseDuration(v?.ToString());
        if (parsed is null || parsed > TimeSpan.FromDays(3660))
        {
            errors.Add($"{path}.{key}: '{v}' is not a duration; write a whole number with m, h or d (for example 90m, 4h, 30d)");
        }

        return parsed;
    }

    /// <summary>A duration in the words a head would use: "1 hour 30 minutes", "30 days".</summary>
    public static string Describe(TimeSpan span)
    {
        if (span.TotalDays >= 1 && span.Ticks % TimeSpan.TicksPerDay == 0)
        {
            return Plural((int)span.TotalDays, "day");
        }

        var hours = (int)span.TotalHours;
        var minutes = span.Minutes;
        return hours == 0 ? Plural(minutes, "minute") : minutes == 0 ? Plural(hours, "hour") : $"{Plural(hours, "hour")} {Plural(minutes, "minute")}";
    }

    private static string Plural(int n, string word) => n == 1 ? $"1 {word}" : string.Create(CultureInfo.InvariantCulture, $"{n} {word}s");

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^([0-9]{1,6})\\s*([mhd])$")]
    private static partial Regex DurationPattern();
}
