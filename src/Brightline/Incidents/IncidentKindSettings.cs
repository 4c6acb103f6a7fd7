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

    /// <summary>Reads every record of the kind: through a role that is not scoped to a year group.</summary>
    public bool MayReadAll(IReadOnlyList<string> roles) =>
        roles.Any(r => Read.Contains(r, StringComparer.Ordinal) && !PortalRoles.YearGroupScoped.Contains(r, StringComparer.Ordinal));

    /// <summary>
    /// H8: reads only the records about pupils of their own year group — a Head of Year the policy lists among the
    /// register's readers (their year is their own person record's, as for the people pages: <see cref="PortalScope.HeadOfYearGroupAsync"/>).
    /// </summary>
    public bool MayReadOwnYear(IReadOnlyList<string> roles) =>
        !MayReadAll(roles) && roles.Any(r => Read.Contains(r, StringComparer.Ordinal) && PortalRoles.YearGroupScoped.Contains(r, StringComparer.Ordinal));

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
