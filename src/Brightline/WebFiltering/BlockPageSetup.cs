using System.Net;
using Brightline.Agreements;
using Microsoft.Extensions.Options;

using Brightline.Filtering;

namespace Brightline.WebFiltering;

public static class BlockPageSetup
{
    /// <summary>Serves the block page for requests to any host that is not the portal's own (see <see cref="BlockPageHosts"/>).</summary>
    public static WebApplication UseBlockPage(this WebApplication app)
    {
        app.UseMiddleware<BlockPageHosts>();
        return app;
    }
}
