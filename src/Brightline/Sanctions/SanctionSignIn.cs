using Brightline.Access;
using Brightline.Data;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Sanctions;

/// <summary>Sign-in checks for suspend_account sanctions (F14).</summary>
public sealed class SanctionSignIn(BrightlineDbContext db, TimeProvider time) : Portal.ISuspendedAccounts
{
    public const string SuspendedPath = "/account/suspended";

    string Portal.ISuspendedAccounts.SuspendedPath => SuspendedPath;

    /// <summary>True when any person the account stands for is suspended now.</summary>
    public async Task<bool> IsSuspendedAsync(string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
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
