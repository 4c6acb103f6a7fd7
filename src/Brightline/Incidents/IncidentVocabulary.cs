using Brightline.Data.Entities;
using Brightline.Portal;

namespace Brightline.Incidents;

// The incident registers' vocabulary (kinds, statuses, entry and link kinds) and the records passed between
// IncidentService, IncidentAttachments and the pages.

public static class IncidentKinds
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

    /// <summary>The default label; a policy may rename a register (<see cref="IncidentKindSettings.Label"/>).</summary>
    public static string Describe(string kind) =>
        IncidentSettings.DefaultKinds.FirstOrDefault(k => string.Equals(k.Key, kind, StringComparison.Ordinal))?.Label ?? kind;
}

/// <summary>How the incident states, timeline entries and links read on screen (the stored words are in <see cref="IncidentStatuses"/>).</summary>
public static class IncidentText
{
    public static string Describe(this IncidentStatus status) => status switch
    {
        IncidentStatus.Open => "Open",
        IncidentStatus.Investigating => "Being investigated",
        IncidentStatus.Referred => "Referred to another agency",
        IncidentStatus.Closed => "Closed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not an incident status."),
    };

    public static string Describe(this IncidentEntryKind kind) => kind switch
    {
        IncidentEntryKind.Report => "Report",
        IncidentEntryKind.Note => "Note",
        IncidentEntryKind.Status => "Status changed",
        IncidentEntryKind.Outcome => "Closed with outcome",
        IncidentEntryKind.IcoDecision => "Decision on reporting to the ICO",
        IncidentEntryKind.Link => "Evidence linked",
        IncidentEntryKind.Attachment => "File attached",
        IncidentEntryKind.Notified => "People told",
        IncidentEntryKind.Serious => "Marked serious",
        IncidentEntryKind.Person => "Person added",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an incident entry kind."),
    };

    public static string Describe(this IncidentLinkKind kind) => kind switch
    {
        IncidentLinkKind.Alert => "Monitoring alert",
        IncidentLinkKind.Dns => "Filter log entry",
        IncidentLinkKind.FilterRequest => "Filter report or unblock request",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an incident link kind."),
    };
}

public sealed record NewIncident(
    string SchoolId, string? Kind, string? Title, IReadOnlyList<Guid> People, IReadOnlyList<string> RuleIds, string? FirstEntry, string Actor,
    bool Serious = false, DateTimeOffset? DiscoveredAt = null, string? DeviceDescription = null, long? AlertId = null, long? FilterRequestId = null,
    bool Notify = true);

/// <summary>Who is asking: the portal user's name, their person record and roles at the school.</summary>
public sealed record IncidentActor(string UserName, Guid? PersonId, IReadOnlyList<string> Roles, string? ClientAddress = null)
{
    public static IncidentActor From(PortalScope scope) => new(scope.UserName, scope.PersonId, scope.Roles, scope.ClientAddress);
}

/// <summary>How much of one incident a user may see.</summary>
public enum IncidentAccess
{
    /// <summary>Nothing: not a reader, not the reporter, or the subject of an allegation (answer 403 or 404).</summary>
    None,
    /// <summary>The reporter who is not a reader: their own unrestricted entries and files, and the status.</summary>
    Reporter,
    /// <summary>One of the kind's readers: everything.</summary>
    Reader,
}

public sealed record IncidentView(
    Incident Incident, IReadOnlyList<Person> People, IReadOnlyList<IncidentEntry> Entries,
    IReadOnlyList<IncidentLink> Links, IReadOnlyList<IncidentAttachment> Attachments, IncidentAccess Access, IncidentKindSettings Settings);

public sealed record IncidentFilter(string? Kind, string? Status, Guid? Person, DateOnly? From, DateOnly? To, int Page, string? PersonName = null);

public sealed record IncidentRow(Incident Incident, IReadOnlyList<string> People);

public sealed record IncidentListPage(IReadOnlyList<IncidentRow> Rows, int Total, int Page, int Pages);
