using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Network;

/// <summary>
/// Finds the portal account a RADIUS User-Name names (its email, as the portal's sign-in form takes it, or its user
/// name) and the person that account is at the school the machine key stands for. A 802.1X user name may carry a
/// realm (<c>name@school.org.uk</c> is also an email) — it is looked up as typed, never rewritten.
/// </summary>
public sealed class RadiusAccounts(BrightlineDbContext db, UserManager<ApplicationUser> users, KnownAccountNames known)
{
    /// <summary>
    /// Whether an account with the name is a person at <paramref name="schoolId"/>: one query, for authorize, which only
    /// decides whether to go on to authenticate (where <see cref="FindUserAsync"/> reads the account afresh).
    /// </summary>
    public async Task<bool> ExistsAsync(string schoolId, string userName, CancellationToken cancellationToken)
    {
        // A name seen recently is taken as existing without a query: authorize only lets the request go on to
        // authenticate, which reads the account afresh and refuses it if it has gone (KnownAccountNames).
        if (known.Contains(schoolId, userName))
        {
            return true;
        }

        var exists = await QueryExistsAsync(schoolId, userName, cancellationToken);
        if (exists)
        {
            known.Add(schoolId, userName);
        }

        return exists;
    }

    private Task<bool> QueryExistsAsync(string schoolId, string userName, CancellationToken cancellationToken)
    {
        var normalized = users.NormalizeEmail(userName);
        var normalizedName = users.NormalizeName(userName);
        var byEmail = userName.Contains('@', StringComparison.Ordinal);
        return db.SchoolMemberships.AsNoTracking()
            .Where(m => m.SchoolId == schoolId && m.PersonId != null)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u)
            .AnyAsync(u => (byEmail && u.NormalizedEmail == normalized) || u.NormalizedUserName == normalizedName, cancellationToken);
    }

    /// <summary>
    /// The account (read afresh: its password hash, stamp and lockout decide the password check) and the ID of the person
    /// it is at <paramref name="schoolId"/>, without reading the person: authenticate needs the person's row only when
    /// it decides afresh (<see cref="NetworkDecisionCache"/>). Null when no account has the name, or it is no person there.
    /// </summary>
    public async Task<(ApplicationUser User, Guid PersonId)?> FindUserAsync(string schoolId, string userName, CancellationToken cancellationToken)
    {
        var user = (userName.Contains('@', StringComparison.Ordinal) ? await users.FindByEmailAsync(userName) : null)
            ?? await users.FindByNameAsync(userName);
        if (user is null)
        {
            return null;
        }

        var personId = await db.SchoolMemberships.AsNoTracking()
            .Where(m => m.UserId == user.Id && m.SchoolId == schoolId && m.PersonId != null)
            .OrderBy(m => m.Id).Select(m => m.PersonId).FirstOrDefaultAsync(cancellationToken);
        return personId is { } id ? (user, id) : null;
    }

    /// <summary>Null when no account has the name, or the account is no person at <paramref name="schoolId"/>.</summary>
    public async Task<(ApplicationUser? User, RadiusAccount? Account)> FindAsync(string schoolId, string userName, CancellationToken cancellationToken)
    {
        var user = (userName.Contains('@', StringComparison.Ordinal) ? await users.FindByEmailAsync(userName) : null)
            ?? await users.FindByNameAsync(userName);
        if (user is null)
        {
            return (null, null);
        }

        var personId = await db.SchoolMemberships.AsNoTracking()
            .Where(m => m.UserId == user.Id && m.SchoolId == schoolId && m.PersonId != null)
            .OrderBy(m => m.Id).Select(m => m.PersonId).FirstOrDefaultAsync(cancellationToken);
        if (personId is not { } id)
        {
            return (user, null);
        }

        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == schoolId && p.Id == id, cancellationToken);
        return (user, person is null ? null : new RadiusAccount(user, person));
    }
}
