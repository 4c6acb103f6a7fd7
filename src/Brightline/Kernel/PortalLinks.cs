using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Brightline.Kernel;

/// <summary>
/// The portal's own address, for links in emails and from block pages: configured (<c>Brightline:Portal:BaseUrl</c>),
/// else the first address this server listens on, else where <c>brightline serve</c> listens by default. The server
/// is looked up when asked, not injected, because a command-line verb has none.
/// </summary>
public sealed class PortalLinks(IOptions<PortalLinkOptions> options, IServiceProvider services)
{
    /// <summary>Where `brightline serve` listens unless told otherwise, and so the portal's address when none is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public string BaseUrl()
    {
        if (options.Value.BaseUrl is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }

        var first = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return (first ?? DefaultUrl).TrimEnd('/');
    }
}
