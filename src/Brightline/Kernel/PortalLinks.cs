using Brightline.Agreements;
using Brightline.Kernel;
using Brightline.Data;
using Brightline.Policies;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Kernel;

/// <summary>Where emails point and whom they go to: shared by every feature that notifies people by role.</summary>
public static class PortalLinks
{
    /// <summary>The portal's own address (configured, else the first listening address), for links in emails and from block pages.</summary>
    /// <summary>Where `brightline serve` listens unless told otherwise, and so the portal's address when none is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static string BaseUrl(PortalLinkOptions options, IServiceProvider services)
    {
        if (options.BaseUrl is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }

        var first = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return (first ?? DefaultUrl).TrimEnd('/');
    }
}
