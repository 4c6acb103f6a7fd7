using System.Globalization;
using Brightline.Policy.Model;
using Brightline.Portal;

namespace Brightline.Incidents;

/// <summary>One register: who may record into it, who is told, who may read it, and how long closed records are kept.</summary>
public sealed record IncidentKindSettings
{
    public required string Key { get; init; }
    public required string Label { get; init; }
    /// <summary>Portal roles that may record; <c>staff</c> means every adult role.</summary>
    public required IReadOnlyList<string> Record { get; init; }
    /// <summary>Policy role keys emailed a link when an incident is recorded.</summary>
    public required IReadOnlyList<string> Notify { get; init; }
    /// <summary>Portal roles that read every incident of the kind, restricted entries included.</summary>
    public required IReadOnlyList<string> Read { get; init; }
    /// <summary>Days after closing before the record is removed; null keeps it for ever (the default).</summary>
    public int? RetentionDays { get; init; }
    /// <summary>Allegations about staff: the people involved never see the record, nor the roles that report to them.</summary>
    public bool HideFromSubject { get; init; }

    public bool MayRecord(IReadOnlyList<string> roles) =>
        roles.Any(r => Record.Contains(r, StringComparer.Ordinal)
            || (Record.Contains(PortalRoles.Staff, StringComparer.Ordinal) && PortalRoles.StaffRoles.Contains(r, StringComparer.Ordinal)));

    public bool MayRead(IReadOnlyList<string> roles) => roles.Any(r => Read.Contains(r, StringComparer.Ordinal));
}

/// <summary>
/// What the policy's free-form <c>incidents:</c> section says about the registers, read with the defaults
/// issue 5 describes (safeguarding → DSL and deputies; security and lost devices → IT provider, head and
/// business manager (F7, F13); staff allegations → head only; serious or persistent breaches → ICT
/// coordinator and DSL (W5, W11); data breaches decided within 72 hours (O6, F4)). Keys: docs/incidents.md.
/// </summary>
public sealed record IncidentSettings
{
    public const string Section = "incidents";

    /// <summary>The register kinds in display order, with the issue's defaults.</summary>
    public static readonly IReadOnlyList<IncidentKindSettings> DefaultKinds =
    [
        new() { Key = IncidentKinds.Safeguarding, Label = "Safeguarding concern", Record = [PortalRoles.Staff],
            Notify = [RoleKeys.Dsl, RoleKeys.DeputyDsl], Read = [PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Head] },
        new() { Key = IncidentKinds.Behaviour, Label = "Behaviour concern", Record = [PortalRoles.Staff],
            Notify = [RoleKeys.ComputingLead], Read = [PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Head, PortalRoles.ComputingLead] },
        new() { Key = IncidentKinds.StaffViolation, Label = "Staff violation or allegation", Record = [PortalRoles.Staff],
            Notify = [RoleKeys.Head], Read = [PortalRoles.Head], HideFromSubject = true },
        new() { Key = IncidentKinds.Security, Label = "Security incident", Record = [PortalRoles.Staff],
            Notify = [RoleKeys.ItProvider, RoleKeys.Head, RoleKeys.BusinessManager],
            Read = [PortalRoles.Head, PortalRoles.BusinessManager, PortalRoles.ItProvider, PortalRoles.ComputingLead] },
        new() { Key = IncidentKinds.DataBreach, Label = "Personal data breach", Record = [PortalRoles.Staff],
            Notify = [RoleKeys.Head, RoleKeys.BusinessManager, RoleKeys.ComputingLead],
            Read = [PortalRoles.Head, PortalRoles.BusinessManager, PortalRoles.ComputingLead, PortalRoles.Dsl] },
        new() { Key = IncidentKinds.LostDevice, Label = "Lost or stolen device", Record = [PortalRoles.Staff],
            Notify = [RoleKeys.ItProvider, RoleKeys.Head, RoleKeys.BusinessManager],
            Read = [PortalRoles.Head, PortalRoles.BusinessManager, PortalRoles.ItProvider, PortalRoles.ComputingLead] },
        new() { Key = IncidentKinds.FilterReport, Label = "Filter miss or over-blocking", Record = [PortalRoles.Staff],
            Notify = [RoleKeys.ComputingLead, RoleKeys.ItProvider],
            Read = [PortalRoles.ComputingLead, PortalRoles.ItProvider, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Head] },
    ];

    private static readonly string[] s_kindKeys = ["label", "record", "notify", "read", "retention_days"];
    private static readonly string[] s_topKeys = ["kinds", "serious", "data_breach", "line_reports"];

    public IReadOnlyList<IncidentKindSettings> Kinds { get; init; } = DefaultKinds;

    /// <summary>This many incidents about one person within <see cref="PersistentDays"/> make the latest "persistent" (W11).</summary>
    public int PersistentCount { get; init; } = 3;
    public int PersistentDays { get; init; } = 30;
    /// <summary>Who is told, in addition to the kind's list, about a serious or persistent incident (W5, W11).</summary>
    public IReadOnlyList<string> SeriousNotify { get; init; } = [RoleKeys.ComputingLead, RoleKeys.Dsl];

    /// <summary>From discovery to the decision on reporting to the ICO (UK GDPR art. 33: 72 hours).</summary>
    public TimeSpan BreachDeadline { get; init; } = TimeSpan.FromHours(72);
    /// <summary>Hours after discovery at which the readers are chased while no decision is recorded.</summary>
    public IReadOnlyList<int> BreachChaseHours { get; init; } = [48, 70];

    /// <summary>Role → the roles that report to it: none of them sees or is told of an allegation about a holder of the role.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> LineReports { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    public IncidentKindSettings? Find(string? kind) => Kinds.FirstOrDefault(k => string.Equals(k.Key, kind, StringComparison.Ordinal));

    /// <summary>Reads the section; a value that does not make sense falls back to the default (policy check and policy load refuse such a file, so this only matters for a version stored before they did).</summary>
    public static IncidentSettings From(SchoolPolicy policy) => Read(policy, null);

    /// <summary>Every problem in the section, each naming its key (e.g. <c>incidents.kinds.security.notify</c>).</summary>
    public static IReadOnlyList<string> Check(SchoolPolicy policy)
    {
        var errors = new List<string>();
        Read(policy, errors);
        return errors;
    }

    /// <summary>
    /// The same problems as <see cref="Check"/>, each placed at its key in the file (file:line:col), so
    /// <c>policy check</c> and <c>policy load</c> report them like the policy language's own errors.
    /// </summary>
    public static IReadOnlyList<Brightline.Policy.PolicyDiagnostic> Diagnostics(SchoolPolicy policy, string yaml, string file) =>
        Check(policy).Select(error => Policies.SectionKeyLocator.Diagnostic(yaml, file, error)).ToList();

    private static IncidentSettings Read(SchoolPolicy policy, List<string>? errors)
    {
        var defaults = new IncidentSettings();
        if (!policy.Extensions.TryGetValue(Section, out var raw) || raw is null)
        {
            return defaults;
        }

        if (raw is not IDictionary<string, object?> section)
        {
            errors?.Add("incidents: expected a mapping (kinds:, serious:, data_breach:, line_reports:).");
            return defaults;
        }

        UnknownKeys(section, s_topKeys, "incidents", errors);
        var kinds = DefaultKinds.ToList();
        if (section.TryGetValue("kinds", out var kindsRaw) && kindsRaw is not null)
        {
            if (kindsRaw is not IDictionary<string, object?> kindMap)
            {
                errors?.Add("incidents.kinds: expected a mapping of register kinds (safeguarding:, security: …).");
            }
            else
            {
                foreach (var (key, value) in kindMap)
                {
                    var index = kinds.FindIndex(k => string.Equals(k.Key, key, StringComparison.Ordinal));
                    var path = $"incidents.kinds.{key}";
                    if (index < 0)
                    {
                        errors?.Add($"{path}: \"{key}\" is not a register kind; use one of {string.Join(", ", IncidentKinds.All)}.");
                        continue;
                    }

                    if (value is null)
                    {
                        continue;
                    }

                    if (value is not IDictionary<string, object?> kindSection)
                    {
                        errors?.Add($"{path}: expected a mapping (record:, notify:, read:, retention_days:).");
                        continue;
                    }

                    UnknownKeys(kindSection, s_kindKeys, path, errors);
                    var d = kinds[index];
                    kinds[index] = d with
                    {
                        Label = kindSection.TryGetValue("label", out var l) && l is string { Length: > 0 } label ? label.Trim() : d.Label,
                        Record = Roles(kindSection, "record", $"{path}.record", PortalRoles.StaffRoles, errors) ?? d.Record,
                        Notify = Roles(kindSection, "notify", $"{path}.notify", s_policyRoles, errors) ?? d.Notify,
                        Read = Roles(kindSection, "read", $"{path}.read", s_readerRoles, errors) ?? d.Read,
                        RetentionDays = Retention(kindSection, $"{path}.retention_days", errors, d.RetentionDays),
                    };
                }
            }
        }

        var serious = Map(section, "serious", "incidents.serious", errors);
        UnknownKeys(serious, ["count", "days", "notify"], "incidents.serious", errors);
        var breach = Map(section, "data_breach", "incidents.data_breach", errors);
        UnknownKeys(breach, ["deadline_hours", "chase_hours"], "incidents.data_breach", errors);
        var deadline = Positive(breach, "deadline_hours", "incidents.data_breach.deadline_hours", errors) ?? (int)defaults.BreachDeadline.TotalHours;
        var chase = Ints(breach, "chase_hours", "incidents.data_breach.chase_hours", errors) ?? defaults.BreachChaseHours;
        if (chase.Any(h => h <= 0 || h >= deadline))
        {
            errors?.Add($"incidents.data_breach.chase_hours: each reminder must fall after discovery and before the {deadline}-hour deadline.");
            chase = [.. chase.Where(h => h > 0 && h < deadline)];
        }

        var lineReports = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (Map(section, "line_reports", "incidents.line_reports", errors) is { } lines)
        {
            foreach (var (role, _) in lines)
            {
                var path = $"incidents.line_reports.{role}";
                if (!s_readerRoles.Contains(role, StringComparer.Ordinal))
                {
                    errors?.Add($"{path}: \"{role}\" is not a role; use one of {string.Join(", ", s_readerRoles)}.");
                    continue;
                }

                lineReports[role] = Roles(lines, role, path, s_readerRoles, errors) ?? [];
            }
        }

        return new IncidentSettings
        {
            Kinds = kinds,
            PersistentCount = Positive(serious, "count", "incidents.serious.count", errors) ?? defaults.PersistentCount,
            PersistentDays = Positive(serious, "days", "incidents.serious.days", errors) ?? defaults.PersistentDays,
            SeriousNotify = Roles(serious, "notify", "incidents.serious.notify", s_policyRoles, errors) ?? defaults.SeriousNotify,
            BreachDeadline = TimeSpan.FromHours(deadline),
            BreachChaseHours = [.. chase.Order()],
            LineReports = lineReports,
        };
    }

    /// <summary>Policy role keys that can be emailed (holders named in the policy, people and accounts holding the role).</summary>
    private static readonly string[] s_policyRoles =
        [RoleKeys.Dsl, RoleKeys.DeputyDsl, RoleKeys.Head, RoleKeys.ComputingLead, RoleKeys.BusinessManager, RoleKeys.ItProvider,
         RoleKeys.ChairOfGovernors, RoleKeys.Bursar];

    /// <summary>Portal roles that may be readers (never parents or pupils).</summary>
    private static readonly IReadOnlyList<string> s_readerRoles = PortalRoles.StaffRoles;

    private static void UnknownKeys(IDictionary<string, object?>? map, IReadOnlyList<string> known, string path, List<string>? errors)
    {
        if (map is null || errors is null)
        {
            return;
        }

        foreach (var key in map.Keys.Where(k => !known.Contains(k, StringComparer.Ordinal)))
        {
            errors.Add($"{path}.{key}: unknown key; expected one of {string.Join(", ", known)}.");
        }
    }

    private static IDictionary<string, object?>? Map(IDictionary<string, object?> section, string key, string path, List<string>? errors)
    {
        if (!section.TryGetValue(key, out var v) || v is null)
        {
            return null;
        }

        if (v is IDictionary<string, object?> map)
        {
            return map;
        }

        errors?.Add($"{path}: expected a mapping.");
        return null;
    }

    private static IReadOnlyList<string>? Roles(IDictionary<string, object?>? map, string key, string path, IReadOnlyList<string> allowed, List<string>? errors)
    {
        if (map is null || !map.TryGetValue(key, out var v) || v is null)
        {
            return null;
        }

        IReadOnlyList<string> items = v switch
        {
            string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            IEnumerable<object?> list => list.Select(o => o as string ?? "").ToList(),
            _ => [""],
        };
        var good = new List<string>();
        foreach (var item in items)
        {
            if (allowed.Contains(item, StringComparer.Ordinal))
            {
                good.Add(item);
            }
            else
            {
                errors?.Add($"{path}: \"{item}\" is not a role here; use one of {string.Join(", ", allowed)}.");
            }
        }

        return good.Count == 0 ? null : good;
    }

    private static int? Retention(IDictionary<string, object?> map, string path, List<string>? errors, int? fallback)
    {
        if (!map.TryGetValue("retention_days", out var v) || v is null)
        {
            return fallback;
        }

        if (v is string s && string.Equals(s.Trim(), "keep", StringComparison.Ordinal))
        {
            return null;
        }

        if (Number(v) is { } n and > 0)
        {
            return n;
        }

        errors?.Add($"{path}: expected a whole number of days greater than 0, or \"keep\".");
        return fallback;
    }

    private static int? Positive(IDictionary<string, object?>? map, string key, string path, List<string>? errors)
    {
        if (map is null || !map.TryGetValue(key, out var v) || v is null)
        {
            return null;
        }

        if (Number(v) is { } n and > 0)
        {
            return n;
        }

        errors?.Add($"{path}: expected a whole number greater than 0.");
        return null;
    }

    private static IReadOnlyList<int>? Ints(IDictionary<string, object?>? map, string key, string path, List<string>? errors)
    {
        if (map is null || !map.TryGetValue(key, out var v) || v is null)
        {
            return null;
        }

        var items = v is string ? [v] : v is IEnumerable<object?> list ? list.ToList() : [v];
        var numbers = items.Select(Number).ToList();
        if (numbers.Any(n => n is null))
        {
            errors?.Add($"{path}: expected a list of whole numbers of hours, e.g. [48, 70].");
            return null;
        }

        return numbers.Select(n => n!.Value).ToList();
    }

    private static int? Number(object? v) => v switch
    {
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        int i => i,
        string s when int.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => i,
        _ => null,
    };
}
