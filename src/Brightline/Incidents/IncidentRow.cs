using Brightline.Data.Entities;
using Brightline.Portal;

namespace Brightline.Incidents;

public sealed record IncidentRow(Incident Incident, IReadOnlyList<string> People);
