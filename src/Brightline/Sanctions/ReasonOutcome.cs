using Brightline.Data.Entities;

namespace Brightline.Sanctions;

/// <summary>What imposing a reason did: the sanction the gate enforces, or the disciplinary incident recorded.</summary>
public sealed record ReasonOutcome(Sanction? Sanction, Incident? Incident);
