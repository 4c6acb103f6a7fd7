using Brightline.Data;
using Brightline.Policies;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Nodes;

/// <summary>
/// Whether this node can serve requests: the database answers, every migration this build knows is applied (a node
/// of a newer release waits while an older schema is still in place), and every school's active policy loads. The
/// reason for "not ready" goes to the log, never to the caller: the endpoint is anonymous.
/// </summary>
public sealed partial class Readiness(BrightlineDbContext db, DatabaseTarget target, PolicyStore policies, ILogger<Readiness> logger)
{
    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return NotReady("the database does not answer");
            }

            var applied = await db.Database.SqlQueryRaw<int>($"SELECT version AS \"Value\" FROM {DatabaseMigrator.HistoryTable}")
                .ToListAsync(cancellationToken);
            var missing = DatabaseMigrator.Scripts(target.Provider).Select(s => s.Version).Except(applied).ToList();
            if (missing.Count > 0)
            {
                return NotReady($"{missing.Count} migration(s) not applied, from V{missing.Min():D4}");
            }

            foreach (var school in await policies.SchoolsAsync(cancellationToken))
            {
                await policies.ActivePolicyAsync(school.Id, cancellationToken);
            }

            return true;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or Kernel.DomainException)
        {
            return NotReady(e.GetType().Name + ": " + e.Message);
        }
    }

    private bool NotReady(string reason)
    {
        LogNotReady(logger, reason);
        return false;
    }

    [LoggerMessage(EventId = 1950, Level = LogLevel.Warning, Message = "Not ready: {Reason}.")]
    private static partial void LogNotReady(ILogger logger, string reason);
}
