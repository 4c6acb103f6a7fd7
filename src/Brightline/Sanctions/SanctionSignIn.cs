using Brightline.AccessChanges;
using Brightline.Access;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Filtering;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Sanctions;

/// <summary>Sign-in checks for suspend_account sanctions (F14).</summary>
public sealed class SanctionSignIn(IServiceProvider services) : Portal.ISuspendedAccounts
{
    public const string SuspendedPath = "/account/suspended";

    string Portal.ISuspendedAccounts.SuspendedPath => SuspendedPath;

    Task<bool> Portal.ISuspendedAccounts.IsSuspendedAsync(string userId, CancellationToken cancellationToken) =>
        IsUserSuspendedAsync(services, userId, cancellationToken);

    /// <summary>True when any person the account stands for is suspended now.</summary>
    public static async Task<bool> IsUserSuspendedAsync(IServiceProvider services, string userId, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<BrightlineDbContext>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var people = await db.SchoolMemberships.AsNoTracking()
            .Where(m => m.UserId == userId && m.PersonId != null)
            .Select(m => new { m.SchoolId, PersonId = m.PersonId!.Value })
            .Distinct().ToListAsync(cancellationToken);
        foreach (var p in people)
        {
            if (await SanctionRules.IsSuspendedAsync(db, p.SchoolId, p.PersonId, now, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }
}
