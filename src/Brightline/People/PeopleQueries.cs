using System.CommandLine;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Brightline.Portal;

namespace Brightline.People;

internal static class PeopleQueries
{
    public static async Task<List<Person>> SearchAsync(
        BrightlineDbContext db, SchoolPolicy policy, string schoolId, string? search, string? group, string? className, bool includeLeavers, CancellationToken ct)
    {
        // A school is ~1,000 people: filter in memory for case-insensitive matching identical on SQLite and PostgreSQL.
        var people = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId).ToListAsync(ct);
        IEnumerable<Person> q = people;
        if (!includeLeavers)
        {
            q = q.Where(p => p.LeftOn is null);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim();
            q = q.Where(p => p.FullName.Contains(s, StringComparison.OrdinalIgnoreCase)
                || string.Equals(p.ExternalId, s, StringComparison.OrdinalIgnoreCase)
                || (p.Email?.Contains(s, StringComparison.OrdinalIgnoreCase) ?? false));
        }

        if (!string.IsNullOrWhiteSpace(group))
        {
            if (policy.FindGroup(group.Trim()) is null)
            {
                throw new InvalidException($"The policy has no group '{group}'. Groups: {string.Join(", ", policy.Groups.Select(g => g.Id))}.");
            }

            q = q.Where(p => PersonGroups.For(policy, p).Any(g => string.Equals(g.Id, group.Trim(), StringComparison.Ordinal)));
        }

        if (!string.IsNullOrWhiteSpace(className))
        {
            q = q.Where(p => string.Equals(p.ClassName, className.Trim(), StringComparison.OrdinalIgnoreCase));
        }

        return q.OrderBy(p => p.FamilyName, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.GivenName, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public static object ToJson(SchoolPolicy policy, Person p) => new
    {
        id = p.Id,
        externalId = p.ExternalId,
        source = p.Source,
        givenName = p.GivenName,
        familyName = p.FamilyName,
        name = p.FullName,
        kinds = PersonGroups.Kinds(p).Select(k => k.ToString().ToLowerInvariant()),
        groups = PersonGroups.For(policy, p).Select(g => g.Id),
        yearGroup = p.YearGroup,
        className = p.ClassName,
        email = p.Email,
        jobTitle = p.JobTitle,
        joinedOn = p.JoinedOn,
        leftOn = p.LeftOn,
    };
}
