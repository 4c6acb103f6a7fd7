using System.CommandLine;

namespace Brightline.Kernel;

/// <summary>
/// One feature folder's registration: its options, services and workers, its middleware and endpoints,
/// and its command-line verbs. <c>Hosting/FeatureModules.cs</c> lists every module in order; the server
/// and the command line are built from that list, so a feature never needs to know who composes it.
/// </summary>
public interface IFeatureModule
{
    /// <summary>Options, services and background workers. Register with TryAdd where a test may replace a service first.</summary>
    void AddServices(IServiceCollection services, IConfiguration configuration);

    /// <summary>Middleware, run in module order before any endpoint; most features have none.</summary>
    void UseMiddleware(WebApplication app)
    {
    }

    /// <summary>HTTP endpoints (APIs, pages), mapped in module order.</summary>
    void MapEndpoints(WebApplication app)
    {
    }

    /// <summary>The feature's verbs for the <c>brightline</c> command line.</summary>
    IEnumerable<Command> Commands(CliServices cli) => [];
}
