using Brightline.Kernel;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.Devices;

/// <summary>
/// The device register (issue 14, point 1; docs/devices.md "The register"): the school's own devices and the personal
/// devices and media it has approved, with their state, assignment, MAC addresses, safety attestations and full
/// history; pages under /devices, the API under /api/v1/devices and <c>brightline devices</c>. MAC authentication on
/// school-devices networks reads the register (Network's DeviceAccess).
/// </summary>
public sealed class DevicesModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddScoped<DeviceRegister>();
        services.TryAddScoped<DeviceQueries>();
        services.TryAddScoped<DeviceImporter>();
        services.TryAddScoped<DeviceImportStaging>();
    }

    public void MapEndpoints(WebApplication app) => DevicesApi.Map(app);

    public IEnumerable<System.CommandLine.Command> Commands(CliServices cli) => [DevicesCommands.Create(cli)];
}
