using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Safeguarding;

/// <summary>
/// Scores events after they are stored (issue 4): the ingestion API commits a batch, answers, and calls
/// <see cref="Notify"/>; this service then runs <see cref="AlertProcessor.ScorePendingAsync"/>, which finds
/// every unscanned event in the database. Nothing is kept in memory between passes, so events acknowledged
/// before a restart are scored by the first pass after it, and a missed signal only delays scoring until the
/// next poll. Tests call <see cref="ProcessPendingAsync"/> to score deterministically. With several nodes the background
/// pass takes a lease (<see cref="WorkLeases"/>) so one event is never scored twice; a node that finds the lease held
/// leaves the events to the node holding it, or to its own next poll.
/// </summary>
public sealed partial class ScoringWorker(IServiceScopeFactory scopes, TimeProvider time, WorkLeases leases, ILogger<ScoringWorker> logger) : BackgroundService
{
    /// <summary>How often the database is checked without a signal (events stored by another node, or a failed pass).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Says new events are stored; cheap and never blocks (several signals before a pass make one pass).</summary>
    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another request signalled first: one pass will see both batches.
            }
        }
    }

    /// <summary>Scores everything stored and not yet scanned, and returns when it is done (waiting for a pass already running).</summary>
    public async Task<int> ProcessPendingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AlertProcessor>().ScorePendingAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first pass runs at start-up: this is where events stored before a restart are picked up.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var lease = await leases.TryTakeAsync(nameof(ScoringWorker), stoppingToken);
                if (lease is not null)
                {
                    await ProcessPendingAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or DomainException or System.Data.Common.DbException)
            {
                // Nothing is lost: the events stay unscanned and the next pass tries again.
                LogPassFailed(logger, e.GetType().Name);
            }

            try
            {
                using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var delay = Task.Delay(PollInterval, time, poll.Token);
                await Task.WhenAny(_signal.WaitAsync(poll.Token), delay);
                await poll.CancelAsync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        _signal.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A scoring pass failed ({Error}); the events stay unscanned and the next pass tries again.")]
    private static partial void LogPassFailed(ILogger logger, string error);
}
