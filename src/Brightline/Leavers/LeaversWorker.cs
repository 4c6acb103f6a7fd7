namespace Brightline.Leavers;

/// <summary>
/// Hourly: opens a checklist for each recent leaver (the people import sets <c>LeftOn</c>) who still has equipment.
/// A worker rather than a hook in the import keeps the people import unaware of devices; the list is at most an hour late.
/// </summary>
public sealed class LeaversWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<LeaversWorker> logger)
    : Kernel.PeriodicWorker(scopes, time, logger)
{
    protected override TimeSpan Every => TimeSpan.FromHours(1);

    protected override string PassName => "The leavers' equipment pass";

    protected override Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<LeaversService>().OpenForAllLeaversAsync(cancellationToken);
}
