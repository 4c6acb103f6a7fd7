using Brightline.Data.Entities;

namespace Brightline.Incidents;

public sealed record IncidentDeadlinesView(IReadOnlyList<Incident> Due, DateTimeOffset Now);
