using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Brightline.People;

/// <summary>
/// The names behind the account addresses and IDs that records keep (who wrote an incident entry, who acted in the
/// audit log, whom an entry is about), for showing (issue 17 defect 3: names, not GUIDs or email addresses). Records
/// keep what they stored — the audit log is hash-chained — so this only reads. Only this school's people and the
/// accounts of its members are named; anything else is left as recorded.
/// </summary>
public sealed class PeopleNames(BrightlineDbContext db)
{
    /// <summary>Name by key (case-insensitive), for keys that are a person's ID, an account's ID, or an email address.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ForAsync(string schoolId, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var wanted = keys.Where(k => !string.IsNullOrWhiteSpace(k)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (wanted.Count == 0)
        {
            return names;
        }

        var personIds = wanted.Select(k => Guid.TryParse(k, out var g) ? g : (Guid?)null).OfType<Guid>().ToList();
        foreach (var p in await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && personIds.Contains(p.Id))
                     .Select(p => new { p.Id, p.FullName }).ToListAsync(cancellationToken))
        {
            names[p.Id.ToString()] = p.FullName;
        }

        foreach (var p in await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.Email != null && wanted.Contains(p.Email))
                     .Select(p => new { p.Email, p.FullName }).ToListAsync(cancellationToken))
        {
            names.TryAdd(p.Email!, p.FullName);
        }

        var members = db.Set<SchoolMembership>().Where(m => m.SchoolId == schoolId);
        var accounts = await (from u in db.Users.AsNoTracking()
                              join m in members on u.Id equals m.UserId
                              where wanted.Contains(u.Id) || wanted.Contains(u.Email!)
                              join p in db.People.AsNoTracking() on m.PersonId equals p.Id into linked
                              from p in linked.DefaultIfEmpty()
                              select new { u.Id, u.Email, u.DisplayName, Person = p == null ? null : p.FullName }).ToListAsync(cancellationToken);
        foreach (var a in accounts)
        {
            var name = a.Person ?? a.DisplayName ?? a.Email ?? a.Id;
            names.TryAdd(a.Id, name);
            if (a.Email is not null)
            {
                names.TryAdd(a.Email, name);
            }
        }

        return names;
    }
}
