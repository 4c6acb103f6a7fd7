using Brightline.Data;
using Brightline.Kernel;
using Brightline.Portal;

namespace Brightline.Hosting;

/// <summary>
/// Builds the server from <see cref="FeatureModules.All"/>: every module's services, then its branches (machine APIs with
/// a pipeline of their own), then its middleware, then its endpoints.
/// </summary>
/// <remarks>Features must register with TryAdd where a caller may have replaced a service in <c>configure</c>.</remarks>
public static class PortalHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Static files and appsettings ship beside the binary, so the portal runs from any directory.
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Callers (tests, the CLI) adjust configuration and replace services such as the clock first,
        // because features read their options while they register.
        configure?.Invoke(builder);

        KernelServices.Add(builder.Services);
        builder.Services.AddProblemDetails();
        foreach (var module in FeatureModules.All)
        {
            module.AddServices(builder.Services, builder.Configuration);
        }

        var app = builder.Build();
        app.UseTransportSecurity();
        app.UseBrightlineErrors();
        // Machine APIs with a lean pipeline of their own (the RADIUS API) leave here, before the portal's browser middleware.
        foreach (var module in FeatureModules.All)
        {
            module.UseBranches(app);
        }

        // Before the portal's own middleware, so the time a page reports includes sign-in, the gate and the rest.
        app.UseServerTiming();

        foreach (var module in FeatureModules.All)
        {
            module.UseMiddleware(app);
        }

        foreach (var module in FeatureModules.All)
        {
            module.MapEndpoints(app);
        }

        return app;
    }

    /// <summary>Applies pending migrations; every entry point calls this before touching data.</summary>
    public static Task PrepareDatabaseAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        DatabaseMigrator.MigrateAsync(services, cancellationToken);
}
