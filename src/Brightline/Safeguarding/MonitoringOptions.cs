using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;

using Brightline.Monitoring;

namespace Brightline.Safeguarding;

/// <summary>Monitoring's process settings (section <c>Brightline:Monitoring</c>); what is monitored is in the policy.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Brightline:Monitoring";

    /// <summary>Whether this process runs the monitoring worker and the scoring of ingested events.</summary>
    public bool Worker { get; set; } = true;
}
