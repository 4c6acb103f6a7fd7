using System.CommandLine;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.Safeguarding;

/// <summary>Registers safeguarding monitoring: device tokens, the ingestion API, alerts and their background pass.</summary>
public sealed class SafeguardingModule : IFeatureModule
{
    /// <summary>Authorization policy of the ingestion API: a device token (never a portal cookie or the API key).</summary>
    public const string DevicePolicy = "monitoring-device";

    /// <summary>Portal roles that manage device tokens.</summary>
    public static readonly IReadOnlyList<string> DeviceManagers = [PortalRoles.Admin, PortalRoles.ItProvider, PortalRoles.ComputingLead];

    public const string DeviceManagersPolicy = "role-device-managers";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<IngestionOptions>(IngestionOptions.Section);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, DeviceTokenAuthenticationHandler>(DeviceTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(DevicePolicy, p => p.AddAuthenticationSchemes(DeviceTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireClaim(DeviceClaims.Device))
            .AddPolicy(DeviceManagersPolicy, p => p.RequireRole(DeviceManagers));
        services.TryAddScoped<DeviceTokens>();
        services.TryAddScoped<AlertProcessor>();
        services.TryAddScoped<CategoryNotifications>();
        services.TryAddSingleton<IngestionWriter>();
        services.TryAddSingleton<ScoringWorker>();
        services.TryAddScoped<AlertQueue>();
        services.TryAddScoped<MonitoringExceptions>();
        services.TryAddScoped<WeeklyDigest>();
        services.TryAddSingleton<Brightline.Kernel.PdfPrinter>();
        services.TryAddScoped<ContentPermissions>();
        services.TryAddScoped<MonitoringErasure>();
        services.TryAddScoped<MonitoringScreenshots>();
        services.AddSettings<ChromiumOptions>(ChromiumOptions.Section);
        services.AddSettings<MonitoringOptions>(MonitoringOptions.Section);
        if (Settings.AtRegistration<MonitoringOptions>(configuration, MonitoringOptions.Section).Worker)
        {
            services.AddHostedService<MonitoringWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<ScoringWorker>());
            services.AddHostedService<ScreenshotPurgeWorker>();
        }
    }

    public void MapEndpoints(WebApplication app)
    {
        IngestionApi.MapMonitoringApi(app);
        ScreenshotApi.MapScreenshotApi(app);
    }

    public IEnumerable<Command> Commands(CliServices cli) => [MonitorCommands.Create()];
}
