using System.Text.Json;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.WebFiltering;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.Approvals;

/// <summary>Records the end of approvals whose time ran out, every 30 seconds by the injected clock.</summary>
public sealed class ApprovalWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<ApprovalWorker> logger)
    : Kernel.PeriodicWorker(scopes, time, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override TimeSpan Every => Interval;

    protected override string PassName => "The approvals expiry sweep";

    protected override Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<ApprovalService>().ExpireDueAsync(cancellationToken);
}
