using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

using Brightline.Monitoring;

namespace Brightline.Safeguarding;

/// <summary>What deleting a person's monitoring data removes and what it keeps.</summary>
public sealed record ErasureCounts(int Events, int Alerts, int KeptAlerts, int KeptEvents);
