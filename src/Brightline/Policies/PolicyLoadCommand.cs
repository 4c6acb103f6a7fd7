using System.CommandLine;
using Brightline.Kernel;
using Brightline.Policy;

namespace Brightline.Policies;

/// <summary>`brightline policy load FILE`: validate a policy file and store it as the school's active version.</summary>
public static class PolicyLoadCommand
{
    public static Command Create(CliServices cli)
    {
        var file = new Argument<string>("file") { Description = "The policy YAML file." };
        var actor = new Option<string?>("--actor") { Description = "Who is loading it (recorded in the audit log)." };
        var command = new Command("load", "Validate a policy file and make it the school's active policy.") { file, actor };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"{path}: file not found");
                return 2;
            }

            var yaml = await File.ReadAllTextAsync(path, cancellationToken);
            await using var scope = await cli.CreateScopeAsync(cancellationToken);
            var store = scope.ServiceProvider.GetRequiredService<PolicyStore>();
            var today = SchoolClock.Today(scope.ServiceProvider.GetRequiredService<TimeProvider>());
            foreach (var warning in PolicyLoader.Load(yaml, path, today).Warnings)
            {
                await Console.Error.WriteLineAsync($"{warning.File}:{warning.Line}:{warning.Column}: warning: {warning.Message}");
            }

            try
            {
                var who = parse.GetValue(actor) ?? $"cli:{Environment.UserName}";
                var version = await store.LoadAsync(yaml, path, who, cancellationToken);
                await Console.Out.WriteLineAsync(
                    $"Loaded {path}: school '{version.SchoolId}', policy version {version.Version} (id {version.Id}), active.");
                await PolicyCommands.WriteAdvisoriesAsync(yaml, path);
                foreach (var source in scope.ServiceProvider.GetServices<IPolicyLoadWarnings>())
                {
                    foreach (var warning in await source.WarningsAsync(version.SchoolId, cancellationToken))
                    {
                        await Console.Error.WriteLineAsync($"{path}: {warning}");
                    }
                }
                return 0;
            }
            catch (PolicyInvalidException e)
            {
                foreach (var error in e.Errors)
                {
                    await Console.Error.WriteLineAsync(error.ToString());
                }

                await Console.Error.WriteLineAsync($"{e.Errors.Count} error(s); nothing was stored.");
                return 1;
            }
        });
        return command;
    }
}
