using System.Text.Json;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.WebFiltering;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.Approvals;

/// <summary>The approvals feature's process settings (section <c>Brightline:Approvals</c>); the workflow itself is in the policy.</summary>
public sealed class ApprovalsOptions
{
    public const string Section = "Brightline:Approvals";

    /// <summary>Whether this process runs the expiry sweep (every 30 seconds).</summary>
    public bool Worker { get; set; } = true;
}
