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

    internal static IncidentKindSettings From(IncidentKindPolicy kind) => new()
    {
        Key = kind.Key,
        Label = kind.Label,
        Record = kind.Record,
        Notify = kind.Notify,
        Read = kind.Read,
        RetentionDays = kind.RetentionDays,
        HideFromSubject = kind.HideFromSubject,
    };
}

/// <summary>
/// The policy's <c>incidents:</c> section (<see cref="IncidentsPolicy"/>, typed and checked by the policy library,
/// with the defaults issue 5 describes) in the units the registers work in. Keys: docs/incidents.md.
/// </summary>
public sealed record IncidentSettings
{
    /// <summary>The register kinds in display order, with the defaults.</summary>
    public static readonly IReadOnlyList<IncidentKindSettings> DefaultKinds = [.. IncidentsPolicy.DefaultKinds.Select(IncidentKindSettings.From)];

    public required IReadOnlyList<IncidentKindSettings> Kinds { get; init; }

    /// <summary>This many incidents about one person within <see cref="PersistentDays"/> make the latest "persistent" (W11).</summary>
    public required int PersistentCount { get; init; }
    public required int PersistentDays { get; init; }
    /// <summary>Who is told, in addition to the kind's list, about a serious or persistent incident (W5, W11).</summary>
    public required IReadOnlyList<string> SeriousNotify { get; init; }

    /// <summary>From discovery to the decision on reporting to the ICO (UK GDPR art. 33: 72 hours).</summary>
    public required TimeSpan BreachDeadline { get; init; }
    /// <summary>Hours after discovery at which the readers are chased while no decision is recorded.</summary>
    public required IReadOnlyList<int> BreachChaseHours { get; init; }

    /// <summary>Role → the roles that report to it: none of them sees or is told of an allegation about a holder of the role.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> LineReports { get; init; }

    public IncidentKindSettings? Find(string? kind) => Kinds.FirstOrDefault(k => string.Equals(k.Key, kind, StringComparison.Ordinal));

    public static IncidentSettings From(SchoolPolicy policy)
    {
        var incidents = policy.Incidents;
        return new IncidentSettings
        {
            Kinds = [.. incidents.Kinds.Select(IncidentKindSettings.From)],
            PersistentCount = incidents.PersistentCount,
            PersistentDays = incidents.PersistentDays,
            SeriousNotify = incidents.SeriousNotify,
            BreachDeadline = TimeSpan.FromHours(incidents.BreachDeadlineHours),
            BreachChaseHours = incidents.BreachChaseHours,
            LineReports = incidents.LineReports,
        };
    }
}
