using Brightline.Kernel;
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

public sealed class DemoModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<DemoOptions>(DemoOptions.Section);
    }
}
