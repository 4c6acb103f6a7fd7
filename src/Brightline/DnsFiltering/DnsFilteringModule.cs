using Brightline.AccessChanges;
using System.CommandLine;
using Brightline.Access;
using Brightline.Kernel;
using Microsoft.Extensions.Options;

namespace Brightline.DnsFiltering;

/// <summary>The filtering DNS server (a hosted service), the address-to-person bindings it answers for, and its decision log.</summary>
public sealed class DnsFilteringModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<DnsHostOptions>(DnsHostOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DnsHostOptions>>().Value);
        services.AddSingleton<FilterDnsPolicy>();
        services.AddSingleton<IAccessChangeSubscriber>(sp => sp.GetRequiredService<FilterDnsPolicy>());
        services.AddSingleton<DnsDecisionStore>();
        services.AddSingleton<DnsHost>();
        services.AddHostedService(sp => sp.GetRequiredService<DnsHost>());
        services.AddScoped<DnsDecisionRetention>();
        if (Settings.AtRegistration<DnsHostOptions>(configuration, DnsHostOptions.Section).PurgeWorker)
        {
            services.AddHostedService<DnsDecisionPurgeWorker>();
        }
    }

    public IEnumerable<Command> Commands(CliServices cli) => [DnsCommand.Create(cli)];
}
