using Brightline.Data;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Portal;

/// <summary>
/// Which accounts an administrator may manage. Accounts are installation-wide but administrators are
/// per school, so an administrator manages an account only through its roles at their own school, and may
/// hand out a password link only when the account belongs to no school they do not administer: a link
/// sets the password, and with it the account's access to every school it belongs to (issue 10, item 1).
/// </summary>
public static class AccountStewardship
{
    /// <summary>True when <paramref name="accountId"/> holds at least one role at <paramref name="schoolId"/>.</summary>
    public static Task<bool> IsMemberAsync(BrightlineDbContext db, string accountId, string schoolId, CancellationToken cancellationToken) =>
        db.SchoolMemberships.AnyAsync(m => m.UserId == accountId && m.SchoolId == schoolId, cancellationToken);

    /// <summary>
    /// True when every school the account belongs to is one where <paramref name="administratorId"/> is an
    /// administrator (and it belongs to at least one of them); never for an account with no role anywhere.
    /// </summary>
    public static async Task<bool> MayIssuePasswordLinkAsync(BrightlineDbContext db, string administratorId, string accountId, CancellationToken cancellationToken)
    {
        var administered = db.SchoolMemberships.Where(m => m.UserId == administratorId && m.Role == PortalRoles.Admin).Select(m => m.SchoolId);
        var schools = await db.SchoolMemberships.Where(m => m.UserId == accountId).Select(m => m.SchoolId).Distinct().ToListAsync(cancellationToken);
        if (schools.Count == 0)
        {
            return false;
        }

        var outside = await db.SchoolMemberships.Where(m => m.UserId == accountId && !administered.Contains(m.SchoolId)).AnyAsync(cancellationToken);
        return !outside;
    }
}
