using Brightline.Kernel;

namespace Brightline.Network;

/// <summary>
/// Takes access changes from <see cref="DisconnectQueue"/> one at a time and reconsiders the person's live sessions
/// (<see cref="AccessDisconnects"/>), each in a fresh DI scope. A change whose disconnects met silence or a failure is
/// tried again after <see cref="RetryDelay"/>, at most <see cref="MaxAttempts"/> times in all; nothing here can stop
/// the server: every failure is logged and the worker goes on to the next change.
/// With several portal nodes on one PostgreSQL database every node hears every access change, so only one acts on them:
/// the node holding the lease <c>DisconnectWorker</c> (<see cref="WorkLeases.TryHoldAsync"/>, issue 18 part 3) queues
/// changes; the others try to take it every <see cref="LeaderRetry"/>. The holder checks its lease as often and stops
/// queueing if it has lost it; a change heard while no node holds the lease (a holder died, for up to that interval) is
/// not acted on, and the session ends at its Session-Timeout, as before Disconnect-Request existed. On SQLite (one node)
/// the lease is always held.
/// </summary>
public sealed partial class DisconnectWorker(
    DisconnectQueue queue, IServiceScopeFactory scopes, WorkLeases leases, TimeProvider time, ILogger<DisconnectWorker> logger)
    : BackgroundService
{
    public const int MaxAttempts = 3;
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan LeaderRetry = TimeSpan.FromSeconds(10);
    private const string LeaseName = nameof(DisconnectWorker);

    private WorkLeases.HeldWorkLease? _lease;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the host finishes starting, so a change committed by the first request is already queued.
        await TryLeadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Running = false;
        await base.StopAsync(cancellationToken);
        await ReleaseAsync();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var leading = KeepLeadingAsync(stoppingToken);
        await WorkAsync(stoppingToken);
        await leading;
    }

    /// <summary>Takes the lease if no node holds it; this node then acts on access changes.</summary>
    private async Task TryLeadAsync(CancellationToken cancellationToken)
    {
        try
        {
            _lease = await leases.TryHoldAsync(LeaseName, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The database is away: try again at the next interval.
            LogLeaseFailed(logger, exception.GetType().Name);
            _lease = null;
        }

        queue.Running = _lease is not null;
    }

    private async Task ReleaseAsync()
    {
        queue.Running = false;
        if (_lease is { } lease)
        {
            _lease = null;
            await lease.DisposeAsync();
        }
    }

    /// <summary>Every <see cref="LeaderRetry"/>: the holder checks it still holds the lease; the others try to take it.</summary>
    private async Task KeepLeadingAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(LeaderRetry, time, stoppingToken);
                try
                {
                    if (_lease is { } lease)
                    {
                        if (!await lease.StillHeldAsync(stoppingToken))
                        {
                            LogLeaseLost(logger);
                            await ReleaseAsync();
                        }
                    }
                    else
                    {
                        await TryLeadAsync(stoppingToken);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException and not OutOfMemoryException)
                {
                    // Whatever failed, this node goes on trying at the next interval.
                    LogLeaseFailed(logger, exception.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; StopAsync releases the lease.
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in queue.Reader.ReadAllAsync(stoppingToken))
            {
                bool done;
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    // First FreeRADIUS forgets the answers it repeats (FreeRadiusAnswers), so a device thrown off below
                    // reconnects to a live answer; then the live sessions whose answer changed are disconnected.
                    var forgotten = await scope.ServiceProvider.GetRequiredService<FreeRadiusAnswerFlush>()
                        .FlushTwiceAsync(work.Change.SchoolId, stoppingToken);
                    var disconnects = scope.ServiceProvider.GetRequiredService<AccessDisconnects>();
                    done = await disconnects.ReconsiderAsync(work.Change.SchoolId, work.Change.PersonId, work.Change.Reason, stoppingToken) && forgotten;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Whatever went wrong (the database away, a NAS address that will not parse), the server goes on.
                    LogFailed(logger, work.Change.Reason, ex.GetType().Name);
                    done = false;
                }

                if (!done && work.Attempt < MaxAttempts)
                {
                    ScheduleRetry(work, stoppingToken);
                }

                queue.Finished();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Waits in the background (by the injected clock) and queues the change again, so other changes are not held up meanwhile.</summary>
    private void ScheduleRetry(DisconnectWork work, CancellationToken stoppingToken) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(RetryDelay, time, stoppingToken);
                if (!queue.Retry(work))
                {
                    LogFailed(logger, work.Change.Reason, "queue full");
                }
            }
            catch (OperationCanceledException)
            {
                // Shutting down: the sessions end at their Session-Timeout.
            }
        }, CancellationToken.None);

    [LoggerMessage(EventId = 13014, Level = LogLevel.Warning, Message = "Could not take the network disconnect lease ({Error}); trying again shortly.")]
    private static partial void LogLeaseFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 13015, Level = LogLevel.Warning, Message = "This node lost the network disconnect lease (its database connection ended); another node may act on access changes now.")]
    private static partial void LogLeaseLost(ILogger logger);

    [LoggerMessage(EventId = 13013, Level = LogLevel.Error, Message = "Reconsidering network sessions after an access change ({Reason}) failed ({Error}); it is tried again if tries remain.")]
    private static partial void LogFailed(ILogger logger, string reason, string error);
}
