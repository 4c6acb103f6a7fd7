namespace Brightline.Safeguarding;

/// <summary>
/// Search terms in the result-page URLs of the common search engines; the browser extension relies on this list (it
/// sends visits, and the server tells which were searches). Precise on purpose: the engine's own host names (not
/// <c>google.evil.example</c>) and its results path (not any page that happens to carry a <c>q</c> parameter), so an
/// ordinary page is never recorded as a search.
/// <list type="bullet">
/// <item>Google: <c>google.TLD</c>, <c>google.co.TLD</c> or <c>google.com.TLD</c> (optionally <c>www.</c>), path <c>/search</c>, key <c>q</c>.</item>
/// <item>Bing: <c>bing.com</c>, path <c>/search</c>, key <c>q</c>.</item>
/// <item>DuckDuckGo: <c>duckduckgo.com</c> path <c>/</c> or <c>/html</c>, <c>html.duckduckgo.com</c> path <c>/html</c>, <c>lite.duckduckgo.com</c> path <c>/lite</c>, key <c>q</c>.</item>
/// <item>Yahoo: <c>search.yahoo.com</c> and the countries' <c>CC.search.yahoo.com</c>, path <c>/search</c> (Yahoo may append <c>;_ylt=…</c>), key <c>p</c>.</item>
/// <item>YouTube: <c>youtube.com</c>, <c>m.youtube.com</c>, path <c>/results</c>, key <c>search_query</c>.</item>
/// </list>
/// </summary>
public static class SearchUrls
{
    public static string? QueryOf(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Query.Length < 2
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        var host = uri.Host.ToLowerInvariant().TrimEnd('.');
        if (host.StartsWith("www.", StringComparison.Ordinal))
        {
            host = host[4..];
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        var key = (host, path) switch
        {
            _ when IsGoogle(host) && path is "/search" => "q",
            ("bing.com", "/search") => "q",
            ("duckduckgo.com", "" or "/html") or ("html.duckduckgo.com", "/html") or ("lite.duckduckgo.com", "/lite") => "q",
            _ when IsYahooSearch(host) && (path is "/search" || path.StartsWith("/search;", StringComparison.Ordinal)) => "p",
            ("youtube.com" or "m.youtube.com", "/results") => "search_query",
            _ => null,
        };
        if (key is null)
        {
            return null;
        }

        foreach (var pair in uri.Query[1..].Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && string.Equals(pair[..eq], key, StringComparison.Ordinal))
            {
                var value = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' ')).Trim();
                return value.Length == 0 ? null : value.Length > 1000 ? value[..1000] : value;
            }
        }

        return null;
    }

    /// <summary><c>google.com</c>, <c>google.de</c>, <c>google.co.uk</c>, <c>google.com.au</c>: Google's own country domains, and nothing under them.</summary>
    private static bool IsGoogle(string host)
    {
        if (!host.StartsWith("google.", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = host["google.".Length..].Split('.');
        return rest switch
        {
            ["com"] => true,
            [{ Length: 2 } cc] => IsLetters(cc),
            ["co" or "com", { Length: 2 } cc] => IsLetters(cc),
            _ => false,
        };
    }

    private static bool IsYahooSearch(string host) =>
        host is "search.yahoo.com"
        || (host.EndsWith(".search.yahoo.com", StringComparison.Ordinal) && host.Length == "xx.search.yahoo.com".Length && IsLetters(host[..2]));

    private static bool IsLetters(string s) => s.All(c => c is >= 'a' and <= 'z');
}
