namespace Brightline.Kernel;

/// <summary>
/// A refresh from the database that a hot path (each DNS answer) may ask for without ever waiting on it:
/// <see cref="RunInBackgroundIfStale"/> starts one when the last began at least the interval ago by the
/// injected clock and none is running; <see cref="RunAsync"/> runs one now (start-up, after a change made
/// here). At most one runs at a time. Used where a separate DNS process must follow what the portal stores
/// (policy versions and overrides, sign-in bindings) without a timer service.
/// </summary>
public sealed partial class StaleRefresh(TimeSpan interval, TimeProvider time, ILogger logger, string what, Func<CancellationToken, Task> refresh) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private long _lastStartTicks = long.MinValue;

    /// <summary>True when the last refresh began at least the interval ago (or none has run).</summary>
    public bool IsStale => time.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastStartTicks) >= interval.Ticks;

    /// <summary>Starts a refresh in the background if one is due and none is running; never waits. A failure is logged and the next call tries again.</summary>
    public void RunInBackgroundIfStale()
    {
        if (IsStale && _lock.CurrentCount > 0)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await RunAsync(CancellationToken.None);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, what, ex);
                }
            });
        }
    }

    /// <summary>Refreshes now (after any refresh already running).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            Interlocked.Exchange(ref _lastStartTicks, time.GetUtcNow().UtcTicks);
            await refresh(cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    [LoggerMessage(EventId = 1902, Level = LogLevel.Warning, Message = "{What} failed; what this process has stays in force and it tries again.")]
    private static partial void LogFailed(ILogger logger, string what, Exception exception);

    public void Dispose() => _lock.Dispose();
}
