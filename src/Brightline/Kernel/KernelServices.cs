using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.Kernel;

/// <summary>The kernel's own services, registered before any feature's: the clock, the portal's address and the leases for run-once work.</summary>
public static class KernelServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSettings<PortalLinkOptions>(PortalLinkOptions.Section);
        services.AddSingleton<PortalLinks>();
        services.TryAddSingleton<WorkLeases>();
    }
}
