using Brightline.Kernel;

namespace Brightline.LostProperty;

/// <summary>Lost property (H15) and lost-or-stolen reports (F7): found devices held and disposed of, missing devices reported at once.</summary>
public sealed class LostPropertyModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<StaffSignatures>();
        services.AddScoped<LostPropertyService>();
        services.AddScoped<LostStolenService>();
        services.AddHostedService<LostPropertyWorker>();
    }

    public void MapEndpoints(WebApplication app) => LostPropertyApi.Map(app);

    public IEnumerable<System.CommandLine.Command> Commands(CliServices cli) =>
        [new System.CommandLine.Command("devices", "The device register (issue 14; docs/devices.md).") { LostPropertyCommands.Create(cli) }];
}
