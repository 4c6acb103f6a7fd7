namespace Brightline.Filtering;

/// <summary>
/// What to decide: the profile name(s) of the person or client, the host, an optional URL path
/// (empty for DNS), and the moment (never read from a clock here). A <c>ref struct</c> so that a DNS
/// server can pass a host decoded into a stack buffer without allocating.
/// </summary>
public readonly ref struct FilterRequest
{
    private readonly string? _single;
    private readonly ReadOnlySpan<string> _many;

    /// <summary>A request under one profile.</summary>
    public FilterRequest(string profile, ReadOnlySpan<char> host, DateTimeOffset at, ReadOnlySpan<char> path = default)
    {
        _single = profile;
        Host = host;
        At = at;
        Path = path;
    }

    /// <summary>A request for a person in several groups (see docs/filtering-engine.md for how they combine).</summary>
    public FilterRequest(ReadOnlySpan<string> profiles, ReadOnlySpan<char> host, DateTimeOffset at, ReadOnlySpan<char> path = default)
    {
        _many = profiles;
        Host = host;
        At = at;
        Path = path;
    }

    /// <summary>The host asked for.</summary>
    public ReadOnlySpan<char> Host { get; }

    /// <summary>The URL path and query (starting with <c>/</c>), or empty when unknown (DNS).</summary>
    public ReadOnlySpan<char> Path { get; }

    /// <summary>When the request happened.</summary>
    public DateTimeOffset At { get; }

    /// <summary>
    /// Approved exemptions in force for the person asking (O3, W4): each relaxes exactly the categories and deny rules
    /// it names. Null or empty for everyone without one (the common case, which keeps the fast path).
    /// </summary>
    public IReadOnlyList<FilterExemption>? Exemptions { get; init; }

    /// <summary>Number of profiles.</summary>
    public int ProfileCount => _single is null ? _many.Length : 1;

    /// <summary>Profile <paramref name="index"/>.</summary>
    public string ProfileAt(int index) => _single ?? _many[index];

    /// <summary>
    /// Builds a request from a URL typed by a person (portal "test a URL", CLI). Accepts URLs with or
    /// without a scheme; an unparseable URL becomes a host-only request that will be decided as an invalid host.
    /// </summary>
    public static FilterRequest ForUrl(string[] profiles, string url, DateTimeOffset at, IReadOnlyList<FilterExemption>? exemptions = null)
    {
        var text = url.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.IdnHost.Length > 0)
        {
            return new FilterRequest(profiles, uri.IdnHost, at, uri.PathAndQuery) { Exemptions = exemptions };
        }

        return new FilterRequest(profiles, url, at) { Exemptions = exemptions };
    }
}
