using System.CommandLine;
using Brightline.Access;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Hosting;
using Brightline.People;
using Brightline.Policy;
using Brightline.Policies;

namespace Brightline.Cli;

/// <summary>The command line: one verb group per feature, each defined in its feature folder.</summary>
public static class BrightlineCli
{
    /// <summary>
    /// Runs a command line. A domain error (no school yet, unknown person, invalid policy …) is the
    /// user's to fix, so it is printed as one plain sentence with exit code 2, not as a stack trace.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await Create().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (PolicyInvalidException e)
        {
            foreach (var error in e.Errors)
            {
                await Console.Error.WriteLineAsync(error.ToString());
            }

            return 2;
        }
        catch (DomainException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        catch (MigrationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 3;
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
    }

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
        root.Subcommands.Add(WebFiltering.FilterCommands.Create());
        root.Subcommands.Add(WebFiltering.DnsCommand.Create());
        root.Subcommands.Add(Safeguarding.MonitorCommands.Create());

        // No verb at all: serve, so `dotnet run --project src/Brightline` starts the portal.
        foreach (var option in serve.Options)
        {
            root.Options.Add(option);
        }

        root.Action = serve.Action;
        return root;
    }
}
