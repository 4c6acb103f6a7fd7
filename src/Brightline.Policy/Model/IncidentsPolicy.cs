namespace Brightline.Policy.Model;

/// <summary>The incident registers' keys, in display order: the keys of <c>incidents.kinds</c>.</summary>
public static class IncidentKindKeys
{
    public const string Safeguarding = "safeguarding";
    public const string Behaviour = "behaviour";
    public const string StaffViolation = "staff_violation";
    public const string Security = "security";
    public const string DataBreach = "data_breach";
    public const string LostDevice = "lost_device";
    public const string FilterReport = "filter_report";

    public static readonly IReadOnlyList<string> All =
        [Safeguarding, Behaviour, StaffViolation, Security, DataBreach, LostDevice, FilterReport];
}

/// <summary>One register: who may record into it, who is told, who may read it, and how long closed records are kept.</summary>
public sealed record IncidentKindPolicy
{
    public required string Key { get; init; }
    public required string Label { get; init; }
    /// <summary>Portal roles that may record; <c>staff</c> means every adult role.</summary>
    public required IReadOnlyList<string> Record { get; init; }
    /// <summary>Policy role keys emailed a link when an incident is recorded.</summary>
    public required IReadOnlyList<string> Notify { get; init; }
    /// <summary>Portal roles that read every incident of the kind, restricted entries included.</summary>
    public required IReadOnlyList<string> Read { get; init; }
    /// <summary>Days after closing before the record is removed; null keeps it for ever (the default, <c>keep</c>).</summary>
    public int? RetentionDays { get; init; }
    /// <summary>Allegations about staff: the people involved never see the record, nor the roles that report to them.</summary>
    public bool HideFromSubject { get; init; }
}

/// <summary>
/// The policy's <c>incidents:</c> section with the defaults issue 5 describes (safeguarding → DSL and deputies;
/// security and lost devices → IT provider, head and business manager (F7, F13); staff allegations → head only;
/// serious or persistent breaches → ICT coordinator and DSL (W5, W11); data breaches decided within 72 hours
/// (O6, F4)). Keys: docs/incidents.md.
/// </summary>
public sealed record IncidentsPolicy
{
    /// <summary>The registers in display order, as a school gets them without an <c>incidents:</c> section.</summary>
    public static readonly IReadOnlyList<IncidentKindPolicy> DefaultKinds =
    [
        new() { Key = IncidentKindKeys.Safeguarding, Label = "Safeguarding concern", Record = [PortalRoleKeys.Staff],
            Notify = [RoleKeys.Dsl, RoleKeys.DeputyDsl], Read = [RoleKeys.Dsl, RoleKeys.DeputyDsl, RoleKeys.Head] },
        new() { Key = IncidentKindKeys.Behaviour, Label = "Behaviour concern", Record = [PortalRoleKeys.Staff],
            Notify = [RoleKeys.ComputingLead], Read = [RoleKeys.Dsl, RoleKeys.DeputyDsl, RoleKeys.Head, RoleKeys.ComputingLead] },
        new() { Key = IncidentKindKeys.StaffViolation, Label = "Staff violation or allegation", Record = [PortalRoleKeys.Staff],
            Notify = [RoleKeys.Head], Read = [RoleKeys.Head], HideFromSubject = true },
        new() { Key = IncidentKindKeys.Security, Label = "Security incident", Record = [PortalRoleKeys.Staff],
            Notify = [RoleKeys.ItProvider, RoleKeys.Head, RoleKeys.BusinessManager],
            Read = [RoleKeys.Head, RoleKeys.BusinessManager, RoleKeys.ItProvider, RoleKeys.ComputingLead, RoleKeys.ItSupport] },
        new() { Key = IncidentKindKeys.DataBreach, Label = "Personal data breach", Record = [PortalRoleKeys.Staff],
            Notify = [RoleKeys.Head, RoleKeys.BusinessManager, RoleKeys.ComputingLead],
            Read = [RoleKeys.Head, RoleKeys.BusinessManager, RoleKeys.ComputingLead, RoleKeys.Dsl] },
        new() { Key = IncidentKindKeys.LostDevice, Label = "Lost or stolen device", Record = [PortalRoleKeys.Staff],
            Notify = [RoleKeys.ItProvider, RoleKeys.Head, RoleKeys.BusinessManager],
            Read = [RoleKeys.Head, RoleKeys.BusinessManager, RoleKeys.ItProvider, RoleKeys.ComputingLead, RoleKeys.ItSupport] },
        new() { Key = IncidentKindKeys.FilterReport, Label = "Filter miss or over-blocking", Record = [PortalRoleKeys.Staff],
            Notify = [RoleKeys.ComputingLead, RoleKeys.ItProvider],
            Read = [RoleKeys.ComputingLead, RoleKeys.ItProvider, RoleKeys.Dsl, RoleKeys.DeputyDsl, RoleKeys.Head] },
    ];

    public const int DefaultBreachDeadlineHours = 72;

    public IReadOnlyList<IncidentKindPolicy> Kinds { get; init; } = DefaultKinds;

    /// <summary>This many incidents about one person within <see cref="PersistentDays"/> make the latest "persistent" (W11).</summary>
    public int PersistentCount { get; init; } = 3;
    public int PersistentDays { get; init; } = 30;
    /// <summary>Policy role keys told, in addition to the kind's list, about a serious or persistent incident (W5, W11).</summary>
    public IReadOnlyList<string> SeriousNotify { get; init; } = [RoleKeys.ComputingLead, RoleKeys.Dsl];

    /// <summary>Hours from discovery to the decision on reporting to the ICO (UK GDPR art. 33: 72).</summary>
    public int BreachDeadlineHours { get; init; } = DefaultBreachDeadlineHours;
    /// <summary>Hours after discovery at which the readers are chased while no decision is recorded, ascending.</summary>
    public IReadOnlyList<int> BreachChaseHours { get; init; } = [48, 70];

    /// <summary>Portal role → the portal roles that report to it: none of them sees or is told of an allegation about a holder of the role.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> LineReports { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    public IncidentKindPolicy? Find(string? kind) => Kinds.FirstOrDefault(k => string.Equals(k.Key, kind, StringComparison.Ordinal));
}
