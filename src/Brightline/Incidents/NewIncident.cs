namespace Brightline.Incidents;

/// <param name="MisdirectedEmail">F4: a data breach by an email sent in error — was the personal data in an attachment, and was it encrypted.</param>
/// <param name="AlsoNotify">Policy roles told as well as the register's own list (issue 15: a password rule's <c>compromised.notify</c>, F3).</param>
public sealed record NewIncident(
    string SchoolId, string? Kind, string? Title, IReadOnlyList<Guid> People, IReadOnlyList<string> RuleIds, string? FirstEntry, string Actor,
    bool Serious = false, DateTimeOffset? DiscoveredAt = null, string? DeviceDescription = null, long? AlertId = null, long? FilterRequestId = null,
    bool Notify = true, IReadOnlyList<string>? AlsoNotify = null, Brightline.Data.Entities.MisdirectedEmail? MisdirectedEmail = null);
