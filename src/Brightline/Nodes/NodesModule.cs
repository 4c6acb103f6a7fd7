using Brightline.Kernel;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Brightline.Nodes;

/// <summary>
/// What lets several portal nodes serve one installation (issue 18, part 3): one Data Protection key ring shared
/// through the database, and the health endpoints a load balancer probes (see docs/deployment.md). Leases for
/// run-once background work live in the kernel (<see cref="WorkLeases"/>), beside the worker they guard.
/// </summary>
public sealed class NodesModule : IFeatureModule
{
    /// <summary>
    /// Data Protection isolates applications by name, and by default the name is the content root — a path that
    /// differs between machines (and between releases), which would split the key ring. One fixed name joins them.
    /// </summary>
    public const string ApplicationName = "Brightline";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<DatabaseKeyRing>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = sp.GetRequiredService<DatabaseKeyRing>()));
        services.AddScoped<Readiness>();
    }

    public void MapEndpoints(WebApplication app) => HealthEndpoints.Map(app);
}
