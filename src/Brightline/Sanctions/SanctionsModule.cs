using Brightline.Kernel;

namespace Brightline.Sanctions;

/// <summary>Sanctions (F14): imposing, lifting and the sign-in check for suspended accounts.</summary>
public sealed class SanctionsModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<SanctionService>();
        services.AddScoped<SanctionReasons>();
        services.AddScoped<ParentLetters>();
        services.AddScoped<Portal.ISuspendedAccounts, SanctionSignIn>();
    }
}
