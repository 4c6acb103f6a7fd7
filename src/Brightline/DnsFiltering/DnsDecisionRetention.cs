using Brightline.Audit;
using Brightline.Data;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

using Brightline.Filtering;

using Brightline.Dns;

namespace Brightline.DnsFiltering;

/// <summary>
/// Deletes DNS decisions older than each school's <c>filtering.decision_log.retention_days</c>. The
/// decision log records which device (and, once signed in, which child) asked for which name, so it is
/// kept only as long as the policy says. Deletion runs in bounded batches (the (SchoolId, At) index
/// finds them) so a pass never holds the database for long, and every pass that deleted rows for a
/// school appends one audit entry with the count and the cut-off. Decisions no school claimed (a
/// client outside every known network) are kept for the default retention and audited installation-wide.
/// </summary>
public sealed partial class DnsDecisionRetention(
    BrightlineDbContext db, PolicyStore policies, AuditLog audit, TimeProvider time, ILogger<DnsDecisionRetention> logger)
{
    public const string AuditAction = "dns-decisions-purged";

    /// <summary>Rows deleted per statement.</summary>
    public const int BatchSize = 2000;

    /// <summary>Batches per school per pass; whatever is left goes in the next pass.</summary>
    public const int MaxBatchesPerPass = 50;

    /// <summary>One pass over every school; returns the rows deleted.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var total = 0;
        foreach (var school in await policies.SchoolsAsync(cancellationToken))
        {
            var retentionDays = await RetentionDaysAsync(school.Id, cancellationToken);
            total += await PurgeAsync(school.Id, retentionDays, now - TimeSpan.FromDays(retentionDays), cancellationToken);
        }

        var unclaimedDays = DecisionLogSettings.DefaultRetentionDays;
        total += await PurgeAsync(null, unclaimedDays, now - TimeSpan.FromDays(unclaimedDays), cancellationToken);
        return total;
    }

    private async Task<int> RetentionDaysAsync(string schoolId, CancellationToken cancellationToken)
    {
        try
        {
            return (await policies.ActiveAsync(schoolId, cancellationToken)).Filtering.DecisionLog.RetentionDays;
        }
        catch (NotFoundException)
        {
            // A school with no active policy yet keeps its decisions for the default period.
            return DecisionLogSettings.DefaultRetentionDays;
        }
    }

    private async Task<int> PurgeAsync(string? schoolId, int retentionDays, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var deleted = 0;
        for (var batch = 0; batch < MaxBatchesPerPass; batch++)
        {
            var older = schoolId is null
                ? db.DnsDecisions.Where(d => d.SchoolId == null && d.At < cutoff)
                : db.DnsDecisions.Where(d => d.SchoolId == schoolId && d.At < cutoff);
            var ids = await older.OrderBy(d => d.At).Select(d => d.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            deleted += await db.DnsDecisions.Where(d => ids.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        if (deleted > 0)
        {
            await audit.AppendAsync(schoolId, "brightline", AuditAction, "dns_decisions",
                $"{deleted} DNS decision(s) logged before {Brightline.Kernel.UkFormat.ShortDateTime(cutoff)} deleted under the "
                + (schoolId is null ? $"default {retentionDays}-day decision-log retention (no school's client)." : $"policy's {retentionDays}-day decision-log retention."),
                null, cancellationToken);
            LogPurged(logger, deleted, retentionDays);
        }

        return deleted;
    }

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information, Message = "Deleted {Count} DNS decisions past their {Days}-day retention")]
    private static partial void LogPurged(ILogger logger, int count, int days);
}
