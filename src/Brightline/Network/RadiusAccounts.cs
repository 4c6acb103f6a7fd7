using System.Runtime.CompilerServices;
using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Brightline.Network;

/// <summary>
/// Finds the portal account a RADIUS User-Name names (its email, as the portal's sign-in form takes it, or its user
/// name) and the person that account is at the school the machine key stands for. A 802.1X user name may carry a
/// realm (<c>name@school.org.uk</c> is also an email) — it is looked up as typed, never rewritten.
/// </summary>
/// <remarks>
/// Names are normalised by Identity's <see cref="ILookupNormalizer"/> (what <see cref="UserManager{TUser}"/> uses to
/// store them), not through a UserManager: building one per request resolves every token provider and its data
/// protector, a real share of a sign-in that needs none of them (docs/network.md, the fast path).
/// </remarks>
public sealed class RadiusAccounts(BrightlineDbContext db, ILookupNormalizer normalizer, KnownAccountNames known)
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
        var normalized = normalizer.NormalizeEmail(userName);
        var normalizedName = normalizer.NormalizeName(userName);
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
        // One compiled query instead of Identity's lookup and then the membership's: this runs on every sign-in, and at
        // a thousand a second EF's per-query translation and a second round trip were a large share of the answer. The
        // account is tracked, as Identity's own lookup returns it, because the password check may write its lockout.
        var row = await FindRowAsync(schoolId, userName);
        return row is { PersonId: { } id } ? (row.User, id) : null;
    }

    private Task<UserRow?> FindRowAsync(string schoolId, string userName)
    {
        var email = userName.Contains('@', StringComparison.Ordinal) ? normalizer.NormalizeEmail(userName) : null;
        return FindUserQueries.GetValue(db.Model, static _ => CompileFindUser())(db, schoolId, email, normalizer.NormalizeName(userName));
    }

    private sealed record UserRow(ApplicationUser User, Guid? PersonId);

    /// <summary>
    /// The account whose email (when the name is one) or user name it is — an email match first, as the portal's sign-in
    /// form looks an account up — with the person it is at the school. A match that is no person there is not passed
    /// over for a weaker match: it answers "no person" as before.
    /// </summary>
    /// <remarks>A compiled query belongs to one model, and one process may hold several (the tests run SQLite and PostgreSQL servers side by side).</remarks>
    private static readonly ConditionalWeakTable<IModel, Func<BrightlineDbContext, string, string?, string, Task<UserRow?>>> FindUserQueries = new();

    private static Func<BrightlineDbContext, string, string?, string, Task<UserRow?>> CompileFindUser() =>
        EF.CompileAsyncQuery((BrightlineDbContext context, string schoolId, string? email, string name) =>
            context.Users
                .Where(u => (email != null && u.NormalizedEmail == email) || u.NormalizedUserName == name)
                .OrderBy(u => email != null && u.NormalizedEmail == email ? 0 : 1)
                .Select(u => new UserRow(u, context.SchoolMemberships
                    .Where(m => m.UserId == u.Id && m.SchoolId == schoolId && m.PersonId != null)
                    .OrderBy(m => m.Id).Select(m => m.PersonId).FirstOrDefault()))
                .FirstOrDefault());

    /// <summary>Null when no account has the name, or the account is no person at <paramref name="schoolId"/>.</summary>
    public async Task<(ApplicationUser? User, RadiusAccount? Account)> FindAsync(string schoolId, string userName, CancellationToken cancellationToken)
    {
        var row = await FindRowAsync(schoolId, userName);
        if (row is null)
        {
            return (null, null);
        }

        if (row.PersonId is not { } id)
        {
            return (row.User, null);
        }

        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == schoolId && p.Id == id, cancellationToken);
        return (row.User, person is null ? null : new RadiusAccount(row.User, person));
    }
}
