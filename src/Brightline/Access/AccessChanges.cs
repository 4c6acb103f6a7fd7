using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Access;

/// <summary>
/// What someone may do has changed: a sanction imposed or lifted, an approval in force or ended, an agreement
/// signed or countersigned, a sign-in or sign-out, a leaver. <see cref="PersonId"/> is null for a school-wide change.
/// </summary>
public sealed record AccessChange(string SchoolId, Guid? PersonId, string Reason);

/// <summary>The reasons an access change is published with (short codes, stored; never personal data).</summary>
public static class AccessChangeReasons
{
    public const string SanctionImposed = "sanction-imposed";
    public const string SanctionLifted = "sanction-lifted";
    public const string ApprovalStarted = "approval-started";
    public const string ApprovalEnded = "approval-ended";
    public const string AgreementSigned = "agreement-signed";
    public const string AgreementCountersigned = "agreement-countersigned";
    public const string SignedIn = "signed-in";
    public const string SignedOut = "signed-out";
    public const string Leaver = "leaver";
}

/// <summary>
/// An enforcement point (the DNS filter today; network access and device agents later) that caches access
/// answers. Told of every change made in any process: at once for a change committed in this process, and
/// within <see cref="AccessChangeOptions.PollInterval"/> for one committed in another.
/// </summary>
/// <remarks>
/// Called on the committing request's thread (or the reader's): keep it cheap and never throw; dropping a
/// cached answer is the intended work. A change may, rarely, be told twice; telling must be idempotent.
/// </remarks>
public interface IAccessChangeSubscriber
{
    void OnChanged(AccessChange change);
}

/// <summary>Publishes access changes: the one way a feature says "what this person may do has changed".</summary>
public interface IAccessChanges
{
    /// <summary>
    /// Adds the change to <paramref name="db"/>; the caller's next SaveChanges stores it with the change itself
    /// (inside the caller's transaction when there is one). Subscribers in this process are told once that
    /// commits; every other process reads the row within its poll interval. Nothing is told if it rolls back.
    /// </summary>
    void Publish(BrightlineDbContext db, string schoolId, Guid? personId, string reason);
}

/// <summary>Settings (section <c>Brightline:Access</c>).</summary>
public sealed class AccessChangeOptions
{
    public const string Section = "Brightline:Access";

    /// <summary>How often each process reads changes made by other processes: the bound on cross-process delivery. Default 1000 ms.</summary>
    [Range(50, 60_000)]
    public int ChangePollMilliseconds { get; set; } = 1000;

    public TimeSpan PollInterval => TimeSpan.FromMilliseconds(ChangePollMilliseconds);

    /// <summary>How long a change row is kept before the purge deletes it.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);
}

/// <summary>
/// Publishing, and telling this process's subscribers. Subscribers are resolved on first use, not at
/// construction: the DbContext's interceptor needs this hub, and a subscriber (the DNS filter) needs DbContexts.
/// </summary>
public sealed partial class AccessChangeHub(IServiceProvider services, TimeProvider time, ILogger<AccessChangeHub> logger) : IAccessChanges
{
    /// <summary>Ids told here at commit, so the reader does not tell them again; bounded.</summary>
    private readonly ConcurrentDictionary<long, byte> _toldAtCommit = new();
    private IAccessChangeSubscriber[]? _subscribers;

    public void Publish(BrightlineDbContext db, string schoolId, Guid? personId, string reason)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(schoolId);
        db.AccessChanges.Add(new AccessChangeRecord { SchoolId = schoolId, PersonId = personId, Reason = reason, At = StoredTime.Now(time) });
    }

    /// <summary>Tells this process's subscribers of changes committed here.</summary>
    internal void TellCommitted(IEnumerable<AccessChangeRecord> records)
    {
        foreach (var record in records)
        {
            if (_toldAtCommit.Count > 10_000)
            {
                // A process without a reader (a CLI verb) would otherwise only add; losing these costs a duplicate telling.
                _toldAtCommit.Clear();
            }

            _toldAtCommit.TryAdd(record.Id, 0);
            Tell(new AccessChange(record.SchoolId, record.PersonId, record.Reason));
        }
    }

    /// <summary>Tells this process's subscribers of a change the reader found, unless it was committed (and told) here.</summary>
    internal void TellRead(AccessChangeRecord record)
    {
        if (!_toldAtCommit.TryRemove(record.Id, out _))
        {
            Tell(new AccessChange(record.SchoolId, record.PersonId, record.Reason));
        }
    }

    private void Tell(AccessChange change)
    {
        var subscribers = LazyInitializer.EnsureInitialized(ref _subscribers, () => [.. services.GetServices<IAccessChangeSubscriber>()]);
        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber.OnChanged(change);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One enforcement point's failure must not stop the others hearing of the change (or fail the commit that is already done).
                LogSubscriberFailed(logger, subscriber.GetType().Name, change.Reason, ex);
            }
        }
    }

    [LoggerMessage(EventId = 1951, Level = LogLevel.Error, Message = "{Subscriber} failed on an access change ({Reason}); its cached answers expire on their own.")]
    private static partial void LogSubscriberFailed(ILogger logger, string subscriber, string reason, Exception exception);
}

/// <summary>
/// Tells this process's subscribers of a published change only once it has committed. Why an interceptor
/// rather than the publisher after its SaveChanges: publishers commit in different ways (SaveChanges alone,
/// an explicit transaction that several SaveChanges and the audit log share, transactions opened by a caller
/// further up), and a subscriber told before commit could re-read the old state and cache it again. Here,
/// a change saved outside a transaction is told after SaveChanges; one saved inside a transaction waits for
/// that transaction's commit and is dropped on rollback. Publishers write one line and cannot get it wrong.
/// </summary>
public sealed class AccessChangeInterceptor(AccessChangeHub hub) : AfterCommitInterceptor<AccessChangeRecord>
{
    protected override void OnCommitted(IReadOnlyList<AccessChangeRecord> committed) => hub.TellCommitted(committed);
}

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
    ILogger<AccessChangeReader> logger) : IHostedService
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
        var gaps = _gaps.Keys.ToList();
        var rows = await db.AccessChanges.AsNoTracking()
            .Where(c => c.Id > last || gaps.Contains(c.Id))
            .OrderBy(c => c.Id).Take(BatchSize)
            .ToListAsync(cancellationToken);
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
}

/// <summary>Deletes change rows older than <see cref="AccessChangeOptions.Retention"/> every hour: they are notices, read within seconds.</summary>
public sealed class AccessChangePurgeWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<AccessChangePurgeWorker> logger)
    : PeriodicWorker(scopes, time, logger)
{
    protected override TimeSpan Every => TimeSpan.FromHours(1);

    protected override string PassName => "The access-change purge";

    protected override Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        PurgeAsync(services.GetRequiredService<BrightlineDbContext>(), Time.GetUtcNow(), cancellationToken);

    public static Task<int> PurgeAsync(BrightlineDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now - AccessChangeOptions.Retention;
        return db.AccessChanges.Where(c => c.At < before).ExecuteDeleteAsync(cancellationToken);
    }
}
