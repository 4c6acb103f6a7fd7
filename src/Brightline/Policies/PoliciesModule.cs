using Brightline.Kernel;
using System.CommandLine;
namespace Brightline.Policies;

public sealed class PoliciesModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PolicyCache>();
        services.AddScoped<PolicyStore>();
    }

    public IEnumerable<Command> Commands(CliServices cli) => [PolicyCommands.Create(cli)];
}
