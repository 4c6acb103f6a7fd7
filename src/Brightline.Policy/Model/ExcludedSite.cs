namespace Brightline.Policy.Model;

/// <summary>
/// The host names of <c>monitoring: excluded_sites:</c>. An entry names a host and every subdomain of it
/// (<c>kooth.com</c> covers <c>www.kooth.com</c>), as the filter lists do, so a school lists a service once.
/// The extension applies the same rule (clients/chrome/src/exclusions.js).
/// </summary>
public static class ExcludedSite
{
    /// <summary>The stored form: lower case, without a trailing dot.</summary>
    public static string Normalise(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary>Null when <paramref name="entry"/> is a host name; otherwise why not, in words.</summary>
    public static string? Problem(string entry)
    {
        var host = Normalise(entry);
        if (host.Length == 0)
        {
            return "is blank";
        }

        if (host.Contains("://", StringComparison.Ordinal) || host.Contains('/', StringComparison.Ordinal) || host.Contains(':', StringComparison.Ordinal)
            || host.Contains('*', StringComparison.Ordinal))
        {
            return "must be a host name only (no scheme, port, path or wildcard; subdomains are included)";
        }

        if (host.Length > 253 || !host.Contains('.', StringComparison.Ordinal)
            || host.Split('.').Any(label => label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-'
                || !label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')))
        {
            return "is not a host name such as 'payroll.example.org'";
        }

        return null;
    }

    /// <summary>What the school probably meant when it gave a URL instead of a host: its host, or null.</summary>
    public static string? HostOfUrl(string entry) =>
        Uri.TryCreate(entry.Trim(), UriKind.Absolute, out var uri) && uri.Host.Length > 0 && Problem(uri.Host) is null ? Normalise(uri.Host)
        : Uri.TryCreate("https://" + entry.Trim().TrimStart('*', '.'), UriKind.Absolute, out var bare) && bare.Host.Length > 0 && Problem(bare.Host) is null ? Normalise(bare.Host)
        : null;

    public static bool Matches(IReadOnlyList<string> sites, string host)
    {
        if (sites.Count == 0 || string.IsNullOrEmpty(host))
        {
            return false;
        }

        var h = Normalise(host);
        foreach (var site in sites)
        {
            if (h.Length == site.Length ? string.Equals(h, site, StringComparison.Ordinal)
                : h.Length > site.Length && h[h.Length - site.Length - 1] == '.' && h.EndsWith(site, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
