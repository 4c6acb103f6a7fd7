using Brightline.Data.Entities;
using Brightline.Portal;

namespace Brightline.Incidents;

public sealed record IncidentFilter(string? Kind, string? Status, Guid? Person, DateOnly? From, DateOnly? To, int Page, string? PersonName = null);
