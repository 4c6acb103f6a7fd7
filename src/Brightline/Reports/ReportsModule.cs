using System.Globalization;
using Brightline.Agreements;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.WebFiltering;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;
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
