using Brightline.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Cli;

/// <summary>
/// The services a CLI verb needs (database, policy store, audit …), built from the same configuration
/// as the server (appsettings.json, Brightline__* environment variables) but not started.
/// </summary>
public static class CliHost
{
    public static async Task<AsyncServiceScope> CreateScopeAsync(CancellationToken cancellationToken)
    {
        var app = PortalHost.Build([]);
        await PortalHost.PrepareDatabaseAsync(app.Services, cancellationToken);
        return app.Services.CreateAsyncScope();
    }
}
