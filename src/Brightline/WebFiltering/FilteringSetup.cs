using Brightline.DnsFiltering;
using Brightline.Hosting;
using Microsoft.Extensions.Options;

using Brightline.Filtering;

namespace Brightline.WebFiltering;

public static class FilteringSetup
{
    /// <summary>The filter engines per school, the DNS client bindings, and the DNS filter as a hosted service.</summary>
    public static IServiceCollection AddFiltering(this IServiceCollection services, IConfiguration configuration)
    {
        // The engines take the validated options value itself: it is fixed for the process, read on every answer.
        services.AddSettings<FilteringOptions>(FilteringOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<FilteringOptions>>().Value);
        services.AddSingleton<FilterService>();
        services.AddScoped<FilterRequestService>();
        services.AddSingleton<DnsClientBindings>();
        services.AddSettings<DnsHostOptions>(DnsHostOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DnsHostOptions>>().Value);
        services.AddSingleton<FilterDnsPolicy>();
        services.AddSingleton<Access.IAccessChangeSubscriber>(sp => sp.GetRequiredService<FilterDnsPolicy>());
        services.AddSingleton<Access.IAccessChangeSubscriber>(sp => sp.GetRequiredService<DnsClientBindings>());
        services.AddSingleton<DnsDecisionStore>();
        services.AddSingleton<DnsHost>();
        services.AddHostedService(sp => sp.GetRequiredService<DnsHost>());
        services.AddScoped<DnsDecisionRetention>();
        if (Settings.AtRegistration<DnsHostOptions>(configuration, DnsHostOptions.Section).PurgeWorker)
        {
            services.AddHostedService<DnsDecisionPurgeWorker>();
        }

        return services;
    }
}
