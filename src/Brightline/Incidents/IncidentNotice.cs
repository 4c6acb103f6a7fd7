namespace Brightline.Incidents;

/// <summary>What a new incident's routing needs: its register's settings and the people it is about.</summary>
public sealed record IncidentNotice(IncidentKindSettings Kind, IncidentSettings Settings, IReadOnlyList<Guid> People);
