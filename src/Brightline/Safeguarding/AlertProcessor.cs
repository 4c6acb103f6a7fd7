using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.Monitoring;
using Brightline.Policies;
using Microsoft.EntityFrameworkCore;
using Severity = Brightline.Monitoring.Severity;

namespace Brightline.Safeguarding;

/// <summary>
/// Scores stored events into alerts, groups repeats, and tells people: critical alerts are emailed at
/// once (no captured text in the email, only a link) and escalate down the policy's ranked list while
/// nobody opens them. <see cref="RunOnceAsync"/> is one pass of the background service.
/// </summary>
public sealed partial class AlertProcessor(
    BrightlineDbContext db,
    PolicyStore policies,
    EmailSender email,
    Audit.AuditLog audit,
    TimeProvider time,
    PortalLinks links,
    CategoryNotifications categories,
    ILogger<AlertProcessor> logger)
{
    private const int ContextChars = 200;

    private static readonly SemaphoreSlim s_passLock = new(1, 1);

    /// <summary>Events read and scored per transaction.</summary>
    private const int ChunkSize = 500;

    /// <summary>Advisory-lock namespace (PostgreSQL) under which one node at a time scores a school's events.</summary>
    private const int ScoringLockSpace = 0x4252_4C4D;

    /// <summary>The fields scoring needs; never the screenshot bytes.</summary>
    private sealed record PendingEvent(long Id, string SchoolId, Guid DeviceId, Guid? PersonId, DateTimeOffset OccurredAt,
        string? Url, string? Title, string? Query, string? Text, bool HasScreenshot);

    /// <summary>
    /// Scores every stored event not yet scanned (in commit-independent ID order), raises or grows alerts and
    /// emails new critical ones. Events are found by <c>ScannedAt IS NULL</c>, not a cursor, so an event that
    /// commits late (a lower ID on PostgreSQL) or was stored just before a restart is still found; each chunk
    /// marks its events scanned in the same transaction as its alert changes, so none is scored twice.
    /// Returns how many events were scanned.
    /// </summary>
    public async Task<int> ScorePendingAsync(CancellationToken cancellationToken)
    {
        // One pass at a time in this process: this is what makes grouping race-free (two batches for one
        // person are scored one after the other, so the second finds the first's open alert).
        await s_passLock.WaitAsync(cancellationToken);
        try
        {
            return await ScorePendingCoreAsync(cancellationToken);
        }
        finally
        {
            s_passLock.Release();
        }
    }

    private async Task<int> ScorePendingCoreAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        var settingsBySchool = new Dictionary<string, MonitoringSettings>(StringComparer.Ordinal);
        while (true)
        {
            var pending = await db.Set<MonitoringEvent>().AsNoTracking().Where(e => e.ScannedAt == null)
                .OrderBy(e => e.Id).Take(ChunkSize)
                .Select(e => new PendingEvent(e.Id, e.SchoolId, e.DeviceId, e.PersonId, e.OccurredAt, e.Url, e.Title, e.Query, e.Text, e.Screenshot != null))
                .ToListAsync(cancellationToken);
            foreach (var school in pending.GroupBy(p => p.SchoolId, StringComparer.Ordinal))
            {
                if (!settingsBySchool.TryGetValue(school.Key, out var settings))
                {
                    settings = settingsBySchool[school.Key] = MonitoringSettings.From(await policies.ActiveAsync(school.Key, cancellationToken));
                }

                total += await ScoreChunkAsync(school.Key, [.. school], settings, cancellationToken);
            }

            if (pending.Count < ChunkSize)
            {
                break;
            }
        }

        await NotifyNewCriticalAsync(cancellationToken);
        // After the DSL's critical emails: per-category routing (H12) is in addition to them, never instead.
        await categories.NotifyPendingAsync(cancellationToken);
        return total;
    }

    private async Task<int> ScoreChunkAsync(string schoolId, List<PendingEvent> events, MonitoringSettings settings, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        // The matching is pure CPU: done before the transaction so SQLite's single write lock is held only for the writes.
        // Issue 16 part 4: the built-in libraries, less what this school's approved exceptions cancel (that school only).
        var matcher = PhraseMatcher.BuiltIn;
        var overlay = await SchoolExceptionLibrary.ApprovedAsync(db, schoolId, cancellationToken);
        var scored = events.OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).Select(e => (Event: e, Concerns: Score(matcher, overlay, e, settings))).ToList();
        var now = StoredTime.Now(time);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = events.Select(e => e.Id).ToList();
        if (db.Database.IsNpgsql())
        {
            // Several nodes may share one PostgreSQL database: one scores a school at a time, and re-checks
            // under the lock which of its events another node has not already scanned.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ScoringLockSpace}, hashtext({schoolId}))", cancellationToken);
            var still = (await db.Set<MonitoringEvent>().Where(e => ids.Contains(e.Id) && e.ScannedAt == null).Select(e => e.Id)
                .ToListAsync(cancellationToken)).ToHashSet();
            scored.RemoveAll(s => !still.Contains(s.Event.Id));
            ids.RemoveAll(id => !still.Contains(id));
        }

        var critical = new List<(long EventId, MonitoringAlert Alert)>();
        foreach (var (evt, concerns) in scored)
        {
            foreach (var concern in concerns)
            {
                var alert = await GroupOrCreateAsync(evt, concern, settings, now, cancellationToken);
                if (concern.Severity == Severity.Critical && !critical.Exists(c => c.EventId == evt.Id))
                {
                    critical.Add((evt.Id, alert));
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var (eventId, alert) in critical)
        {
            await MonitoringScreenshots.LinkAlertAsync(db, schoolId, eventId, alert.Id, cancellationToken);
        }
        foreach (var part in ids.Chunk(ChunkSize))
        {
            await db.Set<MonitoringEvent>().Where(e => part.Contains(e.Id) && e.ScannedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ScannedAt, now), cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return ids.Count;
    }

    /// <summary>
    /// Emails every critical alert that is open, unopened and has not been sent to anyone yet. Asked of the
    /// database rather than remembered, so an alert committed just before a crash is still emailed after it.
    /// </summary>
    private async Task NotifyNewCriticalAsync(CancellationToken cancellationToken)
    {
        var fresh = await db.Set<MonitoringAlert>()
            .Where(a => a.SeverityRank == (int)Severity.Critical && a.Status == MonitoringAlertStatus.Open && a.OpenedAt == null
                && a.EscalationLevel == 0 && a.EscalateAt == null
                && !db.Set<MonitoringAlertEntry>().Any(x => x.AlertId == a.Id && x.Kind == AlertEntryKind.Notified))
            .OrderBy(a => a.Id).Take(100).ToListAsync(cancellationToken);
        foreach (var alert in fresh)
        {
            var settings = MonitoringSettings.From(await policies.ActiveAsync(alert.SchoolId, cancellationToken));
            await NotifyImmediateAsync(alert, settings, cancellationToken);
        }
    }

    /// <summary>One pass of the background service: scan any stored events not yet scanned, then escalate overdue critical alerts.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        // One pass at a time in this process, so the service loop and a caller never email the same step twice.
        await s_passLock.WaitAsync(cancellationToken);
        try
        {
            await ScorePendingCoreAsync(cancellationToken);
            return await RunPassAsync(cancellationToken);
        }
        finally
        {
            s_passLock.Release();
        }
    }

    private async Task<int> RunPassAsync(CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var due = await db.Set<MonitoringAlert>()
            .Where(a => a.EscalateAt != null && a.EscalateAt <= now && a.OpenedAt == null && a.Status == MonitoringAlertStatus.Open)
            .OrderBy(a => a.Id).Take(100).ToListAsync(cancellationToken);
        var escalated = 0;
        foreach (var alert in due)
        {
            var settings = MonitoringSettings.From(await policies.ActiveAsync(alert.SchoolId, cancellationToken));
            var told = (await db.Set<MonitoringAlertEntry>().AsNoTracking()
                .Where(x => x.AlertId == alert.Id && x.Kind == AlertEntryKind.Notified && x.Recipient != null)
                .Select(x => x.Recipient!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var sent = false;
            // Walk down the ranked list from the next level until someone not yet told is found.
            while (!sent && alert.EscalationLevel < settings.Escalation.Count)
            {
                var role = settings.Escalation[alert.EscalationLevel];
                alert.EscalationLevel++;
                var recipients = (await RecipientsAsync(alert.SchoolId, role, cancellationToken)).Where(r => !told.Contains(r.Email)).ToList();
                foreach (var (to, personId) in recipients)
                {
                    Notify(alert, to, personId, role, "escalation");
                    told.Add(to);
                    sent = true;
                }
            }

            alert.EscalateAt = sent && alert.EscalationLevel < settings.Escalation.Count ? now + settings.EscalateAfter : null;
            if (sent)
            {
                escalated++;
            }
            else
            {
                LogEscalationExhausted(logger, alert.Id);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return escalated;
    }

    /// <summary>
    /// Removes captured content older than each school's retention period (O9: 45 days): the text,
    /// address and screenshot of events and the context of alerts, except what is attached to an
    /// escalated concern. Each school's counts are audited. Runs daily from the background pass.
    /// </summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var schools = await db.Set<MonitoringEvent>().AsNoTracking().Select(e => e.SchoolId).Distinct().ToListAsync(cancellationToken);
        var total = 0;
        foreach (var school in schools)
        {
            var settings = MonitoringSettings.From(await policies.ActiveAsync(school, cancellationToken));
            var cutoff = now - settings.Retention;
            var escalated = db.Set<MonitoringAlert>().Where(a => a.SchoolId == school && a.Outcome == AlertOutcome.Escalated);
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var events = await db.Set<MonitoringEvent>()
                .Where(e => e.SchoolId == school && e.OccurredAt < cutoff
                    && (e.Text != null || e.Title != null || e.Query != null || e.Url != null || e.Screenshot != null)
                    && !escalated.Any(a => a.EventId == e.Id || a.ScreenshotEventId == e.Id))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(e => e.Text, (string?)null).SetProperty(e => e.Title, (string?)null).SetProperty(e => e.Query, (string?)null)
                        .SetProperty(e => e.Url, (string?)null).SetProperty(e => e.Screenshot, (byte[]?)null).SetProperty(e => e.ScreenshotType, (string?)null),
                    cancellationToken);
            var alerts = await db.Set<MonitoringAlert>()
                .Where(a => a.SchoolId == school && a.LastAt < cutoff && (a.Outcome == null || a.Outcome != AlertOutcome.Escalated)
                    && (a.Context != null || a.ScreenshotEventId != null || a.Url != null))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(a => a.Context, (string?)null).SetProperty(a => a.HighlightStart, 0).SetProperty(a => a.HighlightLength, 0)
                        .SetProperty(a => a.ScreenshotEventId, (long?)null).SetProperty(a => a.Url, (string?)null),
                    cancellationToken);
            if (events + alerts > 0)
            {
                await audit.AppendAsync(school, "brightline", MonitoringAuditActions.CapturesPurged, "monitoring",
                    $"{events} event(s) and {alerts} alert(s) older than {settings.Retention.TotalDays:0} days", null, cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
            total += events + alerts;
        }

        return total;
    }

    private sealed record Concern(string Category, Severity Severity, int Score, int HitCount, Hit Best, string Source, string Text);

    private static List<Concern> Score(PhraseMatcher matcher, ExceptionOverlay overlay, PendingEvent evt, MonitoringSettings settings) =>
        Score(matcher, overlay, evt.Title, evt.Query, evt.Text, settings);

    /// <summary>
    /// Whether one event, on its own, scores critical in some category: the ingestion API asks a device that can take
    /// one for a screenshot of such an event's tab at once, before the scoring worker has grouped it into an alert. The
    /// school's approved exceptions apply here too, so a text the school has excepted never asks its device for a screenshot.
    /// </summary>
    public static bool IsCritical(string? title, string? query, string? text, MonitoringSettings settings, ExceptionOverlay schoolExceptions) =>
        Score(PhraseMatcher.BuiltIn, schoolExceptions, title, query, text, settings).Any(c => c.Severity == Severity.Critical);

    private static List<Concern> Score(PhraseMatcher matcher, ExceptionOverlay overlay, string? title, string? query, string? body, MonitoringSettings settings)
    {
        var concerns = new List<Concern>();
        var byCategory = new Dictionary<string, (int Score, int Hits, Severity Sev, Hit Best, string Source, string Text)>(StringComparer.Ordinal);
        foreach (var (source, text) in new[] { ("title", title), ("query", query), ("text", body) })
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var result = overlay.Scan(matcher, text);
            foreach (var score in result.Scores)
            {
                if (score.MaxSeverity is not { } sev || score.Score <= 0)
                {
                    continue;
                }

                var best = result.Hits
                    .Where(h => string.Equals(h.Category, score.Category, StringComparison.Ordinal) && h.EffectiveWeight > 0)
                    .OrderByDescending(h => h.Severity).ThenByDescending(h => h.EffectiveWeight).First();
                if (byCategory.TryGetValue(score.Category, out var prior))
                {
                    var better = best.Severity > prior.Best.Severity || (best.Severity == prior.Best.Severity && best.EffectiveWeight > prior.Best.EffectiveWeight);
                    byCategory[score.Category] = (prior.Score + score.Score, prior.Hits + score.HitCount, sev > prior.Sev ? sev : prior.Sev,
                        better ? best : prior.Best, better ? source : prior.Source, better ? text : prior.Text);
                }
                else
                {
                    byCategory[score.Category] = (score.Score, score.HitCount, sev, best, source, text);
                }
            }
        }

        foreach (var (category, c) in byCategory)
        {
            if (c.Score >= settings.LowScore)
            {
                concerns.Add(new Concern(category, settings.SeverityFor(c.Score, c.Sev), c.Score, c.Hits, c.Best, c.Source, c.Text));
            }
        }

        return concerns;
    }

    private async Task<MonitoringAlert> GroupOrCreateAsync(PendingEvent evt, Concern concern, MonitoringSettings settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = evt.OccurredAt - settings.GroupWindow;
        var alerts = db.Set<MonitoringAlert>();
        var candidate = alerts.Local.FirstOrDefault(a => Same(a, evt, concern.Category) && a.LastAt >= since)
            ?? await alerts.Where(a => a.SchoolId == evt.SchoolId && a.Status == MonitoringAlertStatus.Open && a.Category == concern.Category && a.LastAt >= since
                    && (evt.PersonId != null ? a.PersonId == evt.PersonId : a.PersonId == null && a.DeviceId == evt.DeviceId))
                .OrderByDescending(a => a.LastAt).FirstOrDefaultAsync(cancellationToken);
        if (candidate is not null)
        {
            candidate.HitCount += concern.HitCount;
            candidate.Score += concern.Score;
            candidate.LastAt = evt.OccurredAt > candidate.LastAt ? evt.OccurredAt : candidate.LastAt;
            var severity = settings.SeverityFor(candidate.Score, concern.Severity);
            if ((int)severity > candidate.SeverityRank)
            {
                candidate.SeverityRank = (int)severity;
                candidate.Severity = Severities.NameOf(severity);
                SetCapture(candidate, evt, concern);
            }

            candidate.ScreenshotEventId ??= evt.HasScreenshot ? evt.Id : null;
            return candidate;
        }

        var alert = new MonitoringAlert
        {
            SchoolId = evt.SchoolId,
            PersonId = evt.PersonId,
            DeviceId = evt.DeviceId,
            Category = concern.Category,
            Severity = Severities.NameOf(concern.Severity),
            SeverityRank = (int)concern.Severity,
            Status = MonitoringAlertStatus.Open,
            Score = concern.Score,
            HitCount = concern.HitCount,
            FirstAt = evt.OccurredAt,
            LastAt = evt.OccurredAt,
            CreatedAt = now,
            Phrase = "",
            Url = evt.Url,
            EventId = evt.Id,
            ScreenshotEventId = evt.HasScreenshot ? evt.Id : null,
        };
        SetCapture(alert, evt, concern);
        alerts.Add(alert);
        return alert;
    }

    private static bool Same(MonitoringAlert a, PendingEvent evt, string category) =>
        string.Equals(a.SchoolId, evt.SchoolId, StringComparison.Ordinal)
        && string.Equals(a.Category, category, StringComparison.Ordinal)
        && a.Status == MonitoringAlertStatus.Open
        && (evt.PersonId is not null ? a.PersonId == evt.PersonId : a.PersonId is null && a.DeviceId == evt.DeviceId);

    private static void SetCapture(MonitoringAlert alert, PendingEvent evt, Concern concern)
    {
        var hit = concern.Best;
        var start = Math.Max(0, hit.Start - ContextChars);
        var end = Math.Min(concern.Text.Length, hit.End + ContextChars);
        alert.Context = concern.Text[start..end];
        alert.HighlightStart = hit.Start - start;
        alert.HighlightLength = hit.Length;
        alert.Phrase = hit.Phrase.Length > 300 ? hit.Phrase[..300] : hit.Phrase;
        alert.Source = concern.Source;
        alert.Url = evt.Url;
        alert.EventId = evt.Id;
    }

    private async Task NotifyImmediateAsync(MonitoringAlert alert, MonitoringSettings settings, CancellationToken cancellationToken)
    {
        if (await db.Set<MonitoringAlertEntry>().AnyAsync(x => x.AlertId == alert.Id && x.Kind == AlertEntryKind.Notified, cancellationToken))
        {
            return;
        }

        var told = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in settings.Immediate)
        {
            foreach (var (to, personId) in await RecipientsAsync(alert.SchoolId, role, cancellationToken))
            {
                if (told.Add(to))
                {
                    Notify(alert, to, personId, role, "immediate");
                }
            }
        }

        // The escalation list continues after the last role already told at once.
        var level = 0;
        while (level < settings.Escalation.Count && settings.Immediate.Contains(settings.Escalation[level], StringComparer.Ordinal))
        {
            level++;
        }

        alert.EscalationLevel = level;
        alert.EscalateAt = level < settings.Escalation.Count ? StoredTime.Now(time) + settings.EscalateAfter : null;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Queues the email and records who was told; the caller's save commits both with the alert's escalation state.</summary>
    private void Notify(MonitoringAlert alert, string to, Guid? personId, string role, string purpose)
    {
        // No captured text, category, name or phrase: email is not a safe place for it. Just a link.
        var link = $"{BaseUrl()}/monitoring/alerts/{alert.Id}";
        var body = $"A critical safeguarding alert needs your attention.\n\nPlease sign in to Brightline to review it:\n{link}\n\nThis email deliberately contains no details of the concern.\n";
        email.Enqueue(alert.SchoolId, to, "A critical safeguarding alert needs your attention", body, $"monitoring-alert-{purpose}", personId);
        db.Set<MonitoringAlertEntry>().Add(new MonitoringAlertEntry
        {
            SchoolId = alert.SchoolId,
            AlertId = alert.Id,
            At = StoredTime.Now(time),
            Kind = AlertEntryKind.Notified,
            Actor = "brightline",
            Recipient = to,
            Role = role,
            Note = purpose,
        });
    }

    /// <summary>Email addresses for a policy role key (see <see cref="Brightline.People.RoleHolders.EmailsAsync"/>).</summary>
    public Task<IReadOnlyList<(string Email, Guid? PersonId)>> RecipientsAsync(string schoolId, string role, CancellationToken cancellationToken) =>
        Brightline.People.RoleHolders.EmailsAsync(db, policies, schoolId, role, cancellationToken);

    private string BaseUrl() => links.BaseUrl();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Critical alert {AlertId} has been sent to everyone on the escalation list and is still unopened.")]
    private static partial void LogEscalationExhausted(ILogger logger, long alertId);
}
