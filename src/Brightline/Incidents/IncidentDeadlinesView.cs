using Brightline.Data.Entities;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Incidents;

public sealed record IncidentDeadlinesView(IReadOnlyList<Incident> Due, DateTimeOffset Now);
