using Brightline.Kernel;
using System.Net;
using Brightline.Agreements;
using Microsoft.Extensions.Options;

using Brightline.Filtering;

namespace Brightline.WebFiltering;

/// <summary>
/// The DNS filter answers a blocked name with the block-page address, so the browser asks the portal for
/// <c>http://blocked.example/anything</c>. Any request whose Host is not one of the portal's own names is
/// therefore a blocked site: it is served the block page (<c>/blocked</c>) for that host. The portal's own
/// names are IP literals, <c>localhost</c>, the host of <c>Brightline:Portal:BaseUrl</c> and
/// <c>Brightline:Filtering:PortalHosts</c>. Only <c>/assets</c> is passed through, so the page keeps its style.
/// </summary>
public sealed class BlockPageHosts(RequestDelegate next, FilteringOptions options, IOptions<PortalLinkOptions> portal)
{
    /// <summary>Key of <see cref="HttpContext.Items"/> holding the blocked host a request arrived for.</summary>
    public const string ItemKey = "brightline:blocked-host";

    private readonly HashSet<string> _own = OwnNames(options, portal.Value);

    public Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        if (string.IsNullOrEmpty(host) || IsOwn(host) || context.Request.Path.StartsWithSegments("/assets", StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }

        context.Items[ItemKey] = host.TrimEnd('.').ToLowerInvariant();
        context.Request.Path = "/blocked";
        return next(context);
    }

    private bool IsOwn(string host) =>
        _own.Contains(host) || IPAddress.TryParse(host.Trim('[', ']'), out _);

    private static HashSet<string> OwnNames(FilteringOptions options, PortalLinkOptions portal)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost" };
        if (portal.BaseUrl is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            names.Add(uri.Host);
        }

        foreach (var name in options.PortalHosts)
        {
            names.Add(name.Trim());
        }

        return names;
    }
}
