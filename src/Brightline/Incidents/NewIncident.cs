using Brightline.Data.Entities;
using Brightline.Portal;

namespace Brightline.Incidents;

public sealed record NewIncident(
    string SchoolId, string? Kind, string? Title, IReadOnlyList<Guid> People, IReadOnlyList<string> RuleIds, string? FirstEntry, string Actor,
    bool Serious = false, DateTimeOffset? DiscoveredAt = null, string? DeviceDescription = null, long? AlertId = null, long? FilterRequestId = null,
    bool Notify = true);
