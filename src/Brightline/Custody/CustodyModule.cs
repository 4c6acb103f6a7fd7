using Brightline.Kernel;

namespace Brightline.Custody;

public sealed class CustodyModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<CustodyService>();
    }
}
