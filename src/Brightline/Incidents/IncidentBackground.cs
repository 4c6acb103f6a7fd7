using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Incidents;

/// <summary>
/// The registers' background work: chasing data-breach decisions (O6, F4) and the retention sweep — the
/// only code that ever removes an incident, and only as the policy's <c>retention_days</c> for its kind says.
/// </summary>
public sealed class IncidentBackground(BrightlineDbContext db, PolicyStore policies, IncidentNotifier notifier, AuditLog audit, TimeProvider time)
{
    public const string AuditChased = "incident-decision-chased";
    public const string AuditRetention = "incident-retention-removed";

    /// <summary>Sends each due reminder once (by default at 48 and 70 hours after discovery) until the ICO decision is recorded.</summary>
    public async Task<int> ChaseDecisionsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var waiting = await db.Set<Incident>()
            .Where(i => i.Kind == IncidentKinds.DataBreach && i.DecisionAt == null && i.DiscoveredAt != null && i.Status != IncidentStatus.Closed)
            .OrderBy(i => i.DecisionDueAt).Take(500).ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var incident in waiting)
        {
            var settings = IncidentSettings.From(await policies.ActiveAsync(incident.SchoolId, cancellationToken));
            var elapsed = now - incident.DiscoveredAt!.Value;
            var due = settings.BreachChaseHours.Count(h => elapsed >= TimeSpan.FromHours(h));
            if (due <= incident.ChasesSent)
            {
                continue;
            }

            // Several chase points passed at once (the server was down) still send one reminder, not a burst.
            // The reminder is marked sent in the same transaction as its emails are queued (the outbox sends them
            // afterwards, outside any transaction), so a crash can neither send it twice nor lose it.
            await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                incident.ChasesSent = due;
                await db.SaveChangesAsync(cancellationToken);
                await audit.AppendAsync(incident.SchoolId, "brightline", AuditChased, incident.Id.ToString(), $"reminder {due} of {settings.BreachChaseHours.Count}", null, cancellationToken);
                sent += await notifier.ChaseAsync(incident, settings, cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }
        }

        return sent;
    }

    /// <summary>
    /// Removes closed incidents older than their kind's retention period (none by default: "keep"), with their
    /// people, entries, links and files, and audits the counts per school and kind. Returns incidents removed.
    /// </summary>
    public async Task<int> SweepRetentionAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var schools = await db.Set<Incident>().AsNoTracking().Where(i => i.ClosedAt != null).Select(i => i.SchoolId).Distinct().ToListAsync(cancellationToken);
        var removed = 0;
        foreach (var school in schools)
        {
            var settings = IncidentSettings.From(await policies.ActiveAsync(school, cancellationToken));
            foreach (var kind in settings.Kinds.Where(k => k.RetentionDays is not null))
            {
                var cutoff = now - TimeSpan.FromDays(kind.RetentionDays!.Value);
                var ids = await db.Set<Incident>().AsNoTracking()
                    .Where(i => i.SchoolId == school && i.Kind == kind.Key && i.Status == IncidentStatus.Closed && i.ClosedAt != null && i.ClosedAt < cutoff)
                    .Select(i => i.Id).Take(500).ToListAsync(cancellationToken);
                if (ids.Count == 0)
                {
                    continue;
                }

                await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
                var files = await db.Set<IncidentAttachment>().Where(a => ids.Contains(a.IncidentId)).ExecuteDeleteAsync(cancellationToken);
                var links = await db.Set<IncidentLink>().Where(l => ids.Contains(l.IncidentId)).ExecuteDeleteAsync(cancellationToken);
                await db.Set<IncidentPerson>().Where(p => ids.Contains(p.IncidentId)).ExecuteDeleteAsync(cancellationToken);
                // Corrections reference earlier entries (ON DELETE RESTRICT): remove the ones nothing references first.
                var entries = 0;
                while (true)
                {
                    var batch = await db.Set<IncidentEntry>()
                        .Where(e => ids.Contains(e.IncidentId) && !db.Set<IncidentEntry>().Any(c => c.CorrectsEntryId == e.Id))
                        .ExecuteDeleteAsync(cancellationToken);
                    if (batch == 0)
                    {
                        break;
                    }

                    entries += batch;
                }

                var incidents = await db.Set<Incident>().Where(i => ids.Contains(i.Id)).ExecuteDeleteAsync(cancellationToken);
                await audit.AppendAsync(school, "brightline", AuditRetention, kind.Key,
                    $"{incidents} incident(s) closed before {Brightline.Kernel.UkFormat.ShortDateTime(cutoff)} removed under the policy's {kind.RetentionDays}-day retention: "
                    + $"{entries} timeline entr{(entries == 1 ? "y" : "ies")}, {links} link(s), {files} file(s).", null, cancellationToken);
                await tx.CommitAsync(cancellationToken);
                removed += incidents;
            }
        }

        return removed;
    }
}
