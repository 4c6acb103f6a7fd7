using Brightline.Data;

namespace Brightline.Kernel;

/// <summary>
/// What a command-line verb needs from the application — its services, built from the same configuration
/// as the server (appsettings.json, Brightline__* environment variables) but not started — handed to each
/// feature's verbs by the composition root, so that verbs do not depend on it.
/// </summary>
public sealed class CliServices(Func<string[], Action<WebApplicationBuilder>?, WebApplication> build)
{
    /// <summary>The whole application, migrated but not started (for verbs that run a server of their own).</summary>
    public async Task<WebApplication> BuildAsync(string[] args, CancellationToken cancellationToken)
    {
        var app = build(args, null);
        await DatabaseMigrator.MigrateAsync(app.Services, cancellationToken);
        return app;
    }

    /// <summary>A service scope for a verb that reads or writes data and then ends.</summary>
    public async Task<AsyncServiceScope> CreateScopeAsync(CancellationToken cancellationToken)
    {
        // A verb's output is its report; informational logs would only interleave with it.
        var app = build([], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>(StringComparer.Ordinal) { ["Logging:LogLevel:Default"] = "Warning" }));
        await DatabaseMigrator.MigrateAsync(app.Services, cancellationToken);
        return app.Services.CreateAsyncScope();
    }
}
