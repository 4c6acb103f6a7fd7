using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Incidents;

public sealed class IncidentsModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddScoped<IncidentService>();
        services.TryAddScoped<IncidentAttachments>();
        services.TryAddScoped<IncidentNotifier>();
        services.TryAddScoped<IncidentBackground>();
        services.AddSettings<IncidentsOptions>(IncidentsOptions.Section);
        if (Settings.AtRegistration<IncidentsOptions>(configuration, IncidentsOptions.Section).Worker)
        {
            services.AddHostedService<IncidentWorker>();
        }
    }
}
