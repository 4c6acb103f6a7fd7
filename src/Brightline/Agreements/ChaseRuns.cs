using System.Collections.Concurrent;
using System.Linq.Expressions;
using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Agreements;

/// <summary>
/// Chases sent in the background so the page answers at once and shows progress (issue 17 defect 7: "Sent 70" after
/// seven silent seconds). Each run is a <c>chase_runs</c> row keyed by the confirmation form's own key (issue 18
/// part 3, several nodes): submitting the same confirmation twice (a double click, a refresh, the back button) finds
/// the run already started and sends nothing more, on whichever node the request lands. One run at a time per school,
/// enforced by a unique index on the school's unfinished run: while one is sending, another confirmation is sent to
/// watch it instead, even when two nodes take the two confirmations at the same moment.
/// <para>
/// The sending node writes the count done and a heartbeat after each batch, and the outcome or the error at the end.
/// A run left unfinished and silent for <see cref="Silence"/> lost its node (a crash, a killed container): whoever
/// reads it next marks it stopped, so the page tells the truth and the school can chase again.
/// </para>
/// </summary>
public sealed partial class ChaseRuns(IServiceScopeFactory scopes, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<ChaseRuns> logger)
    : IHostedService
{
    /// <summary>
    /// How long an unfinished run may go without a heartbeat before it is taken for dead. A batch of 20 reminders is
    /// saved in well under a second, so two minutes is far beyond a slow batch and short enough for a school to wait.
    /// </summary>
    public static readonly TimeSpan Silence = TimeSpan.FromMinutes(2);

    /// <summary>The error of a run that stopped with its server (shut down or lost); the page adds the counts.</summary>
    public const string ServerStopped = "The server stopped while sending.";

    /// <summary>Finished runs are kept a week for their progress page, then deleted when the school next chases.</summary>
    private static readonly TimeSpan s_kept = TimeSpan.FromDays(7);

    private static readonly string s_node = $"{Environment.MachineName}:{Environment.ProcessId}";

    // Not the runs (they are rows): only this node's send tasks, so a graceful shutdown waits for each to record how
    // it stopped before the host disposes the database.
    private readonly ConcurrentDictionary<Guid, Task> _sending = new();

    /// <summary>The school's run <paramref name="id"/>, or null (none, or another school's).</summary>
    public async Task<ChaseRun?> FindAsync(string schoolId, Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        return await ReadAsync(db, r => r.Id == id && r.SchoolId == schoolId, cancellationToken) is { } row ? ChaseRun.From(row) : null;
    }

    /// <summary>The school's run still sending, if any.</summary>
    public async Task<ChaseRun?> SendingAsync(string schoolId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        return await SendingAsync(db, schoolId, cancellationToken) is { } row ? ChaseRun.From(row) : null;
    }

    /// <summary>
    /// Starts sending <paramref name="plan"/> under <paramref name="key"/>, or returns the run that key (or the school's
    /// unfinished run) already names; <c>Started</c> says which.
    /// </summary>
    public async Task<(ChaseRun Run, bool Started)> StartRunAsync(Guid key, string schoolId, string actor, ChasePlan plan, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        if (await ReadAsync(db, r => r.Id == key && r.SchoolId == schoolId, cancellationToken) is { } existing)
        {
            return (ChaseRun.From(existing), false);
        }

        if (await SendingAsync(db, schoolId, cancellationToken) is { } busy)
        {
            return (ChaseRun.From(busy), false);
        }

        var now = time.GetUtcNow();
        var old = now - s_kept;
        await db.Set<ChaseRunRecord>().Where(r => r.SchoolId == schoolId && r.FinishedAt != null && r.StartedAt < old).ExecuteDeleteAsync(cancellationToken);
        var row = new ChaseRunRecord
        {
            Id = key, SchoolId = schoolId, Actor = actor, StartedAt = now, Total = plan.Letters.Count, Countersignatures = plan.Countersignatures,
            Unreachable = plan.Unreachable.Count, Node = s_node, HeartbeatAt = now,
        };
        db.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Between the reads and the insert the same key arrived on another node, or another of the school's chases
            // started: the key or the unique index on the unfinished run refused this one. Watch the winner.
            db.ChangeTracker.Clear();
            var winner = await ReadAsync(db, r => r.Id == key && r.SchoolId == schoolId, cancellationToken)
                ?? await SendingAsync(db, schoolId, cancellationToken);
            if (winner is null)
            {
                throw;
            }

            return (ChaseRun.From(winner), false);
        }

        foreach (var (id, task) in _sending)
        {
            if (task.IsCompleted)
            {
                _sending.TryRemove(id, out _);
            }
        }

        _sending[key] = Task.Run(() => SendAsync(key, schoolId, actor, plan), CancellationToken.None);
        return (ChaseRun.From(row), true);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The host has already signalled stopping, so each send is ending with "the server stopped"; wait (within the
    /// host's shutdown time) for each to write that, so a graceful stop never leaves a run for the silence rule.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_sending.Values).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Out of shutdown time: what was not written is found by the silence rule.
        }
    }

    private async Task SendAsync(Guid id, string schoolId, string actor, ChasePlan plan)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var agreements = scope.ServiceProvider.GetRequiredService<AgreementService>();
            try
            {
                // Each beat follows a saved batch, so "done" never counts a reminder that was not saved.
                var outcome = await agreements.SendChaseAsync(schoolId, plan, actor, done =>
                {
                    var now = time.GetUtcNow();
                    return Run(db, id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Done, done).SetProperty(r => r.HeartbeatAt, now), CancellationToken.None);
                }, lifetime.ApplicationStopping);
                var at = time.GetUtcNow();
                // Written even if another node took the run for dead in a long pause: the outcome is what happened.
                await Run(db, id).ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Done, plan.Letters.Count)
                    .SetProperty(r => r.Sent, outcome.Sent)
                    .SetProperty(r => r.Failed, outcome.Failed)
                    .SetProperty(r => r.Error, (string?)null)
                    .SetProperty(r => r.FinishedAt, at)
                    .SetProperty(r => r.HeartbeatAt, at), CancellationToken.None);
            }
            catch (Exception e)
            {
                LogFailed(logger, e, schoolId);
                var error = e is OperationCanceledException ? ServerStopped : "Sending stopped with an error.";
                var at = time.GetUtcNow();
                await Run(db, id).Where(r => r.FinishedAt == null).ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Error, error)
                    .SetProperty(r => r.FinishedAt, at)
                    .SetProperty(r => r.HeartbeatAt, at), CancellationToken.None);
            }
        }
        catch (Exception e)
        {
            // The database itself is unreachable (or the host is gone): the silence rule reports the run stopped.
            LogNotRecorded(logger, e, schoolId);
        }
    }

    private static IQueryable<ChaseRunRecord> Run(BrightlineDbContext db, Guid id) => db.Set<ChaseRunRecord>().Where(r => r.Id == id);

    private async Task<ChaseRunRecord?> SendingAsync(BrightlineDbContext db, string schoolId, CancellationToken cancellationToken) =>
        await ReadAsync(db, r => r.SchoolId == schoolId && r.FinishedAt == null, cancellationToken) is { FinishedAt: null } row ? row : null;

    /// <summary>
    /// Reads one run; an unfinished one silent past <see cref="Silence"/> is first marked stopped (its node is gone, so
    /// nobody else will), which also frees the school to chase again.
    /// </summary>
    private async Task<ChaseRunRecord?> ReadAsync(BrightlineDbContext db, Expression<Func<ChaseRunRecord, bool>> which, CancellationToken cancellationToken)
    {
        var row = await db.Set<ChaseRunRecord>().AsNoTracking().Where(which).FirstOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow();
        var silentSince = now - Silence;
        if (row is not { FinishedAt: null } || row.HeartbeatAt >= silentSince)
        {
            return row;
        }

        // Conditional, so a node that beats (or finishes) meanwhile wins, and two readers mark it once.
        if (await Run(db, row.Id).Where(r => r.FinishedAt == null && r.HeartbeatAt < silentSince).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Error, ServerStopped)
                .SetProperty(r => r.FinishedAt, now), cancellationToken) > 0)
        {
            LogLost(logger, row.SchoolId, row.Node, row.Done, row.Total);
        }

        return await db.Set<ChaseRunRecord>().AsNoTracking().FirstAsync(r => r.Id == row.Id, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending parent reminders for {School} stopped")]
    private static partial void LogFailed(ILogger logger, Exception exception, string school);

    [LoggerMessage(Level = LogLevel.Error, Message = "How the parent chase for {School} stopped could not be recorded")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string school);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The parent chase for {School} on {Node} went silent after {Done} of {Total} reminders; marked stopped")]
    private static partial void LogLost(ILogger logger, string school, string node, int done, int total);
}
