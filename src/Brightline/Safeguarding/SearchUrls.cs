namespace Brightline.Safeguarding;

/// <summary>Search terms in the URLs of the common search engines (Google, Bing, DuckDuckGo, Yahoo, YouTube); the browser extension relies on this list.</summary>
public static class SearchUrls
{
    public static string? QueryOf(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Query.Length < 2)
        {
            return null;
        }

        var host = uri.Host.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal))
        {
            host = host[4..];
        }

        var path = uri.AbsolutePath;
        string? key = null;
        if ((host.StartsWith("google.", StringComparison.Ordinal) && path.StartsWith("/search", StringComparison.Ordinal))
            || (host is "bing.com" && path.StartsWith("/search", StringComparison.Ordinal))
            || (host is "duckduckgo.com" or "html.duckduckgo.com"))
        {
            key = "q";
        }
        else if ((host is "search.yahoo.com" || host.EndsWith(".search.yahoo.com", StringComparison.Ordinal)) && path.StartsWith("/search", StringComparison.Ordinal))
        {
            key = "p"; // uk.search.yahoo.com and the other countries' Yahoo search as well
        }
        else if (host is "youtube.com" or "m.youtube.com" && path.StartsWith("/results", StringComparison.Ordinal))
        {
            key = "search_query";
        }

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
}
