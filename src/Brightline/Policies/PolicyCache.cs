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

    /// <summary>
    /// How long the hot paths (<see cref="PolicyStore.ActivePolicyAsync"/>: RADIUS answers, monitoring ingestion) trust
    /// the active version they last read before reading it again. A policy loaded in this process is seen at once
    /// (<see cref="ForgetActive"/>); one loaded by another process (the CLI, another serve node) within this time. At a
    /// thousand sign-ins a second the query it saves was the largest single cost of an answer (docs/benchmarks.md).
    /// </summary>
    public static readonly TimeSpan ActiveFreshFor = TimeSpan.FromSeconds(1);

    // Real monotonic time, not the injected clock: a test's frozen clock must not make a stale version last for ever.
    private readonly ConcurrentDictionary<string, (long VersionId, long ReadAtMs)> _active = new(StringComparer.Ordinal);

    public bool TryGetActive(string schoolId, out long versionId)
    {
        if (_active.TryGetValue(schoolId, out var seen) && Environment.TickCount64 - seen.ReadAtMs < (long)ActiveFreshFor.TotalMilliseconds)
        {
            versionId = seen.VersionId;
            return true;
        }

        versionId = 0;
        return false;
    }

    public void RememberActive(string schoolId, long versionId) => _active[schoolId] = (versionId, Environment.TickCount64);

    /// <summary>The school's active version changed here: the next hot-path read goes to the database.</summary>
    public void ForgetActive(string schoolId) => _active.TryRemove(schoolId, out _);
}
