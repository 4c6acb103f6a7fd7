using Brightline.Data.Entities;
using Brightline.Portal;

namespace Brightline.Incidents;

public sealed record IncidentListPage(IReadOnlyList<IncidentRow> Rows, int Total, int Page, int Pages);
