namespace Brightline.Network;

/// <summary>
/// Takes access changes from <see cref="DisconnectQueue"/> one at a time and reconsiders the person's live sessions
/// (<see cref="AccessDisconnects"/>), each in a fresh DI scope. A change whose disconnects met silence or a failure is
/// tried again after <see cref="RetryDelay"/>, at most <see cref="MaxAttempts"/> times in all; nothing here can stop
/// the server: every failure is logged and the worker goes on to the next change.
/// </summary>
public sealed partial class DisconnectWorker(DisconnectQueue queue, IServiceScopeFactory scopes, TimeProvider time, ILogger<DisconnectWorker> logger)
    : BackgroundService
{
    public const int MaxAttempts = 3;
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the host finishes starting, so a change committed by the first request is already queued.
        queue.Running = true;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Running = false;
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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

    [LoggerMessage(EventId = 13013, Level = LogLevel.Error, Message = "Reconsidering network sessions after an access change ({Reason}) failed ({Error}); it is tried again if tries remain.")]
    private static partial void LogFailed(ILogger logger, string reason, string error);
}
