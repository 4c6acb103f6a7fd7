namespace Brightline.Filtering.Lists;

/// <summary>
/// Parses one list entry as found in plain, squidGuard/UT1 and e2guardian lists:
/// <c>example.com</c>, <c>.example.com</c> and <c>*.example.com</c> are domains (with subdomains);
/// <c>example.com/path</c> (optionally with <c>http://</c> or <c>https://</c>) is a URL prefix.
/// </summary>
internal static class EntryParser
{
    public static bool TryAdd(ReadOnlySpan<char> entry, IListSink sink, out string? error, bool exactHost = false)
    {
        if (entry.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            entry = entry[7..];
        }
        else if (entry.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            entry = entry[8..];
        }

        var slash = entry.IndexOf('/');
        var host = slash >= 0 ? entry[..slash] : entry;
        if (host.StartsWith("*."))
        {
            host = host[2..];
        }
        else if (host.StartsWith('.'))
        {
            host = host[1..];
        }

        Span<byte> buffer = stackalloc byte[HostName.BufferSize];
        if (!HostName.TryNormalise(host, buffer, out var length))
        {
            error = host.IsEmpty ? "missing host name" : "not a valid host name";
            return false;
        }

        var name = buffer[..length];
        if (slash >= 0 && entry.Length > slash + 1)
        {
            var path = entry[slash..];
            if (path.ContainsAny(' ', '\t'))
            {
                error = "URL path contains white space";
                return false;
            }

            sink.AddUrlPrefix(name, path.ToString());
        }
        else if (exactHost)
        {
            sink.AddExactHost(name);
        }
        else
        {
            sink.AddDomain(name);
        }

        error = null;
        return true;
    }

    /// <summary>Strips a <c>#</c> comment and surrounding white space.</summary>
    public static ReadOnlySpan<char> StripComment(ReadOnlySpan<char> line)
    {
        var hash = line.IndexOf('#');
        if (hash >= 0)
        {
            line = line[..hash];
        }

        return line.Trim();
    }
}
