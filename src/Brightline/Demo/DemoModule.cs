using Brightline.Kernel;

namespace Brightline.Demo;

public sealed class DemoModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<DemoOptions>(DemoOptions.Section);
    }
}
