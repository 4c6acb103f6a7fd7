using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.DnsFiltering;
using Brightline.Kernel;
using Brightline.Policies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

using Brightline.Monitoring;

namespace Brightline.Safeguarding;

/// <summary>Search terms in the URLs of the common search engines.</summary>
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
