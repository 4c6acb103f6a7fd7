using System.CommandLine;
using Brightline.Data;
using Brightline.Kernel;
using Brightline.Policy;

namespace Brightline.Hosting;

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
        var cli = new CliServices((args, configure) => PortalHost.Build(args, configure));
        foreach (var command in FeatureModules.All.SelectMany(m => m.Commands(cli)))
        {
            // A module may add verbs under another's: DeviceRequests adds `devices requests` to the register's `devices`.
            if (root.Subcommands.FirstOrDefault(c => string.Equals(c.Name, command.Name, StringComparison.Ordinal)) is { } existing)
            {
                foreach (var sub in command.Subcommands)
                {
                    existing.Subcommands.Add(sub);
                }
            }
            else
            {
                root.Subcommands.Add(command);
            }
        }

        // No verb at all: serve, so `dotnet run --project src/Brightline` starts the portal.
        foreach (var option in serve.Options)
        {
            root.Options.Add(option);
        }

        root.Action = serve.Action;
        return root;
    }
}
