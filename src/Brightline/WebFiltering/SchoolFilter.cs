using System.Collections.Concurrent;
using System.Net;
using Brightline.Data.Entities;
using Brightline.Filtering;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.WebFiltering;

/// <summary>One school's compiled filter: the engine (swapped in place on a policy change) and what it was built from.</summary>
public sealed class SchoolFilter
{
    internal SchoolFilter(string schoolId, FilterEngine engine)
    {
        SchoolId = schoolId;
        Engine = engine;
    }

    public string SchoolId { get; }

    public FilterEngine Engine { get; }

    /// <summary>The policy version compiled into <see cref="Engine"/>'s current snapshot.</summary>
    public long PolicyVersionId { get; internal set; }

    public SchoolPolicy Policy
    {
        get => _policy;
        internal set
        {
            _policy = value;
            _profilesByGroup = new(StringComparer.Ordinal);
        }
    }

    private SchoolPolicy _policy = null!;

    public IReadOnlyList<string> Problems { get; internal set; } = [];

    public IReadOnlyDictionary<string, int> ListSizes { get; internal set; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>The portal overrides compiled into the current snapshot (not withdrawn; possibly expired).</summary>
    public IReadOnlyList<FilterOverride> Overrides { get; internal set; } = [];

    /// <summary>True when any of the school's lists puts <paramref name="host"/> in an illegal category: such a site can never be unblocked, by anyone.</summary>
    public bool IsIllegal(string host) => !Engine.Current.Lists.Match(host).Intersect(Categories.Illegal).IsEmpty;

    /// <summary>The lists compiled into the current snapshot, reused while the policy version stays the same.</summary>
    internal LoadedLists? Loaded { get; set; }

    /// <summary>The policy's networks, most specific first.</summary>
    internal IReadOnlyList<(IPNetwork Range, string Group)> Networks { get; set; } = [];

    /// <summary>Group IDs that have a profile, so a person's other groups (parents, say) do not pull in the fallback.</summary>
    internal IReadOnlySet<string> ProfileGroups
    {
        get => _profileGroups;
        set
        {
            _profileGroups = value;
            _profilesByGroup = new(StringComparer.Ordinal);
        }
    }

    private IReadOnlySet<string> _profileGroups = new HashSet<string>(StringComparer.Ordinal);

    // The profiles of one group, made once per group while the policy stays the same (both setters above start afresh):
    // a device on a school network asks this on every DNS query (issue 18 part 5). Callers only read the arrays.
    private ConcurrentDictionary<string, string[]> _profilesByGroup = new(StringComparer.Ordinal);

    /// <summary>The profile names of one group (a network's); none → the fallback profile. Shared: do not change the array.</summary>
    public string[] ProfilesForGroup(string groupId) => _profilesByGroup.GetOrAdd(groupId, g => ProfilesFor([g]));

    /// <summary>The profile names a person in <paramref name="groupIds"/> is filtered by; none → the fallback profile.</summary>
    public string[] ProfilesFor(IEnumerable<string> groupIds)
    {
        var names = groupIds.Where(ProfileGroups.Contains).Distinct(StringComparer.Ordinal).ToArray();
        return names.Length > 0 ? names : [Policy.Filtering.FallbackGroup ?? FilterService.NoProfile];
    }

    /// <summary>As above, with each profile swapped for its class copy when the class has one (a teacher's temporary unblock).</summary>
    public string[] ProfilesFor(IEnumerable<string> groupIds, string? className)
    {
        var names = ProfilesFor(groupIds);
        return className is null ? names
            : names.Select(n => ProfileGroups.Contains(FilterCompiler.ClassProfileName(n, className)) ? FilterCompiler.ClassProfileName(n, className) : n).ToArray();
    }

    /// <summary>The group of the most specific network containing <paramref name="address"/>, if any.</summary>
    public string? GroupFor(IPAddress address)
    {
        foreach (var (range, group) in Networks)
        {
            if (range.Contains(address))
            {
                return group;
            }
        }

        return null;
    }
}
