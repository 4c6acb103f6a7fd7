using Brightline.Kernel;

namespace Brightline.Safeguarding;

/// <summary>Runs <see cref="MonitoringScreenshots.PurgeAsync"/> hourly by the injected clock (O9: screenshots kept at most the policy's retention). Every process may run it: the delete is idempotent.</summary>
public sealed class ScreenshotPurgeWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<ScreenshotPurgeWorker> logger)
    : PeriodicWorker(scopes, time, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override TimeSpan Every => Interval;

    protected override string PassName => "The screenshot purge";

    protected override Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<MonitoringScreenshots>().PurgeAsync(cancellationToken);
}
