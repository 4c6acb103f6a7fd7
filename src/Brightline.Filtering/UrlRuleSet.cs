namespace Brightline.Filtering;

/// <summary>One URL-prefix entry of a <see cref="UrlRuleSet"/>.</summary>
/// <param name="Host">Normalised host; matches itself and its subdomains (as squidGuard does).</param>
/// <param name="PathPrefix">Path prefix beginning with <c>/</c>, compared ordinally ignoring ASCII case.</param>
/// <param name="Categories">Categories of the entry.</param>
public readonly record struct UrlRuleEntry(string Host, string PathPrefix, CategorySet Categories);

/// <summary>
/// Immutable URL-prefix rules (host + path prefix) mapped to categories, for URL-level decisions
/// (a proxy or the portal's "test a URL"); DNS decisions have no path and never consult them.
/// </summary>
/// <remarks>
/// Hosts live in a <see cref="DomainTable"/> whose value indexes a bucket of path prefixes sorted
/// longest first, so lookups walk the query's suffixes like <see cref="DomainSet"/> and then test
/// a handful of prefixes per matching host.
/// </remarks>
public sealed unsafe class UrlRuleSet
{
    private readonly DomainTable _table;
    private readonly Bucket[] _buckets;

    internal UrlRuleSet(DomainTable table, Bucket[] buckets, int count)
    {
        _table = table;
        _buckets = buckets;
        Count = count;
    }

    /// <summary>An empty rule set.</summary>
    public static UrlRuleSet Empty { get; } = new UrlRuleSetBuilder().Build();

    /// <summary>Number of (host, path) entries.</summary>
    public int Count { get; }

    /// <summary>Approximate bytes held.</summary>
    public long MemoryBytes => _table.MemoryBytes + (Count * 48L);

    /// <summary>The categories of every entry matching the host and path.</summary>
    public CategorySet Match(ReadOnlySpan<char> host, ReadOnlySpan<char> path)
    {
        NameKeySpace space;
        var key = HostName.CreateKey(host, &space);
        if (!key.IsValid)
        {
            return CategorySet.Empty;
        }

        return new CategorySet(Match(key, path, out _));
    }

    /// <summary>Every entry, grouped by host in insertion order.</summary>
    public IEnumerable<UrlRuleEntry> Entries()
    {
        foreach (var (name, value) in _table.Entries())
        {
            foreach (var entry in _buckets[value].Entries)
            {
                yield return new UrlRuleEntry(name, entry.PathPrefix, new CategorySet(entry.Mask));
            }
        }
    }

    /// <summary>Union of matching entries' masks; <paramref name="best"/> is the most specific match (longest host, then longest path).</summary>
    internal ulong Match(NameKey key, ReadOnlySpan<char> path, out UrlRuleEntry? best)
    {
        best = null;
        if (path.IsEmpty || Count == 0)
        {
            return 0;
        }

        ulong mask = 0;
        for (var i = 0; i < key.Count; i++)
        {
            if (!_table.TryGetValue(key.HashAt(i), key.Suffix(i), out var value, out var offset))
            {
                continue;
            }

            foreach (var entry in _buckets[value].Entries)
            {
                if (path.StartsWith(entry.PathPrefix, StringComparison.OrdinalIgnoreCase))
                {
                    mask |= entry.Mask;

                    // Suffixes run shortest first and prefixes longest first, so the last longer host
                    // seen, at its first matching prefix, is the most specific entry.
                    if (best is null || best.Value.Host.Length < key.Suffix(i).Length)
                    {
                        best = new UrlRuleEntry(_table.NameStringAt(offset), entry.PathPrefix, new CategorySet(entry.Mask));
                    }
                }
            }
        }

        return mask;
    }

    internal sealed class Bucket(PrefixEntry[] entries)
    {
        public PrefixEntry[] Entries { get; } = entries;
    }

    internal readonly record struct PrefixEntry(string PathPrefix, ulong Mask);
}

/// <summary>Builds a <see cref="UrlRuleSet"/>. Not thread-safe.</summary>
public sealed class UrlRuleSetBuilder
{
    private readonly DomainTable _table = new();
    private readonly List<Dictionary<string, ulong>> _buckets = [];
    private int _count;
    private bool _built;

    /// <summary>Number of entries so far.</summary>
    public int Count => _count;

    /// <summary>Adds <c>host/path</c>; returns false when the host is not a host name.</summary>
    public bool Add(ReadOnlySpan<char> host, ReadOnlySpan<char> pathPrefix, CategorySet categories)
    {
        Span<byte> buffer = stackalloc byte[HostName.BufferSize];
        if (!HostName.TryNormalise(host, buffer, out var length))
        {
            return false;
        }

        AddNormalised(buffer[..length], NormalisePath(pathPrefix), categories.Mask);
        return true;
    }

    /// <summary>Freezes the set.</summary>
    public UrlRuleSet Build()
    {
        if (_built)
        {
            ThrowHelper.ThrowInvalidOperation("This builder has already built its set.");
        }

        _built = true;
        _table.Seal();
        var buckets = _buckets
            .Select(b => new UrlRuleSet.Bucket([.. b
                .OrderByDescending(e => e.Key.Length)
                .ThenBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => new UrlRuleSet.PrefixEntry(e.Key, e.Value))]))
            .ToArray();
        return new UrlRuleSet(_table, buckets, _count);
    }

    internal static string NormalisePath(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty)
        {
            return "/";
        }

        return path[0] == '/' ? path.ToString() : string.Concat("/", path);
    }

    internal void AddNormalised(ReadOnlySpan<byte> host, string pathPrefix, ulong mask)
    {
        if (_built)
        {
            ThrowHelper.ThrowInvalidOperation("This builder has already built its set.");
        }

        ref var value = ref _table.GetOrAdd(HostName.Hash(host), host, out var added);
        if (added)
        {
            value = (uint)_buckets.Count;
            _buckets.Add(new Dictionary<string, ulong>(StringComparer.OrdinalIgnoreCase));
        }

        var bucket = _buckets[(int)value];
        if (bucket.TryGetValue(pathPrefix, out var existing))
        {
            bucket[pathPrefix] = existing | mask;
        }
        else
        {
            bucket[pathPrefix] = mask;
            _count++;
        }
    }
}
