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

    /// <summary>
    /// Paths the feature answers with a pipeline of its own, taken before any module's middleware (after transport
    /// security and error handling): a machine API whose caller sends no cookie — FreeRADIUS's RADIUS API — needs none of
    /// the portal's browser middleware, and at a thousand calls a second pays for all of it. Such a branch maps its own
    /// endpoints and must authorise them itself. Most features have none.
    /// </summary>
    void UseBranches(WebApplication app)
    {
    }

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
