using System.Collections.Concurrent;

namespace Brightline.Agreements;

/// <summary>
/// Chases sent in the background so the page answers at once and shows progress (issue 17 defect 7: "Sent 70" after
/// seven silent seconds). Each run is keyed by the confirmation form's own key: submitting the same confirmation
/// twice (a double click, a refresh, the back button) finds the run already started and sends nothing more. One run at
/// a time per school: while one is sending, another confirmation is sent to watch it instead.
/// Runs live in this process's memory; the emails themselves are in the outbox, so a restart loses only the progress
/// page, and the audit log records what was sent.
/// </summary>
public sealed partial class ChaseRuns(IServiceScopeFactory scopes, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<ChaseRuns> logger)
{
    private readonly ConcurrentDictionary<Guid, ChaseRun> _runs = new();
    private readonly Lock _starting = new();

    public ChaseRun? Find(string schoolId, Guid id) =>
        _runs.TryGetValue(id, out var run) && string.Equals(run.SchoolId, schoolId, StringComparison.Ordinal) ? run : null;

    /// <summary>The school's run still sending, if any.</summary>
    public ChaseRun? Sending(string schoolId) =>
        _runs.Values.FirstOrDefault(r => string.Equals(r.SchoolId, schoolId, StringComparison.Ordinal) && !r.Finished);

    /// <summary>
    /// Starts sending <paramref name="plan"/> under <paramref name="key"/>, or returns the run that key (or the school's
    /// unfinished run) already names; <c>Started</c> says which.
    /// </summary>
    public (ChaseRun Run, bool Started) Start(Guid key, string schoolId, string actor, ChasePlan plan)
    {
        lock (_starting)
        {
            if (_runs.TryGetValue(key, out var existing))
            {
                return (existing, false);
            }

            if (Sending(schoolId) is { } busy)
            {
                return (busy, false);
            }

            Forget();
            var run = new ChaseRun(key, schoolId, plan, time.GetUtcNow());
            _runs[key] = run;
            _ = Task.Run(() => SendAsync(run, actor, plan), CancellationToken.None);
            return (run, true);
        }
    }

    private async Task SendAsync(ChaseRun run, string actor, ChasePlan plan)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var agreements = scope.ServiceProvider.GetRequiredService<AgreementService>();
            run.Complete(await agreements.SendChaseAsync(run.SchoolId, plan, actor, run.Progress, lifetime.ApplicationStopping));
        }
        catch (Exception e)
        {
            LogFailed(logger, e, run.SchoolId);
            run.Fail(e is OperationCanceledException ? "The server stopped while sending." : "Sending stopped with an error.");
        }
    }

    /// <summary>Finished runs are kept a day for their progress page, then dropped.</summary>
    private void Forget()
    {
        var before = time.GetUtcNow().AddDays(-1);
        foreach (var (id, run) in _runs)
        {
            if (run.Finished && run.StartedAt < before)
            {
                _runs.TryRemove(id, out _);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending parent reminders for {School} stopped")]
    private static partial void LogFailed(ILogger logger, Exception exception, string school);
}
