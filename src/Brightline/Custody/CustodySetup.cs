using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Hosting;
using Brightline.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Custody;

public static class CustodySetup
{
    public static IServiceCollection AddCustody(this IServiceCollection services)
    {
        services.AddScoped<CustodyService>();
        return services;
    }
}
