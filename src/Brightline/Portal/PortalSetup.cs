namespace Brightline.Portal;

public static class PortalSetup
{
    public static IServiceCollection AddPortal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRazorPages();
        return services;
    }

    public static WebApplication UsePortal(this WebApplication app) => app;

    public static WebApplication MapPortal(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }
}

public static class FirstRun
{
    public static Task PrintSignInHelpAsync(WebApplication app, TextWriter output, CancellationToken cancellationToken) =>
        output.WriteLineAsync($"Brightline is running at {string.Join(", ", app.Urls)}");
}
