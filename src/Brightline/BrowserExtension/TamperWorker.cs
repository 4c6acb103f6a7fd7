using Brightline.Kernel;

namespace Brightline.BrowserExtension;

/// <summary>
/// Looks for silent browsers once a minute by the injected clock (<see cref="TamperAlerts.CheckSilenceAsync"/>). Every
/// process may run it: a silence is claimed in SQL before it is alerted, so it is alerted once.
/// </summary>
public sealed class TamperWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<TamperWorker> logger)
    : PeriodicWorker(scopes, time, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override TimeSpan Every => Interval;

    protected override string PassName => "The browser-extension silence check";

    protected override Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<TamperAlerts>().CheckSilenceAsync(cancellationToken);
}
