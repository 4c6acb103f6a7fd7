namespace Brightline.Filtering;

/// <summary>
/// The safe-search and YouTube rewrite table: which query hosts a filtering resolver answers with
/// the provider's enforced endpoint (a CNAME), following each provider's published guidance.
/// </summary>
public static class SafeSearch
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

    /// <summary>The rewrite target for <paramref name="host"/>, or null when none applies.</summary>
    public static string? RewriteFor(ReadOnlySpan<char> host, bool safeSearch, YouTubeMode youTube)
    {
        Span<byte> buffer = stackalloc byte[HostName.BufferSize];
        return HostName.TryNormalise(host, buffer, out var length) ? RewriteFor(buffer[..length], safeSearch, youTube, out _) : null;
    }

    /// <summary>Rewrite target for a normalised name; <paramref name="isYouTube"/> says which rule produced it.</summary>
    internal static string? RewriteFor(ReadOnlySpan<byte> name, bool safeSearch, YouTubeMode youTube, out bool isYouTube)
    {
        isYouTube = false;
        if (youTube != YouTubeMode.Off && IsYouTube(name))
        {
            isYouTube = true;
            return youTube == YouTubeMode.Strict ? YouTubeStrictTarget : YouTubeModerateTarget;
        }

        if (!safeSearch)
        {
            return null;
        }

        if (IsGoogleSearch(name))
        {
            return GoogleTarget;
        }

        if (name.SequenceEqual("www.bing.com"u8) || name.SequenceEqual("bing.com"u8))
        {
            return BingTarget;
        }

        if (name.SequenceEqual("duckduckgo.com"u8) || name.SequenceEqual("www.duckduckgo.com"u8)
            || name.SequenceEqual("start.duckduckgo.com"u8) || name.SequenceEqual("html.duckduckgo.com"u8))
        {
            return DuckDuckGoTarget;
        }

        return null;
    }

    private static bool IsYouTube(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("www.youtube.com"u8) || name.SequenceEqual("m.youtube.com"u8) || name.SequenceEqual("youtube.com"u8)
        || name.SequenceEqual("youtubei.googleapis.com"u8) || name.SequenceEqual("youtube.googleapis.com"u8)
        || name.SequenceEqual("www.youtube-nocookie.com"u8);

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
