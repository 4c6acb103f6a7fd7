using System.CommandLine;
using Brightline.Access;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Hosting;
using Brightline.People;
using Brightline.Policies;

namespace Brightline.Cli;

/// <summary>The command line: one verb group per feature, each defined in its feature folder.</summary>
public static class BrightlineCli
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Brightline — a school's acceptable-use policy, made executable.");
        var serve = ServeCommand.Create();
        root.Subcommands.Add(serve);
        root.Subcommands.Add(PolicyCommands.Create());
        root.Subcommands.Add(PeopleCommands.Create());
        root.Subcommands.Add(AccessCommands.Create());
        root.Subcommands.Add(AuditCommands.Create());
        root.Subcommands.Add(DatabaseCommands.Create());

        // No verb at all: serve, so `dotnet run --project src/Brightline` starts the portal.
        foreach (var option in serve.Options)
        {
            root.Options.Add(option);
        }

        root.Action = serve.Action;
        return root;
    }
}
