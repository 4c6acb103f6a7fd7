using Brightline.Kernel;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Consents;

/// <summary>Photo and media consent (F11, C14): the register, its pages, the parents' link and the API (docs/consents.md).</summary>
public sealed class ConsentsModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<ConsentRegister>();
        // The parent's emailed link is anonymous by design, as the countersign link is; named here, page by page.
        services.Configure<RazorPagesOptions>(o => o.Conventions.AllowAnonymousToPage("/Consents/Answer"));
    }

    public void MapEndpoints(WebApplication app) => ConsentsApi.Map(app);
}
