using System.Collections.Concurrent;
using Brightline.AccessChanges;
using Brightline.Policy.Model;

namespace Brightline.Network;

/// <summary>
/// A person's recent Access-Accept on a network, so a device re-joining does not ask the access gate again (several
/// database reads: the person, the policy version's agreements, signatures, sanctions). The same idea as the DNS
/// filter's and the decision API's gate caches, with the same invalidation.
/// </summary>
/// <remarks>
/// Why it is safe:
/// <list type="bullet">
/// <item>Only a plain accept (<see cref="RadiusReasons.Accepted"/>) is kept. Refusals and quarantine are decided
/// afresh every time, so the moment a person is refused is never delayed by the cache in the other direction.</item>
/// <item>A published access change — sanction imposed or lifted, agreement signed, approval started or ended, leaver —
/// drops the person's entries (the school's, for a school-wide change): at once in this process, within the access
/// changes' poll interval from another (<see cref="OnChanged"/>).</item>
/// <item>The entry belongs to the policy it was decided under: a newly loaded policy (a different parsed instance) is a miss.</item>
/// <item>It ends no later than the answer's own Session-Timeout — the nearest moment the answer could change that
/// can be known (a leaving day, a suspension imposed to start later, the new academic year, a time window) — and a
/// hit answers with the time left to that same moment, never more.</item>
/// <item>Otherwise after <see cref="Lifetime"/>: a change nobody publishes (a group moved by an import) reaches the
/// network within five minutes — much less than the twelve-hour session an accept starts in any case.</item>
/// </list>
/// Bounded by <see cref="Capacity"/> accepts remembered (then dropped whole and counted afresh); in memory only.
/// </remarks>
public sealed class NetworkDecisionCache(TimeProvider time) : IAccessChangeSubscriber
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public const int Capacity = 200_000;

    // By person, then network: an access change names a person, so dropping theirs is one removal.
    private readonly ConcurrentDictionary<(string School, Guid Person), ConcurrentDictionary<string, Entry>> _entries = new();
    private int _count;

    /// <summary>The cached accept for the person on <paramref name="network"/> under <paramref name="policy"/>, or the fresh answer from <paramref name="decide"/> (kept when it is a plain accept).</summary>
    public async Task<RadiusAnswer> GetOrDecideAsync(SchoolPolicy policy, SchoolNetwork network, string schoolId, Guid personId, Func<Task<RadiusAnswer>> decide)
    {
        var key = (schoolId, personId);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var networks) && networks.TryGetValue(network.Name, out var entry))
        {
            if (ReferenceEquals(entry.Policy, policy) && entry.Expires > now)
            {
                var left = (int)Math.Ceiling((entry.Deadline - now).TotalSeconds);
                return entry.Answer with { SessionTimeoutSeconds = Math.Max(NetworkAccess.MinSessionSeconds, left) };
            }

            networks.TryRemove(new KeyValuePair<string, Entry>(network.Name, entry));
        }

        var answer = await decide();
        if (answer is { Kind: RadiusAnswerKind.Accept, Code: RadiusReasons.Accepted, SessionTimeoutSeconds: { } seconds })
        {
            if (Interlocked.Increment(ref _count) > Capacity)
            {
                _entries.Clear();
                Interlocked.Exchange(ref _count, 0);
            }

            var deadline = now.AddSeconds(seconds);
            var expires = now + Lifetime < deadline ? now + Lifetime : deadline;
            _entries.GetOrAdd(key, _ => new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal))[network.Name] = new Entry(policy, answer, deadline, expires);
        }

        return answer;
    }

    /// <summary>An access change: the person's next sign-in is decided afresh (every person of the school, for a school-wide change).</summary>
    public void OnChanged(AccessChange change) => change.ForgetIn(_entries);

    private sealed record Entry(SchoolPolicy Policy, RadiusAnswer Answer, DateTimeOffset Deadline, DateTimeOffset Expires);
}
