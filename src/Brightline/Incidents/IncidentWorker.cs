using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Incidents;

/// <summary>Runs the chase every five minutes and the retention sweep daily, by the injected clock.</summary>
public sealed class IncidentWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<IncidentWorker> logger)
    : Kernel.PeriodicWorker(scopes, time, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    protected override TimeSpan Every => Interval;

    protected override string PassName => "An incident register pass";

    protected override async Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var background = services.GetRequiredService<IncidentBackground>();
        await background.ChaseDecisionsAsync(cancellationToken);
        if (Time.GetUtcNow() >= _nextSweep)
        {
            await background.SweepRetentionAsync(cancellationToken);
            _nextSweep = Time.GetUtcNow() + TimeSpan.FromDays(1);
        }
    }
}
