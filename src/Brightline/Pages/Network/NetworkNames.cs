using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Network;

/// <summary>
/// People's names for the Network pages, as far as the viewer may see them (an IT provider sees the user name a
/// session signed in with, not the person's page), and the people a search names.
/// </summary>
internal static class NetworkNames
{
    /// <summary>How many people a name search can stand for: enough for a surname, not a whole school's "a".</summary>
    private const int MatchedPeopleCap = 500;

    public static async Task<IReadOnlyDictionary<Guid, string>> ForAsync(PortalScope scope, IEnumerable<Guid?> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.OfType<Guid>().Distinct().ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }

        var visible = await scope.PeopleAsync(cancellationToken);
        return await visible.AsNoTracking().Where(p => wanted.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.GivenName + " " + p.FamilyName, cancellationToken);
    }

    /// <summary>The visible people whose full name contains <paramref name="search"/>.</summary>
    public static async Task<IReadOnlyCollection<Guid>> MatchingAsync(PortalScope scope, string? search, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(search))
        {
            return [];
        }

        var term = search.Trim().ToLowerInvariant();
        var visible = await scope.PeopleAsync(cancellationToken);
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER() on both providers; the StringComparison overloads do not translate.
        return await visible.Where(p => (p.GivenName + " " + p.FamilyName).ToLower().Contains(term))
            .Select(p => p.Id).Take(MatchedPeopleCap).ToListAsync(cancellationToken);
#pragma warning restore CA1862, CA1311
    }
}
