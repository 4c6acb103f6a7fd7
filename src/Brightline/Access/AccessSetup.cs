using System.CommandLine;

namespace Brightline.Access;

public static class AccessSetup
{
    public static IServiceCollection AddAccessGate(this IServiceCollection services) => services;

    public static WebApplication MapAccessApi(this WebApplication app) => app;
}

public static class AccessCommands
{
    public static Command Create() => new("access", "Ask the access gate about a person.");
}
