using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Hosting;
using Brightline.Policies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Incidents;

public static class IncidentsSetup
{
    public static IServiceCollection AddIncidents(this IServiceCollection services, IConfiguration configuration)
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

        return services;
    }
}
