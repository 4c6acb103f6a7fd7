using Brightline.Kernel;
using System.CommandLine;
using Brightline.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Audit;

public sealed class AuditModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<AuditLog>();
    }

    public IEnumerable<Command> Commands(CliServices cli) => [AuditCommands.Create(cli)];
}
