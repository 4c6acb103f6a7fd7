using Brightline.Data.Entities;

namespace Brightline.Incidents;

public sealed record IncidentRow(Incident Incident, IReadOnlyList<string> People);
