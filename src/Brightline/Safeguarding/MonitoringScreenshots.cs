using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Safeguarding;

/// <summary>
/// Screenshots of the tab where a critical event happened (issue 12, point 4; O9). The ingestion API asks the device
/// for one (<see cref="RequestAsync"/>) and the scoring worker links the event's alert (<see cref="LinkAlertAsync"/>),
/// in either order: both upsert the one row per event. The device's upload (<see cref="StoreAsync"/>) fills a row
/// the server asked for, and nothing else, so a device cannot plant images. Only the alert's readers see it, on the
/// alert's page (<see cref="AlertQueue.ScreenshotAsync"/>, audited); <see cref="PurgeAsync"/> deletes it after the
/// school's retention.
/// </summary>
public sealed class MonitoringScreenshots(BrightlineDbContext db, PolicyStore policies, Audit.AuditLog audit, TimeProvider time)
{
    /// <summary>What became of an upload.</summary>
    public enum Outcome
    {
        Stored,
        /// <summary>The image was already stored (a re-sent upload); the first one stands.</summary>
        AlreadyStored,
        /// <summary>No such event from this device, or the server did not ask for its screenshot.</summary>
        NotRequested,
    }

    /// <summary>Records that the server asked the device for screenshots of these events (already stored, this school's and device's).</summary>
    public static async Task RequestAsync(BrightlineDbContext db, string schoolId, IReadOnlyList<long> eventIds, CancellationToken cancellationToken)
    {
        foreach (var eventId in eventIds)
        {
            // Raw SQL for the upsert (EF has none); the times are copied from the event row, so each provider's own
            // stored form of a DateTimeOffset is kept without converting it here.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO monitoring_screenshots ("SchoolId", "DeviceId", "EventId", "CreatedAt", "RequestedAt")
                SELECT "SchoolId", "DeviceId", "Id", "ReceivedAt", "ReceivedAt" FROM monitoring_events WHERE "Id" = {eventId} AND "SchoolId" = {schoolId}
                ON CONFLICT ("EventId") DO UPDATE SET "RequestedAt" = excluded."RequestedAt" WHERE monitoring_screenshots."RequestedAt" IS NULL
                """, cancellationToken);
        }
    }

    /// <summary>Links a critical event's screenshot (asked for, arrived or still to come) to the alert the event raised or joined.</summary>
    public static Task LinkAlertAsync(BrightlineDbContext db, string schoolId, long eventId, long alertId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO monitoring_screenshots ("SchoolId", "DeviceId", "EventId", "CreatedAt", "AlertId")
            SELECT "SchoolId", "DeviceId", "Id", "ReceivedAt", {alertId} FROM monitoring_events WHERE "Id" = {eventId} AND "SchoolId" = {schoolId}
            ON CONFLICT ("EventId") DO UPDATE SET "AlertId" = excluded."AlertId"
            """, cancellationToken);

    /// <summary>Stores the image a device sent for one of its events, if the server asked for it and has none yet.</summary>
    public async Task<Outcome> StoreAsync(string schoolId, Guid deviceId, string clientEventId, byte[] image, string contentType,
        DateTimeOffset capturedAt, CancellationToken cancellationToken)
    {
        var eventId = await db.Set<MonitoringEvent>().AsNoTracking()
            .Where(e => e.SchoolId == schoolId && e.DeviceId == deviceId && e.ClientEventId == clientEventId)
            .Select(e => (long?)e.Id).FirstOrDefaultAsync(cancellationToken);
        if (eventId is null)
        {
            return Outcome.NotRequested;
        }

        var now = StoredTime.Now(time);
        var stored = await db.Set<MonitoringScreenshot>()
            .Where(s => s.EventId == eventId && s.SchoolId == schoolId && s.DeviceId == deviceId && s.RequestedAt != null && s.Image == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Image, image).SetProperty(x => x.ContentType, contentType)
                .SetProperty(x => x.CapturedAt, StoredTime.Truncate(capturedAt)).SetProperty(x => x.ReceivedAt, now), cancellationToken);
        if (stored > 0)
        {
            return Outcome.Stored;
        }

        return await db.Set<MonitoringScreenshot>().AnyAsync(s => s.EventId == eventId && s.SchoolId == schoolId && s.RequestedAt != null, cancellationToken)
            ? Outcome.AlreadyStored
            : Outcome.NotRequested;
    }

    /// <summary>The newest screenshot of one of this school's alerts, or null.</summary>
    public static async Task<(byte[] Bytes, string Type)?> ForAlertAsync(BrightlineDbContext db, string schoolId, long alertId, CancellationToken cancellationToken)
    {
        var shot = await db.Set<MonitoringScreenshot>().AsNoTracking()
            .Where(s => s.SchoolId == schoolId && s.AlertId == alertId && s.Image != null && s.ContentType != null)
            .OrderByDescending(s => s.CapturedAt).ThenByDescending(s => s.Id)
            .Select(s => new { s.Image, s.ContentType }).FirstOrDefaultAsync(cancellationToken);
        return shot is null ? null : (shot.Image!, shot.ContentType!);
    }

    /// <summary>Whether one of this school's alerts has a screenshot to show.</summary>
    public static Task<bool> AlertHasOneAsync(BrightlineDbContext db, string schoolId, long alertId, CancellationToken cancellationToken) =>
        db.Set<MonitoringScreenshot>().AnyAsync(s => s.SchoolId == schoolId && s.AlertId == alertId && s.Image != null, cancellationToken);

    /// <summary>
    /// Deletes screenshots older than each school's retention (O9: screen captures kept at most 45 days by default),
    /// except those of an alert escalated to an incident, which the incident keeps like the rest of that alert's
    /// captured content (<see cref="AlertProcessor.PurgeAsync"/>). Each school's count is audited. Idempotent, so
    /// every node may run it.
    /// </summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var schools = await db.Set<MonitoringScreenshot>().AsNoTracking().Select(s => s.SchoolId).Distinct().ToListAsync(cancellationToken);
        var total = 0;
        foreach (var school in schools)
        {
            var settings = MonitoringSettings.From(await policies.ActiveAsync(school, cancellationToken));
            var cutoff = now - settings.Retention;
            var escalated = db.Set<MonitoringAlert>().Where(a => a.SchoolId == school && a.Outcome == AlertOutcome.Escalated).Select(a => a.Id);
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var deleted = await db.Set<MonitoringScreenshot>()
                .Where(s => s.SchoolId == school && s.CreatedAt < cutoff && (s.AlertId == null || !escalated.Contains(s.AlertId.Value)))
                .ExecuteDeleteAsync(cancellationToken);
            if (deleted > 0)
            {
                await audit.AppendAsync(school, "brightline", MonitoringAuditActions.CapturesPurged, "monitoring",
                    $"{deleted} screenshot record(s) older than {settings.Retention.TotalDays:0} days", null, cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
            total += deleted;
        }

        return total;
    }
}
