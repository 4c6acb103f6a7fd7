using Brightline.Hosting;
using Microsoft.Extensions.Options;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Demo;

public static class DemoSetup
{
    public static IServiceCollection AddDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<DemoOptions>(DemoOptions.Section);
        return services;
    }
}
