using Brightline.Data.Entities;
using Brightline.Portal;

namespace Brightline.Incidents;

// The incident registers' vocabulary (kinds, statuses, entry and link kinds) and the records passed between
// IncidentService, IncidentAttachments and the pages.

public static class IncidentKinds
{
    public const string Safeguarding = Policy.Model.IncidentKindKeys.Safeguarding;
    public const string Behaviour = Policy.Model.IncidentKindKeys.Behaviour;
    public const string StaffViolation = Policy.Model.IncidentKindKeys.StaffViolation;
    public const string Security = Policy.Model.IncidentKindKeys.Security;
    public const string DataBreach = Policy.Model.IncidentKindKeys.DataBreach;
    public const string LostDevice = Policy.Model.IncidentKindKeys.LostDevice;
    public const string FilterReport = Policy.Model.IncidentKindKeys.FilterReport;

    /// <summary>The policy library declares the registers, because its checks must know them.</summary>
    public static readonly IReadOnlyList<string> All = Policy.Model.IncidentKindKeys.All;

    /// <summary>The default label; a policy may rename a register (<see cref="IncidentKindSettings.Label"/>).</summary>
    public static string Describe(string kind) =>
        IncidentSettings.DefaultKinds.FirstOrDefault(k => string.Equals(k.Key, kind, StringComparison.Ordinal))?.Label ?? kind;
}

public static class IncidentStatuses
{
    public const string Open = "open";
    public const string Investigating = "investigating";
    public const string Referred = "referred";
    public const string Closed = "closed";

    public static readonly IReadOnlyList<string> All = [Open, Investigating, Referred, Closed];

    public static string Describe(string status) => status switch
    {
        Open => "Open",
        Investigating => "Being investigated",
        Referred => "Referred to another agency",
        Closed => "Closed",
        _ => status,
    };
}

/// <summary>What a timeline entry records; the text says the rest.</summary>
public static class IncidentEntryKinds
{
    public const string Report = "report";
    public const string Note = "note";
    public const string Status = "status";
    public const string Outcome = "outcome";
    public const string IcoDecision = "ico_decision";
    public const string Link = "link";
    public const string Attachment = "attachment";
    public const string Notified = "notified";
    public const string Serious = "serious";
    public const string Person = "person";

    public static string Describe(string kind) => kind switch
    {
        Report => "Report",
        Note => "Note",
        Status => "Status changed",
        Outcome => "Closed with outcome",
        IcoDecision => "Decision on reporting to the ICO",
        Link => "Evidence linked",
        Attachment => "File attached",
        Notified => "People told",
        Serious => "Marked serious",
        Person => "Person added",
        _ => kind,
    };
}

public static class IncidentLinkKinds
{
    public const string Alert = "alert";
    public const string Dns = "dns";
    public const string FilterRequest = "filter_request";

    public static readonly IReadOnlyList<string> All = [Alert, Dns, FilterRequest];

    public static string Describe(string kind) => kind switch
    {
        Alert => "Monitoring alert",
        Dns => "Filter log entry",
        FilterRequest => "Filter report or unblock request",
        _ => kind,
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
