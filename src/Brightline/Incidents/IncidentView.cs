using Brightline.Data.Entities;
using Brightline.Portal;

namespace Brightline.Incidents;

public sealed record IncidentView(
    Incident Incident, IReadOnlyList<Person> People, IReadOnlyList<IncidentEntry> Entries,
    IReadOnlyList<IncidentLink> Links, IReadOnlyList<IncidentAttachment> Attachments, IncidentAccess Access, IncidentKindSettings Settings);
