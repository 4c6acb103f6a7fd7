using Brightline.Kernel;

namespace Brightline.BrowserExtension;

/// <summary>Deletes refused enrolments older than 30 days, hourly by the injected clock. Every process may run it: the delete is idempotent.</summary>
public sealed class EnrolmentRefusalPurgeWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<EnrolmentRefusalPurgeWorker> logger)
    : PeriodicWorker(scopes, time, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override TimeSpan Every => Interval;

    protected override string PassName => "The refused enrolments purge";

    protected override Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<EnrolmentRefusals>().PurgeExpiredAsync(cancellationToken);
}
