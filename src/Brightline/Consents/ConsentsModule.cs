using Brightline.Kernel;

namespace Brightline.Consents;

/// <summary>Photo and media consent (F11, C14): the register, its pages, the parents' link and the API (docs/consents.md).</summary>
public sealed class ConsentsModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        // The parent's emailed link (/consents/answer/{token}) is anonymous by design, as the countersign link is: named
        // beside it in PortalModule, where every anonymous page is listed one by one.
        services.AddScoped<ConsentRegister>();
    }

    public void MapEndpoints(WebApplication app) => ConsentsApi.Map(app);
}
