using System.Runtime.CompilerServices;

namespace Brightline.Filtering;

/// <summary>How a list entry matches a request.</summary>
public enum MatchKind
{
    /// <summary>The name and every subdomain of it (<c>example.com</c> matches <c>a.b.example.com</c>, not <c>badexample.com</c>).</summary>
    Domain,

    /// <summary>Only exactly this host.</summary>
    ExactHost,

    /// <summary>A host (and its subdomains) plus a path prefix; only applies when the request has a URL path.</summary>
    UrlPrefix,
}

/// <summary>One entry of a <see cref="DomainSet"/>.</summary>
/// <param name="Name">The normalised name.</param>
/// <param name="DomainCategories">Categories for which the name matches itself and all subdomains.</param>
/// <param name="ExactHostCategories">Categories for which only the exact host matches.</param>
public readonly record struct DomainSetEntry(string Name, CategorySet DomainCategories, CategorySet ExactHostCategories);

/// <summary>One suffix of a query name that was found in a set (internal, for traces).</summary>
internal readonly record struct SuffixHit(int SuffixIndex, uint Offset, ulong Mask);

/// <summary>
/// An immutable, compact set of domains and exact hosts, each mapped to a <see cref="CategorySet"/>.
/// Lookups walk the query's suffixes right to left and do not allocate. Thread-safe for concurrent reads.
/// </summary>
/// <remarks>
/// Each distinct (domain categories, exact-host categories) pair is stored once in a small palette;
/// table slots hold the palette index, so a million names cost 16 bytes per slot (at 55 % load, which keeps linear probing short for the many misses) plus
/// the name bytes: about 47 MB.
/// </remarks>
public sealed unsafe class DomainSet
{
    private readonly DomainTable _table;
    private readonly ulong[] _domainMasks;
    private readonly ulong[] _exactMasks;

    internal DomainSet(DomainTable table, ulong[] domainMasks, ulong[] exactMasks)
    {
        _table = table;
        _domainMasks = domainMasks;
        _exactMasks = exactMasks;
    }

    /// <summary>An empty set.</summary>
    public static DomainSet Empty { get; } = new DomainSetBuilder().Build();

    /// <summary>Number of distinct names.</summary>
    public int Count => _table.Count;

    /// <summary>Approximate bytes held (table, arena and palette).</summary>
    public long MemoryBytes => _table.MemoryBytes + (_domainMasks.Length * 16L);

    /// <summary>The categories of every entry matching <paramref name="host"/>; empty when none or when the host is not a valid name.</summary>
    public CategorySet Match(ReadOnlySpan<char> host)
    {
        NameKeySpace space;
        var key = HostName.CreateKey(host, &space);
        if (!key.IsValid)
        {
            return CategorySet.Empty;
        }

        return new CategorySet(Match(key, [], out _));
    }

    /// <summary>As <see cref="Match(ReadOnlySpan{char})"/> for an ASCII/UTF-8 name.</summary>
    public CategorySet MatchUtf8(ReadOnlySpan<byte> host)
    {
        Span<byte> buffer = stackalloc byte[HostName.BufferSize];
        if (!HostName.TryNormalise(host, buffer, out var length))
        {
            return CategorySet.Empty;
        }

        return new CategorySet(MatchNormalised(buffer[..length]));
    }

    /// <summary>Whether any entry matches <paramref name="host"/>.</summary>
    public bool Contains(ReadOnlySpan<char> host) => !Match(host).IsEmpty;

    /// <summary>Every entry, in insertion order.</summary>
    public IEnumerable<DomainSetEntry> Entries()
    {
        foreach (var (name, value) in _table.Entries())
        {
            yield return new DomainSetEntry(name, new CategorySet(_domainMasks[value]), new CategorySet(_exactMasks[value]));
        }
    }

    internal string NameAt(uint offset) => _table.NameStringAt(offset);

    internal ulong MatchNormalised(ReadOnlySpan<byte> name)
    {
        NameKeySpace space;
        var key = HostName.CreateKeyNormalised(name, &space);
        return Match(key, []);
    }

    /// <summary>
    /// Union of the masks of every matching entry; fills <paramref name="hits"/> (if large enough)
    /// with each matching suffix, shortest first.
    /// </summary>
    internal ulong Match(NameKey key, Span<SuffixHit> hits) => Match(key, hits, out _);

    internal ulong Match(NameKey key, Span<SuffixHit> hits, out int hitCount)
    {
        ulong mask = 0;
        hitCount = 0;
        var last = key.Count - 1;
        for (var i = 1; i <= last; i++)
        {
            if (_table.HasLabelCount(i + 1))
            {
                _table.Prefetch(key.HashAt(i));
            }
        }

        for (var i = 0; i <= last; i++)
        {
            if (!_table.HasLabelCount(i + 1) || !_table.TryGetValue(key.HashAt(i), key.Suffix(i), out var value, out var offset))
            {
                continue;
            }

            var entryMask = _domainMasks[value];
            if (i == last)
            {
                entryMask |= _exactMasks[value];
            }

            if (entryMask == 0)
            {
                continue;
            }

            mask |= entryMask;
            if (hitCount < hits.Length)
            {
                hits[hitCount++] = new SuffixHit(i, offset, entryMask);
            }
        }

        return mask;
    }
}

/// <summary>Builds a <see cref="DomainSet"/>. Adding a name twice merges its categories. Not thread-safe.</summary>
public sealed class DomainSetBuilder
{
    private readonly DomainTable _table;
    private readonly List<ulong> _domainMasks = [];
    private readonly List<ulong> _exactMasks = [];
    private readonly Dictionary<(ulong Domain, ulong Exact), uint> _palette = [];
    private bool _built;

    /// <summary>Creates a builder; <paramref name="capacityHint"/> avoids regrowth for big lists.</summary>
    public DomainSetBuilder(int capacityHint = 1024)
    {
        _table = new DomainTable(capacityHint);
    }

    /// <summary>Number of distinct names so far.</summary>
    public int Count => _table.Count;

    /// <summary>Adds a domain (matches itself and subdomains). Returns false when <paramref name="name"/> is not a host name.</summary>
    public bool AddDomain(ReadOnlySpan<char> name, CategorySet categories) => Add(name, categories, CategorySet.Empty);

    /// <summary>Adds an exact host (matches only itself). Returns false when <paramref name="name"/> is not a host name.</summary>
    public bool AddExactHost(ReadOnlySpan<char> name, CategorySet categories) => Add(name, CategorySet.Empty, categories);

    /// <summary>Freezes the set. The builder cannot be used afterwards.</summary>
    public DomainSet Build()
    {
        if (_built)
        {
            ThrowHelper.ThrowInvalidOperation("This builder has already built its set.");
        }

        _built = true;
        _table.Seal();
        return new DomainSet(_table, [.. _domainMasks], [.. _exactMasks]);
    }

    internal void AddNormalised(ReadOnlySpan<byte> name, ulong domainMask, ulong exactMask)
    {
        if (_built)
        {
            ThrowHelper.ThrowInvalidOperation("This builder has already built its set.");
        }

        ref var value = ref _table.GetOrAdd(HostName.Hash(name), name, out var added);
        if (!added)
        {
            domainMask |= _domainMasks[(int)value];
            exactMask |= _exactMasks[(int)value];
        }

        value = Intern(domainMask, exactMask);
    }

    private bool Add(ReadOnlySpan<char> name, CategorySet domain, CategorySet exact)
    {
        Span<byte> buffer = stackalloc byte[HostName.BufferSize];
        if (!HostName.TryNormalise(name, buffer, out var length))
        {
            return false;
        }

        AddNormalised(buffer[..length], domain.Mask, exact.Mask);
        return true;
    }

    private uint Intern(ulong domainMask, ulong exactMask)
    {
        if (!_palette.TryGetValue((domainMask, exactMask), out var index))
        {
            index = (uint)_domainMasks.Count;
            _domainMasks.Add(domainMask);
            _exactMasks.Add(exactMask);
            _palette.Add((domainMask, exactMask), index);
        }

        return index;
    }
}
