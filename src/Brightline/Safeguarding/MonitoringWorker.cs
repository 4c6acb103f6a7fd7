using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Severity = Brightline.Monitoring.Severity;

using Brightline.Monitoring;

namespace Brightline.Safeguarding;

/// <summary>Runs <see cref="AlertProcessor.RunOnceAsync"/> and <see cref="WeeklyDigest.SendDueAsync"/> every minute and <see cref="AlertProcessor.PurgeAsync"/> daily (by the injected clock).</summary>
public sealed class MonitoringWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<MonitoringWorker> logger)
    : Kernel.PeriodicWorker(scopes, time, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;

    protected override TimeSpan Every => Interval;

    protected override string PassName => "A monitoring pass";

    protected override async Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var processor = services.GetRequiredService<AlertProcessor>();
        await processor.RunOnceAsync(cancellationToken);
        await services.GetRequiredService<WeeklyDigest>().SendDueAsync(cancellationToken);
        if (Time.GetUtcNow() >= _nextPurge)
        {
            await processor.PurgeAsync(cancellationToken);
            _nextPurge = Time.GetUtcNow() + TimeSpan.FromDays(1);
        }
    }
}
