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
        // A verb's output is its report; informational logs would only interleave with it.
        var app = PortalHost.Build([], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>(StringComparer.Ordinal) { ["Logging:LogLevel:Default"] = "Warning" }));
        await PortalHost.PrepareDatabaseAsync(app.Services, cancellationToken);
        return app.Services.CreateAsyncScope();
    }
}
