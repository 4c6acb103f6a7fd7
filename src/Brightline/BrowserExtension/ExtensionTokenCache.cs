using System.Collections.Concurrent;

namespace Brightline.BrowserExtension;

/// <summary>
/// Who each extension token stands for, kept in memory so that the decision API answers without a database round
/// trip (issue 12's performance target: 20,000 decisions/s on two cores). An entry lives <see cref="Lifetime"/>;
/// revoking or replacing a token in this process drops it at once (<see cref="Forget"/>), and one revoked by
/// another process stops working within <see cref="Lifetime"/>.
/// </summary>
public sealed class ExtensionTokenCache(TimeProvider time)
{
    /// <summary>How long a token is trusted without asking the database again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>Entries kept at most: a school's browsers; past it the cache is emptied rather than grown.</summary>
    private const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<string, Entry> _byHash = new(StringComparer.Ordinal);

    /// <summary>One token's row as the handler needs it; <see cref="LastSeenAt"/> is what was last written.</summary>
    internal sealed record Entry(Guid Id, string SchoolId, Guid PersonId, DateTimeOffset Expires)
    {
        public DateTimeOffset? LastSeenAt { get; set; }
    }

    internal Entry? Find(string hash)
    {
        if (_byHash.TryGetValue(hash, out var entry) && entry.Expires > time.GetUtcNow())
        {
            return entry;
        }

        return null;
    }

    internal Entry Remember(string hash, Guid id, string schoolId, Guid personId, DateTimeOffset? lastSeenAt)
    {
        if (_byHash.Count >= MaxEntries)
        {
            _byHash.Clear();
        }

        var entry = new Entry(id, schoolId, personId, time.GetUtcNow() + Lifetime) { LastSeenAt = lastSeenAt };
        _byHash[hash] = entry;
        return entry;
    }

    /// <summary>Drops a token (revoked, or replaced by enrolling again) so its next use asks the database.</summary>
    public void Forget(Guid tokenId)
    {
        foreach (var (hash, entry) in _byHash)
        {
            if (entry.Id == tokenId)
            {
                _byHash.TryRemove(hash, out _);
            }
        }
    }

    /// <summary>Drops every token (an enrolment key revoked or replaced signs out all of its browsers).</summary>
    public void ForgetAll() => _byHash.Clear();
}
