using Brightline.Kernel;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.Reports;

public sealed class ReportsModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<GovernorsReport>();
        services.AddScoped<ReviewPackService>();
        services.AddScoped<FilterSelfTest>();
        services.TryAddSingleton<PdfPrinter>();
    }
}
