using Microsoft.EntityFrameworkCore;

namespace Brightline.Kernel;

/// <summary>
/// A background pass run every <see cref="Every"/> by the injected clock (so tests drive it with a
/// manual clock), each pass in a fresh DI scope. A pass that fails on the database or on a domain rule
/// is logged and simply runs again next time, so one bad row never stops the worker; shutdown ends it.
/// Each pass first takes the worker's lease (<see cref="WorkLeases"/>), so with several portal nodes on one database
/// only one of them runs a given pass; a worker that is safe on every node at once says so with a null <see cref="LeaseName"/>.
/// </summary>
public abstract partial class PeriodicWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>How long to wait before each pass.</summary>
    protected abstract TimeSpan Every { get; }

    /// <summary>What the pass is called in the log, e.g. "The approvals expiry sweep".</summary>
    protected abstract string PassName { get; }

    protected TimeProvider Time => time;

    /// <summary>
    /// The lease a pass must hold, one per worker type by default; null for a worker that is safe on every node at once
    /// (the email outbox claims each message instead).
    /// </summary>
    protected virtual string? LeaseName => GetType().Name;

    /// <summary>Waits before each pass: <see cref="Every"/> on the clock, unless a worker can also be woken early.</summary>
    protected virtual Task WaitForNextPassAsync(CancellationToken cancellationToken) => Task.Delay(Every, time, cancellationToken);

    protected abstract Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WaitForNextPassAsync(stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                if (LeaseName is not { } leaseName)
                {
                    await RunPassAsync(scope.ServiceProvider, stoppingToken);
                    continue;
                }

                // Held for the whole pass and released after it; another node running the same pass now means this one skips it.
                await using var lease = await scope.ServiceProvider.GetRequiredService<WorkLeases>().TryTakeAsync(leaseName, stoppingToken);
                if (lease is not null)
                {
                    await RunPassAsync(scope.ServiceProvider, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or DomainException or System.Data.Common.DbException)
            {
                LogPassFailed(logger, PassName, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 1901, Level = LogLevel.Error, Message = "{Pass} failed ({Error}); it will run again.")]
    private static partial void LogPassFailed(ILogger logger, string pass, string error);
}
