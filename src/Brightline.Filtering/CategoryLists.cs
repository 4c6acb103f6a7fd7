namespace Brightline.Filtering;

/// <summary>
/// The category lists in force: a <see cref="DomainSet"/> of domains and exact hosts and a
/// <see cref="UrlRuleSet"/> of URL prefixes, each entry mapped to categories. Immutable.
/// </summary>
public sealed unsafe class CategoryLists
{
    /// <summary>Creates lists from built sets.</summary>
    public CategoryLists(string name, DomainSet domains, UrlRuleSet urls)
        : this(name, domains, urls, null)
    {
    }

    /// <summary>Creates lists from built sets, with the name of the list (or lists) that supplied each category.</summary>
    public CategoryLists(string name, DomainSet domains, UrlRuleSet urls, string?[]? sourceByCategory)
    {
        Name = name;
        Domains = domains;
        Urls = urls;
        _sourceByCategory = sourceByCategory ?? [];
    }

    // Indexed by (int)Category. Provenance is kept per category rather than per entry: a per-entry list id would grow
    // every table by the list count, while a block names one category and, in every school's policy we have seen, each
    // category comes from one list (the IWF list for child abuse, CTIRU for terrorism, the rest from one broad list).
    private readonly string?[] _sourceByCategory;

    /// <summary>No lists at all.</summary>
    public static CategoryLists Empty { get; } = new("(none)", DomainSet.Empty, UrlRuleSet.Empty);

    /// <summary>Name of the list bundle (for traces and the portal), e.g. <c>ut1 2025-06-01 + local</c>.</summary>
    public string Name { get; }

    /// <summary>Domain and exact-host entries.</summary>
    public DomainSet Domains { get; }

    /// <summary>
    /// The list that supplied <paramref name="category"/> (e.g. <c>iwf-test</c>), or the lists joined with " or " when
    /// several did; the bundle's <see cref="Name"/> when the lists were built without provenance.
    /// </summary>
    public string SourceOf(Category category) =>
        (int)category < _sourceByCategory.Length && _sourceByCategory[(int)category] is { } source ? source : Name;

    /// <summary>URL-prefix entries.</summary>
    public UrlRuleSet Urls { get; }

    /// <summary>Approximate bytes held.</summary>
    public long MemoryBytes => Domains.MemoryBytes + Urls.MemoryBytes;

    /// <summary>All categories matching the host (and, when given, the URL path).</summary>
    public CategorySet Match(ReadOnlySpan<char> host, ReadOnlySpan<char> path = default)
    {
        NameKeySpace space;
        var key = HostName.CreateKey(host, &space);
        if (!key.IsValid)
        {
            return CategorySet.Empty;
        }

        return new CategorySet(Domains.Match(key, []) | Urls.Match(key, path, out _));
    }
}

/// <summary>Receives the entries a list reader accepts. Names arrive normalised (lower-case ASCII, no trailing dot).</summary>
public interface IListSink
{
    /// <summary>A domain entry (matches itself and its subdomains).</summary>
    void AddDomain(ReadOnlySpan<byte> normalisedName);

    /// <summary>An exact-host entry.</summary>
    void AddExactHost(ReadOnlySpan<byte> normalisedName);

    /// <summary>A URL-prefix entry; <paramref name="pathPrefix"/> starts with <c>/</c>.</summary>
    void AddUrlPrefix(ReadOnlySpan<byte> normalisedHost, string pathPrefix);
}

/// <summary>Accumulates lists from any number of readers, each entry tagged with categories, then builds <see cref="CategoryLists"/>.</summary>
public sealed class CategoryListsBuilder
{
    private readonly DomainSetBuilder _domains;
    private readonly UrlRuleSetBuilder _urls = new();
    private readonly string _name;
    private readonly List<string>?[] _sources = new List<string>?[64];
    private string? _currentList;

    /// <summary>Creates a builder for a bundle called <paramref name="name"/>.</summary>
    public CategoryListsBuilder(string name, int capacityHint = 1024)
    {
        _name = name;
        _domains = new DomainSetBuilder(capacityHint);
    }

    /// <summary>Distinct domain and host names so far.</summary>
    public int DomainCount => _domains.Count;

    /// <summary>URL-prefix entries so far.</summary>
    public int UrlCount => _urls.Count;

    /// <summary>
    /// Entries from now on come from the list called <paramref name="listName"/>, so that a block can name the list that
    /// matched rather than the whole bundle (issue 17, defect 3).
    /// </summary>
    public void BeginList(string listName) => _currentList = listName;

    /// <summary>A sink that files every entry under <paramref name="categories"/>.</summary>
    public IListSink For(CategorySet categories) => new Sink(this, categories.Mask, _currentList);

    /// <summary>A sink that files every entry under <paramref name="category"/>.</summary>
    public IListSink For(Category category) => For(CategorySet.Of(category));

    /// <summary>Adds a domain; false when not a host name.</summary>
    public bool AddDomain(string name, Category category) => _domains.AddDomain(name, CategorySet.Of(category));

    /// <summary>Adds an exact host; false when not a host name.</summary>
    public bool AddExactHost(string name, Category category) => _domains.AddExactHost(name, CategorySet.Of(category));

    /// <summary>Adds a URL prefix; false when the host is not a host name.</summary>
    public bool AddUrlPrefix(string host, string pathPrefix, Category category) => _urls.Add(host, pathPrefix, CategorySet.Of(category));

    /// <summary>Freezes the lists; the builder cannot be used afterwards.</summary>
    public CategoryLists Build()
    {
        var sources = new string?[_sources.Length];
        for (var i = 0; i < _sources.Length; i++)
        {
            sources[i] = _sources[i] is { Count: > 0 } names ? string.Join(" or ", names) : null;
        }

        return new(_name, _domains.Build(), _urls.Build(), sources);
    }

    // Called once per sink, on its first entry: a list that supplies no entry for a category is not its source.
    private void NoteSource(ulong mask, string listName)
    {
        for (var bits = mask; bits != 0; bits &= bits - 1)
        {
            var names = _sources[System.Numerics.BitOperations.TrailingZeroCount(bits)] ??= [];
            if (!names.Contains(listName, StringComparer.Ordinal))
            {
                names.Add(listName);
            }
        }
    }

    private sealed class Sink(CategoryListsBuilder owner, ulong mask, string? listName) : IListSink
    {
        private bool _noted = listName is null;

        public void AddDomain(ReadOnlySpan<byte> normalisedName)
        {
            Note();
            owner._domains.AddNormalised(normalisedName, mask, 0);
        }

        public void AddExactHost(ReadOnlySpan<byte> normalisedName)
        {
            Note();
            owner._domains.AddNormalised(normalisedName, 0, mask);
        }

        public void AddUrlPrefix(ReadOnlySpan<byte> normalisedHost, string pathPrefix)
        {
            Note();
            owner._urls.AddNormalised(normalisedHost, pathPrefix, mask);
        }

        private void Note()
        {
            if (!_noted)
            {
                _noted = true;
                owner.NoteSource(mask, listName!);
            }
        }
    }
}

/// <summary>A sink that keeps entries in a list (for local lists, previews and tests).</summary>
public sealed class CollectingListSink : IListSink
{
    /// <summary>The entries received, in order.</summary>
    public List<ListEntry> Entries { get; } = [];

    /// <inheritdoc />
    public void AddDomain(ReadOnlySpan<byte> normalisedName) =>
        Entries.Add(new ListEntry(MatchKind.Domain, System.Text.Encoding.ASCII.GetString(normalisedName), null));

    /// <inheritdoc />
    public void AddExactHost(ReadOnlySpan<byte> normalisedName) =>
        Entries.Add(new ListEntry(MatchKind.ExactHost, System.Text.Encoding.ASCII.GetString(normalisedName), null));

    /// <inheritdoc />
    public void AddUrlPrefix(ReadOnlySpan<byte> normalisedHost, string pathPrefix) =>
        Entries.Add(new ListEntry(MatchKind.UrlPrefix, System.Text.Encoding.ASCII.GetString(normalisedHost), pathPrefix));
}

/// <summary>An entry read from a list.</summary>
/// <param name="Kind">How it matches.</param>
/// <param name="Host">Normalised host.</param>
/// <param name="PathPrefix">Path prefix for <see cref="MatchKind.UrlPrefix"/>, else null.</param>
public sealed record ListEntry(MatchKind Kind, string Host, string? PathPrefix);
