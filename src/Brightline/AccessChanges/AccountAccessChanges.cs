using Brightline.Data;
using Microsoft.EntityFrameworkCore;

namespace Brightline.AccessChanges;

/// <summary>Access changes that belong to a portal account rather than to one school's person: published for each person the account is.</summary>
public static class AccountAccessChanges
{
    /// <summary>Publishes <paramref name="reason"/> for every person the account <paramref name="userId"/> is, at every school, and stores it.</summary>
    public static async Task PublishForAccountAsync(this IAccessChanges changes, BrightlineDbContext db, string userId, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(db);
        var people = await db.SchoolMemberships.AsNoTracking()
            .Where(m => m.UserId == userId && m.PersonId != null)
            .Select(m => new { m.SchoolId, m.PersonId })
            .ToListAsync(cancellationToken);
        foreach (var person in people)
        {
            changes.Publish(db, person.SchoolId, person.PersonId, reason);
        }

        if (people.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
