using System.Collections.Concurrent;

namespace Brightline.BrowserExtension;

/// <summary>
/// The block page links the decision API handed out recently, by person, host and reason: protecting a ticket is
/// a data-protection encryption, and a busy browser asks about the same blocked host again and again. A link is
/// reused for <see cref="Reuse"/>, far inside the ticket's 30-minute life, so a reused link is always still valid.
/// </summary>
public sealed class BlockLinkCache(TimeProvider time)
{
    public static readonly TimeSpan Reuse = TimeSpan.FromMinutes(1);

    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(string School, Guid Person, string Host, string Reason, string Kind), (string Link, DateTimeOffset Until)> _links = new();

    public string GetOrAdd(string schoolId, Guid personId, string host, string reason, string kind, Func<string> make)
    {
        var key = (schoolId, personId, host, reason, kind);
        var now = time.GetUtcNow();
        if (_links.TryGetValue(key, out var hit) && hit.Until > now)
        {
            return hit.Link;
        }

        if (_links.Count >= MaxEntries)
        {
            _links.Clear();
        }

        var link = make();
        _links[key] = (link, now + Reuse);
        return link;
    }
}
