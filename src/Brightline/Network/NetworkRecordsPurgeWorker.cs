using Brightline.Kernel;

namespace Brightline.Network;

/// <summary>Deletes network sessions and rejects older than 30 days, hourly by the injected clock. Every process may run it: the deletes are idempotent.</summary>
public sealed class NetworkRecordsPurgeWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<NetworkRecordsPurgeWorker> logger)
    : PeriodicWorker(scopes, time, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override TimeSpan Every => Interval;

    protected override string PassName => "The network sessions and rejects purge";

    protected override async Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<NetworkSessions>().PurgeExpiredAsync(cancellationToken);
        await services.GetRequiredService<NetworkRejects>().PurgeExpiredAsync(cancellationToken);
    }
}
