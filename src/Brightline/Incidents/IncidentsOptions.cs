using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Incidents;

/// <summary>The incidents feature's process settings (section <c>Brightline:Incidents</c>); the rest is in the policy.</summary>
public sealed class IncidentsOptions
{
    public const string Section = "Brightline:Incidents";

    /// <summary>Whether this process runs the incidents worker (the chase every five minutes, the daily retention sweep).</summary>
    public bool Worker { get; set; } = true;
}
