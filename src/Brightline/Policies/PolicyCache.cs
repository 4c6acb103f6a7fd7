using System.Collections.Concurrent;
using Brightline.Data.Entities;
using Brightline.Policy;
using Brightline.Policy.Model;

namespace Brightline.Policies;

/// <summary>
/// Parsed policies by <see cref="PolicyVersion"/> id. A stored version never changes, so a parse is
/// valid for the life of the process; this saves re-validating the YAML on every request.
/// </summary>
public sealed class PolicyCache
{
    private readonly ConcurrentDictionary<long, SchoolPolicy> _policies = new();

    public bool TryGet(long versionId, out SchoolPolicy policy) => _policies.TryGetValue(versionId, out policy!);

    public SchoolPolicy GetOrParse(PolicyVersion version) =>
        _policies.GetOrAdd(version.Id, static (_, v) => PolicyLoader.LoadValid(v.Yaml, $"{v.SchoolId}@{v.Version}.yaml"), version);
}
