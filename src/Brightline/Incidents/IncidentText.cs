using Brightline.Data.Entities;

namespace Brightline.Incidents;

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
        IncidentEntryKind.DeviceSearched => "Device searched",
        IncidentEntryKind.MaterialDeleted => "Material deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an incident entry kind."),
    };

    public static string Describe(this IncidentLinkKind kind) => kind switch
    {
        IncidentLinkKind.Alert => "Monitoring alert",
        IncidentLinkKind.Dns => "Filter log entry",
        IncidentLinkKind.FilterRequest => "Filter report or unblock request",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an incident link kind."),
    };

    /// <summary>F4: how an email sent in error carried the personal data.</summary>
    public static string Describe(this MisdirectedEmail value) => value switch
    {
        MisdirectedEmail.NoAttachment => "Email sent in error: the personal data was in the email, not an attachment",
        MisdirectedEmail.AttachmentEncrypted => "Email sent in error: the personal data was in an encrypted attachment",
        MisdirectedEmail.AttachmentNotEncrypted => "Email sent in error: the personal data was in an attachment that was not encrypted",
        MisdirectedEmail.AttachmentEncryptionNotKnown => "Email sent in error: the personal data was in an attachment; not known whether it was encrypted",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Not a misdirected-email answer."),
    };
}
