using Brightline.Data;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Portal;

/// <summary>
/// Ending every session of an account. A portal session is a cookie holding the account's security stamp;
/// <see cref="PortalClaimsTransformation"/> compares it with the stored stamp on every request, so changing
/// the stamp ends every session at its next request, on every node (issue 10, item 6). Identity changes the
/// stamp itself on a password reset or change; a role removal and a leaver call this.
/// </summary>
public static class AccountSessions
{
    /// <summary>Ends every session of <paramref name="accountId"/>.</summary>
    public static Task EndAsync(BrightlineDbContext db, string accountId, CancellationToken cancellationToken) =>
        EndAsync(db, db.Users.Where(u => u.Id == accountId).Select(u => u.Id), cancellationToken);

    /// <summary>
    /// Ends every session of the accounts <paramref name="accountIds"/> selects, in one statement (inside the
    /// caller's transaction when there is one, so it commits with the change that ended them).
    /// </summary>
    public static async Task EndAsync(BrightlineDbContext db, IQueryable<string> accountIds, CancellationToken cancellationToken)
    {
        // One new stamp for all of them: what matters is that each differs from the one in its cookies.
        var stamp = Guid.NewGuid().ToString("N").ToUpperInvariant();
        await db.Users.Where(u => accountIds.Contains(u.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.SecurityStamp, stamp).SetProperty(x => x.ConcurrencyStamp, stamp), cancellationToken);
    }
}
