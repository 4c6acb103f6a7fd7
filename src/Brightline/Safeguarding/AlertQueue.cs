using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Safeguarding;

/// <summary>
/// The DSL's queue: who may see it (the policy's <c>monitoring.viewers</c>, default dsl, deputy_dsl,
/// head, see every alert; a role a <c>monitoring.categories.&lt;id&gt;.viewers</c> names sees that category's
/// alerts only, H12), listing with filters, opening (audited, stops escalation), notes and outcomes.
/// </summary>
public sealed class AlertQueue(BrightlineDbContext db, PortalScope scope, PolicyStore policies, AuditLog audit, TimeProvider time)
{
    public const int PageSize = 25;

    private AlertAccess? _access;

    /// <summary>What the signed-in user may see in their school: every alert, some categories' alerts, or none.</summary>
    public async Task<AlertAccess> AccessAsync(CancellationToken cancellationToken)
    {
        if (_access is null)
        {
            if (scope.SchoolId is not { } school)
            {
                _access = AlertAccess.None;
            }
            else
            {
                var settings = MonitoringSettings.From(await policies.ActiveAsync(school, cancellationToken));
                _access = scope.HasAnyRole(settings.Viewers)
                    ? AlertAccess.Everything
                    : new AlertAccess(false, settings.CategoriesViewableBy(scope.HasRole));
            }
        }

        return _access;
    }

    /// <summary>The roles the policy names as monitoring viewers (by default the DSL, deputy DSLs and the head), for a refusal to name.</summary>
    public async Task<IReadOnlyList<string>> ViewerRolesAsync(CancellationToken cancellationToken) =>
        scope.SchoolId is { } school ? MonitoringSettings.From(await policies.ActiveAsync(school, cancellationToken)).Viewers : [];

    /// <summary>Whether the signed-in user may open the queue: a monitoring viewer, or a viewer of some category.</summary>
    public async Task<bool> CanViewAsync(CancellationToken cancellationToken) => (await AccessAsync(cancellationToken)).Any;

    /// <summary>
    /// Whether the signed-in user is one of the policy's <c>monitoring.viewers</c>, who see every category: asking to
    /// inspect a person's email content (H17) is theirs alone, not a category viewer's.
    /// </summary>
    public async Task<bool> CanViewEverythingAsync(CancellationToken cancellationToken) => (await AccessAsync(cancellationToken)).All;

    public async Task EnsureViewerAsync(CancellationToken cancellationToken)
    {
        if (!await CanViewAsync(cancellationToken))
        {
            throw new ForbiddenException("Only the people the policy names (by default the DSL, deputy DSLs and the headteacher) may see safeguarding alerts.");
        }
    }

    public async Task EnsureEverythingViewerAsync(CancellationToken cancellationToken)
    {
        if (!await CanViewEverythingAsync(cancellationToken))
        {
            throw new ForbiddenException("Only the people the policy names as monitoring viewers (by default the DSL, deputy DSLs and the headteacher) may do this.");
        }
    }

    /// <summary>This school's alerts the signed-in user may see: all of them, or those of their categories only.</summary>
    private async Task<IQueryable<MonitoringAlert>> VisibleAsync(bool tracked, CancellationToken cancellationToken)
    {
        var access = await AccessAsync(cancellationToken);
        var school = scope.RequiredSchoolId;
        var alerts = (tracked ? db.Set<MonitoringAlert>() : db.Set<MonitoringAlert>().AsNoTracking()).Where(a => a.SchoolId == school);
        if (!access.All)
        {
            var categories = access.Categories.ToList();
            alerts = alerts.Where(a => categories.Contains(a.Category));
        }

        return alerts;
    }

    /// <summary>
    /// The category, severity and time of every alert raised since <paramref name="since"/> that this user may see (all,
    /// or their categories only, H12), for the trends charts: one query, no names or words.
    /// </summary>
    public async Task<IReadOnlyList<(string Category, string Severity, DateTimeOffset CreatedAt)>> RaisedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await EnsureViewerAsync(cancellationToken);
        var rows = await (await VisibleAsync(tracked: false, cancellationToken)).Where(a => a.CreatedAt >= since)
            .Select(a => new { a.Category, a.Severity, a.CreatedAt }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.Category, r.Severity, r.CreatedAt)).ToList();
    }

    public async Task<AlertPage> ListAsync(AlertFilter filter, CancellationToken cancellationToken)
    {
        var alerts = await FilteredAsync(filter, cancellationToken);
        var total = await alerts.CountAsync(cancellationToken);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        var page = Math.Clamp(filter.Page, 1, pages);
        return new AlertPage(await RowsAsync(alerts.Skip((page - 1) * PageSize).Take(PageSize), cancellationToken), total, page, pages, PageSize);
    }

    /// <summary>
    /// Every alert the filter finds, in the queue's order, for the CSV export (issue 17): the same rows the queue shows this
    /// viewer (their categories only), and like the queue no captured words — those are read on the alert, where each
    /// viewing is audited.
    /// </summary>
    public async Task<IReadOnlyList<AlertRow>> ExportAsync(AlertFilter filter, CancellationToken cancellationToken) =>
        await RowsAsync(await FilteredAsync(filter, cancellationToken), cancellationToken);

    private async Task<IQueryable<MonitoringAlert>> FilteredAsync(AlertFilter filter, CancellationToken cancellationToken)
    {
        await EnsureViewerAsync(cancellationToken);
        var school = scope.RequiredSchoolId;
        var alerts = await VisibleAsync(tracked: false, cancellationToken);
        if (filter.Severity is { Length: > 0 } sev)
        {
            alerts = alerts.Where(a => a.Severity == sev);
        }

        if (filter.Category is { Length: > 0 } cat)
        {
            alerts = alerts.Where(a => a.Category == cat);
        }

        if (filter.Person is { } person)
        {
            alerts = alerts.Where(a => a.PersonId == person);
        }

        if (filter.Status is { Length: > 0 } status && !string.Equals(status, "all", StringComparison.Ordinal))
        {
            // A status the page does not offer matches nothing, as it did when the column was compared as text.
            alerts = MonitoringAlertStatuses.Words.TryParse(status, out var wanted) ? alerts.Where(a => a.Status == wanted) : alerts.Where(a => false);
        }

        if (filter.Group is { Length: > 0 } group)
        {
            // Group = a year group or class of the person.
            var inGroup = db.People.Where(p => p.SchoolId == school && (p.YearGroup == group || p.ClassName == group)).Select(p => (Guid?)p.Id);
            alerts = alerts.Where(a => inGroup.Contains(a.PersonId));
        }

        return alerts.OrderBy(a => a.Status == MonitoringAlertStatus.Open ? 0 : 1).ThenByDescending(a => a.SeverityRank).ThenByDescending(a => a.Id);
    }

    private async Task<IReadOnlyList<AlertRow>> RowsAsync(IQueryable<MonitoringAlert> alerts, CancellationToken cancellationToken)
    {
        var rows = await alerts.ToListAsync(cancellationToken);
        var ids = rows.Where(r => r.PersonId != null).Select(r => r.PersonId!.Value).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        return rows.Select(a => a.PersonId is { } id && people.TryGetValue(id, out var p) ? new AlertRow(a, p.FullName, p.ClassName) : new AlertRow(a, null, null)).ToList();
    }

    /// <summary>Opens an alert: records the view of captured content in the audit log and stops its escalation clock.</summary>
    public async Task<MonitoringAlert> OpenAsync(long id, CancellationToken cancellationToken)
    {
        await EnsureViewerAsync(cancellationToken);
        var school = scope.RequiredSchoolId;
        var alert = await FindAsync(id, cancellationToken);
        var now = StoredTime.Now(time);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!(await AccessAsync(cancellationToken)).All)
        {
            // A category viewer (IT support, H12) reading it is recorded, but does not count as the DSL's opening: a
            // critical alert keeps escalating to the safeguarding roles until one of them opens it.
            var me = scope.UserName;
            if (!await db.Set<MonitoringAlertEntry>().AnyAsync(x => x.AlertId == alert.Id && x.Kind == AlertEntryKind.Opened && x.Actor == me, cancellationToken))
            {
                db.Set<MonitoringAlertEntry>().Add(new MonitoringAlertEntry { SchoolId = school, AlertId = alert.Id, At = now, Kind = AlertEntryKind.Opened, Actor = me });
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        else if (alert.OpenedAt is null)
        {
            alert.OpenedAt = now;
            alert.OpenedBy = scope.UserName;
            alert.EscalateAt = null;
            db.Set<MonitoringAlertEntry>().Add(new MonitoringAlertEntry
            {
                SchoolId = school, AlertId = alert.Id, At = now, Kind = AlertEntryKind.Opened, Actor = scope.UserName,
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        await audit.AppendAsync(school, scope.UserName, MonitoringAuditActions.CaptureViewed, $"monitoring-alert:{alert.Id}",
            alert.ScreenshotEventId is null ? "text in context" : "text in context and screenshot", scope.ClientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return alert;
    }

    /// <summary>The screenshot of an alert (audited as a view).</summary>
    public async Task<(byte[] Bytes, string Type)?> ScreenshotAsync(long id, CancellationToken cancellationToken)
    {
        await EnsureViewerAsync(cancellationToken);
        var school = scope.RequiredSchoolId;
        var visible = await VisibleAsync(tracked: false, cancellationToken);
        if (!await visible.AnyAsync(a => a.Id == id, cancellationToken))
        {
            return null;
        }

        var eventId = await visible.Where(a => a.Id == id).Select(a => a.ScreenshotEventId).FirstOrDefaultAsync(cancellationToken);
        var shot = eventId is null ? null : await db.Set<MonitoringEvent>().AsNoTracking().Where(e => e.Id == eventId && e.SchoolId == school)
            .Select(e => new { e.Screenshot, e.ScreenshotType }).FirstOrDefaultAsync(cancellationToken);
        // A screenshot the device sent with the event itself, else the one the browser extension took when asked
        // (MonitoringScreenshots): either way only this school's alert's.
        var found = shot is { Screenshot: { } bytes, ScreenshotType: { } type } ? (bytes, type)
            : await MonitoringScreenshots.ForAlertAsync(db, school, id, cancellationToken);
        if (found is null)
        {
            return null;
        }

        await audit.AppendAsync(school, scope.UserName, MonitoringAuditActions.CaptureViewed, $"monitoring-alert:{id}", "screenshot", scope.ClientAddress, cancellationToken);
        return found;
    }

    public async Task<IReadOnlyList<MonitoringAlertEntry>> TimelineAsync(long id, CancellationToken cancellationToken)
    {
        await FindAsync(id, cancellationToken);
        return await db.Set<MonitoringAlertEntry>().AsNoTracking().Where(x => x.AlertId == id && x.SchoolId == scope.RequiredSchoolId)
            .OrderBy(x => x.At).ThenBy(x => x.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Throws <see cref="NotFoundException"/> unless the signed-in user may see alert <paramref name="id"/> (their school, their categories).</summary>
    public async Task EnsureCanSeeAsync(long id, CancellationToken cancellationToken)
    {
        await EnsureViewerAsync(cancellationToken);
        await FindAsync(id, cancellationToken);
    }

    public async Task AddNoteAsync(long id, string note, CancellationToken cancellationToken)
    {
        await EnsureViewerAsync(cancellationToken);
        note = note.Trim();
        if (note.Length is 0 or > 4000)
        {
            throw new InvalidException("Write a note of up to 4,000 characters.");
        }

        var alert = await FindAsync(id, cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<MonitoringAlertEntry>().Add(new MonitoringAlertEntry
        {
            SchoolId = alert.SchoolId, AlertId = alert.Id, At = StoredTime.Now(time), Kind = AlertEntryKind.Note, Actor = scope.UserName, Note = note,
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(alert.SchoolId, scope.UserName, MonitoringAuditActions.AlertNote, $"monitoring-alert:{alert.Id}", null, scope.ClientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>Records the alert's outcome and closes it. A false positive and an escalation need a reason.</summary>
    public async Task RecordOutcomeAsync(long id, string? outcome, string? note, CancellationToken cancellationToken)
    {
        await EnsureViewerAsync(cancellationToken);
        if (!AlertOutcomes.Words.TryParse(outcome, out var decided))
        {
            throw new InvalidException("Choose an outcome.");
        }

        note = note?.Trim();
        if ((decided is AlertOutcome.FalsePositive or AlertOutcome.Escalated) && string.IsNullOrEmpty(note))
        {
            throw new InvalidException(decided == AlertOutcome.FalsePositive
                ? "Give a reason for marking this a false positive."
                : "Say what was done to escalate the concern.");
        }

        if (note is { Length: > 4000 })
        {
            throw new InvalidException("Keep the note to 4,000 characters.");
        }

        var alert = await FindAsync(id, cancellationToken);
        var now = StoredTime.Now(time);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        alert.Outcome = decided;
        alert.OutcomeNote = note;
        alert.OutcomeBy = scope.UserName;
        alert.OutcomeAt = now;
        alert.Status = MonitoringAlertStatus.Closed;
        alert.EscalateAt = null;
        db.Set<MonitoringAlertEntry>().Add(new MonitoringAlertEntry
        {
            SchoolId = alert.SchoolId, AlertId = alert.Id, At = now, Kind = AlertEntryKind.Outcome, Actor = scope.UserName, Note = $"{decided.Describe()}: {note}",
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(alert.SchoolId, scope.UserName, MonitoringAuditActions.AlertOutcome, $"monitoring-alert:{alert.Id}", decided.Key(), scope.ClientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The alert, if it is of this school and of a category the signed-in user may see; otherwise not found (a
    /// category viewer is not told that a self-harm alert with this number exists).
    /// </summary>
    private async Task<MonitoringAlert> FindAsync(long id, CancellationToken cancellationToken) =>
        await (await VisibleAsync(tracked: true, cancellationToken)).FirstOrDefaultAsync(a => a.Id == id, cancellationToken)
            ?? throw new NotFoundException("There is no such alert.");
}
