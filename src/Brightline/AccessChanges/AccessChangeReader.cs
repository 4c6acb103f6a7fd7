using Brightline.Data;
using Microsoft.EntityFrameworkCore;

namespace Brightline.AccessChanges;

/// <summary>
/// Reads, in every process, the changes other processes committed: rows with an id greater than the last seen,
/// every <see cref="AccessChangeOptions.PollInterval"/> by the injected clock — the stated bound on how late a
/// separate <c>brightline dns</c> hears of a sanction imposed in the portal. Started by <c>brightline serve</c>
/// as a hosted service and by <c>brightline dns</c> beside its DNS host.
/// </summary>
/// <remarks>
/// PostgreSQL hands out identity values at insert, not at commit, so a change can become visible after one with
/// a greater id. The reader remembers ids it skipped over and asks for them again for <see cref="GapPatience"/>
/// (on SQLite, whose writers are serialised, a gap is only ever a rolled-back insert). No LISTEN/NOTIFY: the
/// poll is one indexed query a second, and one mechanism on both databases is easier to trust.
/// </remarks>
public sealed partial class AccessChangeReader(
    AccessChangeHub hub,
    AccessChangeOptions options,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<AccessChangeReader> logger) : IHostedService, IDisposable
{
    /// <summary>How long an id skipped over is asked for again before it is taken as rolled back.</summary>
    public static readonly TimeSpan GapPatience = TimeSpan.FromSeconds(30);

    private const int MaxGaps = 1000;
    private const int BatchSize = 500;

    private readonly Dictionary<long, DateTimeOffset> _gaps = [];
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly Lock _starting = new();
    private long _lastSeen = -1;
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    /// <summary>The greatest change id this process has read (−1 before the first read).</summary>
    public long LastSeen => Interlocked.Read(ref _lastSeen);

    /// <summary>Starts reading (once; a second call does nothing), from the changes committed after now.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_starting)
        {
            if (_stopping is not null)
            {
                return;
            }

            _stopping = new CancellationTokenSource();
        }

        // Earlier changes matter to nobody: this process has cached nothing yet.
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            Interlocked.Exchange(ref _lastSeen, await db.AccessChanges.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0);
        }

        _loop = FollowAsync(_stopping.Token);
    }

    /// <remarks>The token source is left to the collector (it holds no timer): stopping may be asked for more than once.</remarks>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is { } stopping)
        {
            await stopping.CancelAsync();
            await (_loop ?? Task.CompletedTask);
        }
    }

    /// <summary>Reads and tells the changes committed since the last read (also called by tests).</summary>
    public async Task<int> ReadOnceAsync(CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            return await ReadAsync(cancellationToken);
        }
        finally
        {
            _reading.Release();
        }
    }

    private async Task<int> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var last = Interlocked.Read(ref _lastSeen);
        var changes = db.AccessChanges.AsNoTracking();
        if (_gaps.Count == 0)
        {
            // The usual poll: one statement whose SQL EF keeps. A list parameter (below) makes EF write the SQL again on
            // every poll: steady work in `brightline dns` beside its query path (issue 18 part 5).
            changes = changes.Where(c => c.Id > last);
        }
        else
        {
            var gaps = _gaps.Keys.ToList();
            changes = changes.Where(c => c.Id > last || gaps.Contains(c.Id));
        }

        var rows = await changes.OrderBy(c => c.Id).Take(BatchSize).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var row in rows)
        {
            if (!_gaps.Remove(row.Id) && row.Id <= last)
            {
                continue;
            }

            for (var missing = last + 1; missing < row.Id && _gaps.Count < MaxGaps; missing++)
            {
                _gaps[missing] = now;
            }

            last = Math.Max(last, row.Id);
            hub.TellRead(row);
        }

        foreach (var (id, since) in _gaps.ToList())
        {
            if (now - since > GapPatience)
            {
                _gaps.Remove(id);
            }
        }

        Interlocked.Exchange(ref _lastSeen, last);
        return rows.Count;
    }

    private async Task FollowAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.PollInterval, time, stopping);
                // A full batch means more are waiting: read again before sleeping.
                while (await ReadOnceAsync(stopping) == BatchSize)
                {
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
            {
                // The database is away for a moment: caches expire on their own meanwhile; read again next time.
                LogReadFailed(logger, ex.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 1952, Level = LogLevel.Warning, Message = "Reading access changes failed ({Error}); trying again at the next poll.")]
    private static partial void LogReadFailed(ILogger logger, string error);

    public void Dispose()
    {
        _stopping?.Dispose();
        _reading.Dispose();
    }
}
