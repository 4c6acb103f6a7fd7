using Brightline.Data;
using Brightline.Policies;
using Microsoft.EntityFrameworkCore;

namespace Brightline.People;

/// <summary>Who holds a policy role at a school, for the emails that go to role holders (the DSL, the head …).</summary>
public static class RoleHolders
{
    /// <summary>
    /// Email addresses for a policy role key: people holding the role (from the MIS import), portal
    /// accounts with it, and the policy's named holders, each address once, in that order.
    /// </summary>
    public static async Task<IReadOnlyList<(string Email, Guid? PersonId)>> EmailsAsync(
        BrightlineDbContext db, PolicyStore policies, string schoolId, string role, CancellationToken cancellationToken)
    {
        var found = new List<(string, Guid?)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var people = await db.PersonRoles.AsNoTracking().Where(r => r.SchoolId == schoolId && r.Role == role)
            .Join(db.People.Where(p => p.LeftOn == null && p.Email != null), r => r.PersonId, p => p.Id, (r, p) => new { p.Id, p.Email })
            .ToListAsync(cancellationToken);
        foreach (var p in people.OrderBy(p => p.Email, StringComparer.OrdinalIgnoreCase))
        {
            if (seen.Add(p.Email!))
            {
                found.Add((p.Email!, p.Id));
            }
        }

        var accounts = await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == schoolId && m.Role == role)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Email, m.PersonId })
            .ToListAsync(cancellationToken);
        foreach (var a in accounts.Where(a => a.Email is not null).OrderBy(a => a.Email, StringComparer.OrdinalIgnoreCase))
        {
            if (seen.Add(a.Email!))
            {
                found.Add((a.Email!, a.PersonId));
            }
        }

        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        foreach (var (key, holder) in policy.Roles.All())
        {
            if (string.Equals(key, role, StringComparison.Ordinal) && holder.Email is { Length: > 0 } e && seen.Add(e))
            {
                found.Add((e, null));
            }
        }

        return found;
    }
    /// <summary>
    /// The names of the people who hold a role at a school (issue 17, defect 2a: a refusal names who can help): accounts
    /// with the role first (their person's name, else the account's name), then people the import gives the role and the
    /// policy's named holders, who may not have an account yet. Each name once.
    /// </summary>
    public static async Task<IReadOnlyList<(string Name, bool HasAccount)>> NamesAsync(
        BrightlineDbContext db, PolicyStore policies, string schoolId, string role, CancellationToken cancellationToken)
    {
        var found = new List<(string, bool)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Add(string? name, bool hasAccount)
        {
            if (!string.IsNullOrWhiteSpace(name) && seen.Add(name.Trim()))
            {
                found.Add((name.Trim(), hasAccount));
            }
        }

        var accounts = await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == schoolId && m.Role == role)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.PersonId, u.DisplayName, u.Email })
            .ToListAsync(cancellationToken);
        var personIds = accounts.Where(a => a.PersonId is not null).Select(a => a.PersonId!.Value).ToList();
        var personNames = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id))
            .Select(p => new { p.Id, Name = p.GivenName + " " + p.FamilyName }).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        foreach (var a in accounts)
        {
            Add(a.PersonId is { } id && personNames.TryGetValue(id, out var name) ? name : a.DisplayName ?? a.Email, true);
        }

        var imported = await db.PersonRoles.AsNoTracking().Where(r => r.SchoolId == schoolId && r.Role == role)
            .Join(db.People.Where(p => p.LeftOn == null), r => r.PersonId, p => p.Id, (r, p) => p.GivenName + " " + p.FamilyName)
            .ToListAsync(cancellationToken);
        foreach (var name in imported.Order(StringComparer.OrdinalIgnoreCase))
        {
            Add(name, false);
        }

        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        foreach (var (key, holder) in policy.Roles.All())
        {
            if (string.Equals(key, role, StringComparison.Ordinal))
            {
                Add(holder.Name, false);
            }
        }

        return found;
    }
}
