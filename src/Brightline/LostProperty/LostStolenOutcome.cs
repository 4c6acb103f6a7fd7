namespace Brightline.LostProperty;

/// <summary>What a lost-or-stolen report did: the incident opened (if it could be), how many were emailed, the network sessions ended.</summary>
public sealed record LostStolenOutcome(Guid? IncidentId, string? IncidentProblem, int Emailed, IReadOnlyList<string> Disconnects);
