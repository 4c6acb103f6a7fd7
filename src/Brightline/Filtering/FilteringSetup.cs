using Brightline.Dns.Host;

namespace Brightline.Filtering.Host;

public static class FilteringSetup
{
    /// <summary>The filter engines per school, the DNS client bindings, and the DNS filter as a hosted service.</summary>
    public static IServiceCollection AddFiltering(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new FilteringOptions();
        configuration.GetSection(FilteringOptions.Section).Bind(options);
        services.AddSingleton(options);
        services.AddSingleton<FilterService>();
        services.AddScoped<FilterRequestService>();
        services.AddSingleton<DnsClientBindings>();
        services.AddSingleton(DnsHostOptions.From(configuration));
        services.AddSingleton<FilterDnsPolicy>();
        services.AddSingleton<Access.IAccessChangeSubscriber>(sp => sp.GetRequiredService<FilterDnsPolicy>());
        services.AddSingleton<Access.IAccessChangeSubscriber>(sp => sp.GetRequiredService<DnsClientBindings>());
        services.AddSingleton<DnsDecisionStore>();
        services.AddSingleton<DnsHost>();
        services.AddHostedService(sp => sp.GetRequiredService<DnsHost>());
        services.AddScoped<DnsDecisionRetention>();
        if (configuration.GetValue("Brightline:Dns:PurgeWorker", true))
        {
            services.AddHostedService<DnsDecisionPurgeWorker>();
        }

        return services;
    }
}
