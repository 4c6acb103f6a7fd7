using System.CommandLine;
using Brightline.Cli;
using Brightline.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Audit;

public static class AuditSetup
{
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddScoped<AuditLog>();
        return services;
    }
}
