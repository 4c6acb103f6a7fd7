using Brightline.AccessChanges;
using Brightline.Kernel;

namespace Brightline.ClientBindings;

/// <summary>
/// Which person is at which client address (bound at portal sign-in and by RADIUS accounting, shared across processes through the database):
/// the DNS filter answers for that person, and the block page knows who asks for an unblock.
/// </summary>
public sealed class ClientBindingsModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DnsClientBindings>();
        services.AddScoped<SignInBinding>();
        services.AddSingleton<IAccessChangeSubscriber>(sp => sp.GetRequiredService<DnsClientBindings>());
    }
}
