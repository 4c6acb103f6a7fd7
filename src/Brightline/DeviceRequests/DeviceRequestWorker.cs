namespace Brightline.DeviceRequests;

/// <summary>Expires approvals and sends renewal reminders every minute by the injected clock.</summary>
public sealed class DeviceRequestWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<DeviceRequestWorker> logger)
    : Kernel.PeriodicWorker(scopes, time, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override TimeSpan Every => Interval;

    protected override string PassName => "The device requests' expiry sweep";

    protected override Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<DeviceRequestSweep>().RunAsync(cancellationToken);
}
