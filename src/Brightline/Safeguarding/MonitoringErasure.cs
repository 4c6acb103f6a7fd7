using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Safeguarding;

/// <summary>
/// Deletes one person's monitoring data on request (right to erasure): their events (with captured text
/// and screenshots) and their alerts with each alert's timeline — except alerts whose outcome is
/// <c>escalated</c>, which belong to a safeguarding concern and are kept with the events they cite.
/// Only the DSL or the headteacher may do it; it is audited with counts.
/// </summary>
public sealed class MonitoringErasure(BrightlineDbContext db, PortalScope scope, AuditLog audit)
{
    public const string AuditAction = "monitoring-person-erased";

    public bool CanErase => scope.SchoolId is not null && scope.HasAnyRole(PortalRoles.MonitoringErasers);

    public async Task<ErasureCounts> PreviewAsync(Guid personId, CancellationToken cancellationToken)
    {
        var school = Ensure();
        var (kept, keptEvents) = Kept(school, personId);
        return new ErasureCounts(
            await Erasable(school, personId, keptEvents).CountAsync(cancellationToken),
            await db.Set<MonitoringAlert>().CountAsync(a => a.SchoolId == school && a.PersonId == personId && !kept.Contains(a.Id), cancellationToken),
            await kept.CountAsync(cancellationToken),
            await db.Set<MonitoringEvent>().CountAsync(e => e.SchoolId == school && e.PersonId == personId && keptEvents.Contains(e.Id), cancellationToken));
    }

    public async Task<ErasureCounts> EraseAsync(Guid personId, CancellationToken cancellationToken)
    {
        var school = Ensure();
        if (!await db.People.AnyAsync(p => p.Id == personId && p.SchoolId == school, cancellationToken))
        {
            throw new NotFoundException("There is no such person at this school.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var (kept, keptEvents) = Kept(school, personId);
        var keptCount = await kept.CountAsync(cancellationToken);
        var keptEventCount = await db.Set<MonitoringEvent>().CountAsync(e => e.SchoolId == school && e.PersonId == personId && keptEvents.Contains(e.Id), cancellationToken);
        var doomed = db.Set<MonitoringAlert>().Where(a => a.SchoolId == school && a.PersonId == personId && !kept.Contains(a.Id)).Select(a => a.Id);
        await db.Set<MonitoringAlertEntry>().Where(x => doomed.Contains(x.AlertId)).ExecuteDeleteAsync(cancellationToken);
        // Screenshots go with the alerts and events they belong to (their event is referenced, so they go first).
        var erasable = Erasable(school, personId, keptEvents).Select(e => e.Id);
        await db.Set<MonitoringScreenshot>().Where(s => s.SchoolId == school && ((s.AlertId != null && doomed.Contains(s.AlertId.Value)) || erasable.Contains(s.EventId)))
            .ExecuteDeleteAsync(cancellationToken);
        var alerts = await db.Set<MonitoringAlert>().Where(a => a.SchoolId == school && a.PersonId == personId && !kept.Contains(a.Id)).ExecuteDeleteAsync(cancellationToken);
        var events = await Erasable(school, personId, keptEvents).ExecuteDeleteAsync(cancellationToken);
        await audit.AppendAsync(school, scope.UserName, AuditAction, $"person:{personId}",
            $"{events} event(s) and {alerts} alert(s) deleted; {keptCount} alert(s) attached to an escalated concern kept, with {keptEventCount} event(s)",
            scope.ClientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new ErasureCounts(events, alerts, keptCount, keptEventCount);
    }

    private string Ensure() =>
        CanErase ? scope.RequiredSchoolId : throw new ForbiddenException("Only the DSL or the headteacher may delete a person's monitoring data.");

    private (IQueryable<long> KeptAlerts, IQueryable<long> KeptEvents) Kept(string school, Guid personId)
    {
        var escalated = db.Set<MonitoringAlert>().Where(a => a.SchoolId == school && a.PersonId == personId && a.Outcome == AlertOutcome.Escalated);
        var keptEvents = escalated.Select(a => a.EventId)
            .Concat(escalated.Where(a => a.ScreenshotEventId != null).Select(a => a.ScreenshotEventId!.Value));
        return (escalated.Select(a => a.Id), keptEvents);
    }

    private IQueryable<MonitoringEvent> Erasable(string school, Guid personId, IQueryable<long> keptEvents)
    {
        // Events any remaining alert cites (an escalated one) stay; so does anything another person's alert cites.
        var cited = db.Set<MonitoringAlert>().Where(a => a.SchoolId == school && (a.PersonId != personId || a.Outcome == AlertOutcome.Escalated)).Select(a => a.EventId);
        return db.Set<MonitoringEvent>().Where(e => e.SchoolId == school && e.PersonId == personId && !keptEvents.Contains(e.Id) && !cited.Contains(e.Id));
    }
}
