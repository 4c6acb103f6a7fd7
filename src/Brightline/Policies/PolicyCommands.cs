using System.CommandLine;
using Brightline.Kernel;
using Brightline.Policy;
using Brightline.Policy.Model;

namespace Brightline.Policies;

/// <summary>
/// `brightline policy check|render|schema|load|calendar`. Check and render need no database, so a school can
/// validate and print its policy on any machine before loading it.
/// </summary>
public static class PolicyCommands
{
    public static Command Create(CliServices cli)
    {
        var policy = new Command("policy", "Check, render and load policy files.");
        policy.Subcommands.Add(CreateCheck());
        policy.Subcommands.Add(CreateRender());
        policy.Subcommands.Add(CreateSchema());
        policy.Subcommands.Add(PolicyLoadCommand.Create(cli));
        policy.Subcommands.Add(CalendarCommand.Create());
        return policy;
    }

    private static Command CreateCheck()
    {
        var files = new Argument<string[]>("files") { Description = "Policy YAML files to check.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("check", "Report every error in each policy file as file:line:col: message.") { files };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var failed = false;
            foreach (var path in parse.GetValue(files) ?? [])
            {
                var result = await LoadAsync(path, cancellationToken);
                if (result is null)
                {
                    failed = true;
                    continue;
                }

                if (!result.Succeeded)
                {
                    failed = true;
                    foreach (var error in result.Errors)
                    {
                        await Console.Error.WriteLineAsync(error.ToString());
                    }

                    await Console.Error.WriteLineAsync($"{path}: {result.Errors.Count} error{(result.Errors.Count == 1 ? "" : "s")}");
                    continue;
                }

                foreach (var warning in result.Warnings)
                {
                    await Console.Error.WriteLineAsync($"{warning.File}:{warning.Line}:{warning.Column}: warning: {warning.Message}");
                }

                await Console.Out.WriteLineAsync($"ok  {path} — {Summary(result.Policy!)}");
                await WriteAdvisoriesAsync(await File.ReadAllTextAsync(path, cancellationToken), path);
            }

            return failed ? 1 : 0;
        });
        return command;
    }

    private static Command CreateRender()
    {
        var file = new Argument<string>("file") { Description = "The policy YAML file." };
        var output = new Option<string>("--out") { Description = "Directory to write the HTML into (created if missing).", Required = true };
        var command = new Command("render", "Write the written policy and every agreement form as printable HTML.") { file, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var result = await LoadAsync(path, cancellationToken);
            if (result is null)
            {
                return 1;
            }

            if (!result.Succeeded)
            {
                foreach (var error in result.Errors)
                {
                    await Console.Error.WriteLineAsync(error.ToString());
                }

                await Console.Error.WriteLineAsync($"{path}: {result.Errors.Count} error(s); nothing was written.");
                return 1;
            }

            var dir = parse.GetValue(output)!;
            Directory.CreateDirectory(dir);
            var school = result.Policy!;
            var written = new List<string>();

            async Task WriteAsync(string name, string html)
            {
                var target = Path.Combine(dir, name);
                await File.WriteAllTextAsync(target, html, cancellationToken);
                written.Add(target);
            }

            await WriteAsync("policy.html", PolicyRenderer.PolicyDocument(school));
            foreach (var agreement in school.Agreements)
            {
                await WriteAsync($"agreement-{agreement.Id}.html", PolicyRenderer.AgreementDocument(school, agreement));
            }

            await WriteAsync("index.html", PolicyRenderer.Index(school));
            foreach (var target in written)
            {
                await Console.Out.WriteLineAsync($"wrote {target}");
            }

            return 0;
        });
        return command;
    }

    private static Command CreateSchema()
    {
        var command = new Command("schema", "Print the JSON Schema of the policy format (point your editor at it).");
        command.SetAction(async (_, cancellationToken) =>
        {
            await Console.Out.WriteAsync(PolicySchema.Json.AsMemory(), cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>Prints the date-dependent warnings (a review that is due or past) for a valid policy; they never fail the command.</summary>
    internal static async Task WriteAdvisoriesAsync(string yaml, string path)
    {
        foreach (var warning in PolicyAdvisories.For(yaml, path, SchoolClock.Today(TimeProvider.System)))
        {
            await Console.Error.WriteLineAsync(warning.ToString());
        }
    }

    private static async Task<PolicyLoadResult?> LoadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"{path}: file not found");
            return null;
        }

        var yaml = await File.ReadAllTextAsync(path, cancellationToken);
        // Today, so a calendar that is running out is warned about (issue 15).
        return PolicyLoader.Load(yaml, path, SchoolClock.Today(TimeProvider.System));
    }

    private static string Summary(SchoolPolicy policy)
    {
        static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
        var calendar = policy.School.Calendar;
        var holidays = UkBankHolidays.Describe(calendar.BankHolidays) + (calendar.BankHolidaysDefaulted ? " (the default; set school.calendar.bank_holidays to change it)" : "");
        return $"{policy.School.Name}, version {policy.Policy.Version}: {Count(policy.Groups.Count, "group")}, {Count(policy.Rules.Count, "rule")}, {Count(policy.Agreements.Count, "agreement")}, {Count(calendar.Terms.Count, "term")}; bank holidays: {holidays}";
    }
}
