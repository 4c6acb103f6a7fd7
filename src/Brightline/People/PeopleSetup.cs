using System.CommandLine;

namespace Brightline.People;

public static class PeopleSetup
{
    public static IServiceCollection AddPeople(this IServiceCollection services) => services;

    public static WebApplication MapPeopleApi(this WebApplication app) => app;
}

public static class PeopleCommands
{
    public static Command Create() => new("people", "Import and list people.");
}
