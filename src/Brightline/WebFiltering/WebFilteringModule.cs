using System.CommandLine;
using Brightline.Kernel;
using Microsoft.Extensions.Options;

namespace Brightline.WebFiltering;

/// <summary>The filter engines per school, filter requests, the block page host and the <c>filter</c> verbs.</summary>
public sealed class WebFilteringModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        // The engines take the validated options value itself: it is fixed for the process, read on every answer.
        services.AddSettings<FilteringOptions>(FilteringOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<FilteringOptions>>().Value);
        services.AddSingleton<FilterService>();
        services.AddScoped<FilterRequestService>();
        services.AddSingleton<BlockPageTicket>();
    }

    /// <summary>Serves the block page for requests to any host that is not the portal's own (see <see cref="BlockPageHosts"/>).</summary>
    public void UseMiddleware(WebApplication app) => app.UseMiddleware<BlockPageHosts>();

    public IEnumerable<Command> Commands(CliServices cli) => [FilterCommands.Create(cli)];
}
