using Brightline.Data;
using Brightline.Kernel;

namespace Brightline.AccessChanges;

/// <summary>
/// Access changes as events: a feature publishes a change with the save that makes it; subscribers in this
/// process are told at commit, and every other process reads the change table (see docs/architecture.md).
/// </summary>
public sealed class AccessChangesModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<AccessChangeOptions>(AccessChangeOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AccessChangeOptions>>().Value);
        services.AddSingleton<AccessChangeHub>();
        services.AddSingleton<IAccessChanges>(sp => sp.GetRequiredService<AccessChangeHub>());
        services.AddSingleton<AccessChangeInterceptor>();
        services.ConfigureDbContext<BrightlineDbContext>((sp, db) => db.AddInterceptors(sp.GetRequiredService<AccessChangeInterceptor>()));
        services.AddSingleton<AccessChangeReader>();
        services.AddHostedService(sp => sp.GetRequiredService<AccessChangeReader>());
        services.AddHostedService<AccessChangePurgeWorker>();
    }
}
