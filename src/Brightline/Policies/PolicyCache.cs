using System.Collections.Concurrent;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Policies;

/// <summary>
/// Parsed policies by <see cref="PolicyVersion"/> id. A stored version never changes, so a parse is
/// valid for the life of the process; this saves re-validating the YAML on every request.
/// </summary>
public sealed class PolicyCache
{
    private readonly ConcurrentDictionary<long, SchoolPolicy> _policies = new();

    public SchoolPolicy GetOrParse(PolicyVersion version) =>
        _policies.GetOrAdd(version.Id, static (_, v) => PolicyLoader.LoadValid(v.Yaml, $"{v.SchoolId}@{v.Version}.yaml"), version);
}
