using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.Kernel;

/// <summary>The kernel's own services, registered before any feature's: the clock and the portal's address.</summary>
public static class KernelServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSettings<PortalLinkOptions>(PortalLinkOptions.Section);
        services.AddSingleton<PortalLinks>();
    }
}
