using Brightline.Kernel;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.Incidents;

public sealed class IncidentsModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddScoped<IncidentService>();
        services.TryAddScoped<IncidentAttachments>();
        services.TryAddScoped<IncidentActions>();
        services.TryAddScoped<IncidentNotifier>();
        services.TryAddScoped<IncidentBackground>();
        services.AddSettings<IncidentsOptions>(IncidentsOptions.Section);
        if (Settings.AtRegistration<IncidentsOptions>(configuration, IncidentsOptions.Section).Worker)
        {
            services.AddHostedService<IncidentWorker>();
        }
    }
}
