using Brightline.Data.Entities;

namespace Brightline.Incidents;

public sealed record IncidentView(
    Incident Incident, IReadOnlyList<Person> People, IReadOnlyList<IncidentEntry> Entries,
    IReadOnlyList<IncidentLink> Links, IReadOnlyList<IncidentAttachment> Attachments, IncidentAccess Access, IncidentKindSettings Settings);
