using Brightline.Audit;
using Brightline.Data;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.DnsFiltering;

/// <summary>
/// Deletes DNS decisions older than each school's <c>filtering.decision_log.retention_days</c>. The
/// decision log records which device (and, once signed in, which child) asked for which name, so it is
/// kept only as long as the policy says. Deletion runs in bounded batches (the (SchoolId, At) index
/// finds them) so a pass never holds the database for long, and every pass that deleted rows for a
/// school appends one audit entry with the count and the cut-off. Decisions no school claimed (a
/// client outside every known network) are kept for the default retention and audited installation-wide.
/// Each school's daily summaries of its log (issue 18 part 4) go with it, by whole days. On PostgreSQL the pass also
/// keeps the day partitions: the coming days made, the passed ones dropped, the ended ones given their name index.
/// </summary>
public sealed partial class DnsDecisionRetention(
    BrightlineDbContext db, PolicyStore policies, AuditLog audit, TimeProvider time, ILogger<DnsDecisionRetention> logger)
{
    public const string AuditAction = "dns-decisions-purged";

    /// <summary>Rows deleted per statement.</summary>
    public const int BatchSize = 2000;

    /// <summary>Batches per school per pass; whatever is left goes in the next pass.</summary>
    public const int MaxBatchesPerPass = 50;

    /// <summary>
    /// One pass over every school; returns the rows deleted. On PostgreSQL it first keeps the day partitions in order
    /// (the coming days made, the default partition emptied into its days) and drops every whole day older than the
    /// longest retention of any school (and the default for decisions no school claimed); what is left past a shorter
    /// school's retention goes in batches, as on SQLite. Each school's audit entry counts both.
    /// </summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var retentions = new List<(string? School, int Days)>();
        foreach (var school in await policies.SchoolsAsync(cancellationToken))
        {
            retentions.Add((school.Id, await RetentionDaysAsync(school.Id, cancellationToken)));
        }

        retentions.Add((null, DecisionLogSettings.DefaultRetentionDays));
        var dropped = new Dictionary<string, long>(StringComparer.Ordinal);
        if (db.Database.IsNpgsql())
        {
            var oldestKept = now - TimeSpan.FromDays(retentions.Max(r => r.Days));
            dropped = await DropPartitionsAsync(now, oldestKept, cancellationToken);
        }

        long total = 0;
        foreach (var (school, days) in retentions)
        {
            var inDropped = dropped.Remove(school ?? "", out var n) ? n : 0;
            total += await PurgeAsync(school, days, now - TimeSpan.FromDays(days), inDropped, cancellationToken);
        }

        await PurgeSummariesOfGoneSchoolsAsync(retentions, now, cancellationToken);

        // Rows of a school this installation no longer has went with their day: say so installation-wide.
        var gone = dropped.Values.Sum();
        if (gone > 0)
        {
            await audit.AppendAsync(null, "brightline", AuditAction, "dns_decisions",
                $"{gone} DNS decision(s) of schools no longer on this installation deleted with their day's partition, older than every school's decision-log retention.",
                null, cancellationToken);
            total += gone;
        }

        if (db.Database.IsNpgsql())
        {
            // Last, so a long build never holds up what the retention must delete.
            await IndexNamesAsync(now, cancellationToken);
        }

        return (int)Math.Min(total, int.MaxValue);
    }

    /// <summary>Issue 18 part 4: the days that ended over an hour ago get their partition's name index (<see cref="DnsDecisionPartitions.IndexNamesAsync"/>).</summary>
    private async Task IndexNamesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var built = await OnOpenConnectionAsync(connection => DnsDecisionPartitions.IndexNamesAsync(connection, now, cancellationToken), cancellationToken);
        if (built > 0)
        {
            LogNameIndexesBuilt(logger, built);
        }
    }

    /// <summary>
    /// Issue 18 part 4: a school's daily summaries (dns_decision_days, dns_decision_names) go with its log. A summary
    /// day goes once every decision it counts is past the cut-off, never before: the log's search trusts the summary
    /// to name every day a name was asked for, so a summary must not lose a day the log still holds. The day the
    /// cut-off falls in stays until the next day's pass.
    /// </summary>
    private async Task PurgeSummariesAsync(string schoolId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var before = SchoolClock.DateOf(cutoff);
        await db.DnsDecisionDays.Where(d => d.SchoolId == schoolId && d.Day < before).ExecuteDeleteAsync(cancellationToken);
        await db.DnsDecisionNames.Where(d => d.SchoolId == schoolId && d.Day < before).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The summaries of schools this installation no longer has, past the longest retention (their log went with its days).</summary>
    private async Task PurgeSummariesOfGoneSchoolsAsync(List<(string? School, int Days)> retentions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var known = retentions.Where(r => r.School is not null).Select(r => r.School!).ToList();
        var before = SchoolClock.DateOf(now - TimeSpan.FromDays(retentions.Max(r => r.Days)));
        // dns_decision_days is small (a few dozen rows a school-day), so finding the schools there spares a scan of the names.
        var gone = await db.DnsDecisionDays.Where(d => !known.Contains(d.SchoolId) && d.Day < before).Select(d => d.SchoolId).Distinct().ToListAsync(cancellationToken);
        foreach (var school in gone)
        {
            await PurgeSummariesAsync(school, SchoolClock.StartOf(before), cancellationToken);
        }
    }

    private async Task<Dictionary<string, long>> DropPartitionsAsync(DateTimeOffset now, DateTimeOffset oldestKept, CancellationToken cancellationToken)
    {
        return await OnOpenConnectionAsync(async connection =>
        {
            await DnsDecisionPartitions.EnsureAsync(connection, now, cancellationToken);
            return await DnsDecisionPartitions.DropBeforeAsync(connection, oldestKept, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>PostgreSQL: runs partition work on the context's own connection, opened for it and closed after.</summary>
    private async Task<T> OnOpenConnectionAsync<T>(Func<Npgsql.NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await work((Npgsql.NpgsqlConnection)db.Database.GetDbConnection());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
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

    private async Task<long> PurgeAsync(string? schoolId, int retentionDays, DateTimeOffset cutoff, long alreadyDropped, CancellationToken cancellationToken)
    {
        long deleted = alreadyDropped;
        var finished = false;
        for (var batch = 0; batch < MaxBatchesPerPass; batch++)
        {
            var older = schoolId is null
                ? db.DnsDecisions.Where(d => d.SchoolId == null && d.At < cutoff)
                : db.DnsDecisions.Where(d => d.SchoolId == schoolId && d.At < cutoff);
            var ids = await older.OrderBy(d => d.At).Select(d => d.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                finished = true;
                break;
            }

            // "At < cutoff" again so PostgreSQL looks for the ids only in the partitions before the cut-off.
            deleted += await db.DnsDecisions.Where(d => ids.Contains(d.Id) && d.At < cutoff).ExecuteDeleteAsync(cancellationToken);
        }

        if (schoolId is not null && finished)
        {
            // Only once the log holds nothing of the school before the cut-off, so no summary day goes before its rows.
            await PurgeSummariesAsync(schoolId, cutoff, cancellationToken);
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
    private static partial void LogPurged(ILogger logger, long count, int days);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Information, Message = "Built the name index of {Count} ended day(s) of the DNS decision log")]
    private static partial void LogNameIndexesBuilt(ILogger logger, int count);
}
