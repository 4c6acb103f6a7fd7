using Brightline.Kernel;

namespace Brightline.Leavers;

/// <summary>Leavers' equipment (C19): a checklist of what a leaver, or someone starting a long absence, must give back.</summary>
public sealed class LeaversModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<LeaversService>();
        services.AddHostedService<LeaversWorker>();
    }

    public void MapEndpoints(WebApplication app) => LeaversApi.Map(app);

    public IEnumerable<System.CommandLine.Command> Commands(CliServices cli) =>
        [new System.CommandLine.Command("devices", "The device register (issue 14; docs/devices.md).") { LeaversCommands.Create(cli) }];
}
