using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Sanctions;

/// <summary>What imposing a reason did: the sanction the gate enforces, or the disciplinary incident recorded.</summary>
public sealed record ReasonOutcome(Sanction? Sanction, Incident? Incident);
