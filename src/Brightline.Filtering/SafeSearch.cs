namespace Brightline.Filtering;

/// <summary>
/// The safe-search and YouTube rewrite table: which query hosts a filtering resolver answers with
/// the provider's enforced endpoint (a CNAME), following each provider's published guidance.
/// </summary>
public static unsafe class SafeSearch
{
    /// <summary>Google's enforced safe-search host.</summary>
    public const string GoogleTarget = "forcesafesearch.google.com";

    /// <summary>Bing's strict host.</summary>
    public const string BingTarget = "strict.bing.com";

    /// <summary>DuckDuckGo's safe host.</summary>
    public const string DuckDuckGoTarget = "safe.duckduckgo.com";

    /// <summary>YouTube strict Restricted Mode host.</summary>
    public const string YouTubeStrictTarget = "restrict.youtube.com";

    /// <summary>YouTube moderate Restricted Mode host.</summary>
    public const string YouTubeModerateTarget = "restrictmoderate.youtube.com";

    // Kinds stored as values in the exact-name table.
    private const uint YouTubeKind = 1;
    private const uint BingKind = 2;
    private const uint DuckDuckGoKind = 3;

    /// <summary>
    /// Every fixed rewrite host (all but Google's, which is a pattern over TLDs) in a tiny hash table
    /// keyed by the same whole-name hash the engine already computed for the list lookup, so checking
    /// an allowed name costs one probe instead of a dozen byte comparisons.
    /// </summary>
    private static readonly DomainTable s_exact = BuildExactTable();

    /// <summary>The rewrite target for <paramref name="host"/>, or null when none applies.</summary>
    public static string? RewriteFor(ReadOnlySpan<char> host, bool safeSearch, YouTubeMode youTube)
    {
        NameKeySpace space;
        var key = HostName.CreateKey(host, &space);
        return key.IsValid ? RewriteFor(key, safeSearch, youTube, out _) : null;
    }

    /// <summary>Rewrite target for a normalised, hashed name; <paramref name="isYouTube"/> says which rule produced it.</summary>
    internal static string? RewriteFor(NameKey key, bool safeSearch, YouTubeMode youTube, out bool isYouTube)
    {
        isYouTube = false;
        var name = key.Name;
        if (s_exact.TryGetValue(key.HashAt(key.Count - 1), name, out var kind, out _))
        {
            switch (kind)
            {
                case YouTubeKind when youTube != YouTubeMode.Off:
                    isYouTube = true;
                    return youTube == YouTubeMode.Strict ? YouTubeStrictTarget : YouTubeModerateTarget;
                case BingKind when safeSearch:
                    return BingTarget;
                case DuckDuckGoKind when safeSearch:
                    return DuckDuckGoTarget;
                default:
                    return null;
            }
        }

        // google.TLD / www.google.TLD have two to four labels; most names fail the first test.
        return safeSearch && key.Count is >= 2 and <= 4 && IsGoogleSearch(name) ? GoogleTarget : null;
    }

    private static DomainTable BuildExactTable()
    {
        var table = new DomainTable();
        Add(table, "www.youtube.com"u8, YouTubeKind);
        Add(table, "m.youtube.com"u8, YouTubeKind);
        Add(table, "youtube.com"u8, YouTubeKind);
        Add(table, "youtubei.googleapis.com"u8, YouTubeKind);
        Add(table, "youtube.googleapis.com"u8, YouTubeKind);
        Add(table, "www.youtube-nocookie.com"u8, YouTubeKind);
        Add(table, "bing.com"u8, BingKind);
        Add(table, "www.bing.com"u8, BingKind);
        Add(table, "duckduckgo.com"u8, DuckDuckGoKind);
        Add(table, "www.duckduckgo.com"u8, DuckDuckGoKind);
        Add(table, "start.duckduckgo.com"u8, DuckDuckGoKind);
        Add(table, "html.duckduckgo.com"u8, DuckDuckGoKind);
        table.Seal();
        return table;

        static void Add(DomainTable table, ReadOnlySpan<byte> name, uint kind) => table.GetOrAdd(HostName.Hash(name), name, out _) = kind;
    }

    /// <summary><c>google.TLD</c> or <c>www.google.TLD</c>, where TLD is one or two labels (com, co.uk, com.au, de ...).</summary>
    private static bool IsGoogleSearch(ReadOnlySpan<byte> name)
    {
        if (name.StartsWith("www."u8))
        {
            name = name[4..];
        }

        if (!name.StartsWith("google."u8))
        {
            return false;
        }

        var tld = name[7..];
        var dot = tld.IndexOf((byte)'.');
        return tld.Length > 0 && (dot < 0 || (dot > 0 && tld[(dot + 1)..].IndexOf((byte)'.') < 0 && dot + 1 < tld.Length));
    }
}
