using System.CommandLine;
using System.Globalization;
using System.Text;
using Brightline.Access;
using Brightline.Data;
using Brightline.Filtering;
using Brightline.Kernel;
using Brightline.Policies;

namespace Brightline.WebFiltering;

/// <summary>`brightline filter test URL --as PERSON|GROUP [--at TIME]` and `brightline dns`.</summary>
public static class FilterCommands
{
    private static readonly CultureInfo s_uk = CultureInfo.GetCultureInfo("en-GB");

    public static Command Create(CliServices cli)
    {
        var url = new Argument<string>("url") { Description = "A URL or host name, e.g. https://www.facebook.com/ or facebook.com." };
        var asWho = new Option<string>("--as") { Description = "A group ID (ks1, staff …) or a person (id, MIS id, email or name).", Required = true };
        var at = new Option<string?>("--at") { Description = "School local time, e.g. \"25/11/2026 14:00\" (default: now)." };
        var school = new Option<string?>("--school") { Description = "School id (needed when the installation has several)." };
        var where = new Option<string?>("--where") { Description = "A network or location of the policy's network section (e.g. boarding-house): its opening hours and filtering apply, as for a device there." };
        var test = new Command("test", "Show how the filter decides a URL for a person or group, and why.") { url, asWho, at, school, where };
        test.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = await cli.CreateScopeAsync(cancellationToken);
            var sp = scope.ServiceProvider;
            var schoolId = await sp.GetRequiredService<PolicyStore>().ResolveSchoolAsync(parse.GetValue(school), cancellationToken);
            var filter = await sp.GetRequiredService<FilterService>().GetAsync(schoolId, cancellationToken);
            var zone = filter.Engine.Current.Options.TimeZone;
            var when = sp.GetRequiredService<TimeProvider>().GetUtcNow();
            if (parse.GetValue(at) is { } text && !FilterTester.TryParseLocal(text, zone, out when))
            {
                await Console.Error.WriteLineAsync($"--at '{text}' is not a date and time like \"25/11/2026 14:00\".");
                return 2;
            }

            var who = parse.GetValue(asWho)!;
            FilterTestSubject subject;
            if (filter.Policy.FindGroup(who) is { } group)
            {
                subject = FilterTester.ForGroup(filter, group);
            }
            else
            {
                var matches = await AccessCommands.FindAsync(sp.GetRequiredService<BrightlineDbContext>(), schoolId, who, cancellationToken);
                if (matches.Count != 1)
                {
                    await Console.Error.WriteLineAsync(matches.Count == 0
                        ? $"'{who}' is neither a group of the policy ({string.Join(", ", filter.Policy.Groups.Select(g => g.Id))}) nor a person at '{schoolId}'."
                        : $"'{who}' matches {matches.Count} people; say which (by id or MIS id).");
                    return 1;
                }

                subject = await FilterTester.ForPersonAsync(filter, matches[0], sp.GetRequiredService<IFilterExemptions>(), when, cancellationToken);
            }

            FilterTestResult result;
            if (parse.GetValue(where) is { } place)
            {
                try
                {
                    result = FilterTester.TestWhere(filter, parse.GetValue(url)!, subject, when, place);
                }
                catch (InvalidException ex)
                {
                    // Never a silent default: an unknown place is an error, with the likely name.
                    await Console.Error.WriteLineAsync($"--where: {ex.Message}");
                    return 1;
                }
            }
            else
            {
                result = FilterTester.Test(filter, parse.GetValue(url)!, subject, when);
            }

            await Console.Out.WriteLineAsync(result.Render());
            return 0;
        });

        var filter = new Command("filter", "Web filtering: test a URL against the active policy's profiles.");
        filter.Subcommands.Add(test);
        return filter;
    }

    internal static string Render(string target, string label, string[] profiles, DateTimeOffset local, in FilterDecision d, IReadOnlyList<string> problems,
        string? where = null, bool closed = false)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{target} as {label} at {local.ToString("ddd dd/MM/yyyy HH:mm", s_uk)}\n");
        if (where is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"where: {where}\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"profiles: {string.Join(", ", profiles)}\n");
        var decision = $"{d.Outcome.ToString().ToUpperInvariant()} — {d.Summary}";
        sb.Append(closed ? $"decision: BLOCK — closed here now (the profile alone: {decision})\n" : $"decision: {decision}\n");
        if (d.Category is { } c)
        {
            sb.Append(CultureInfo.InvariantCulture, $"category: {Categories.NameOf(c)} ({Categories.Get(c).DisplayName})\n");
        }

        if (d.Profile?.Definition.RuleId is { } rule)
        {
            sb.Append(CultureInfo.InvariantCulture, $"policy rule: {d.Rule?.RuleId ?? rule}\n");
        }

        if (d.Rule?.Reason is { } why)
        {
            sb.Append(CultureInfo.InvariantCulture, $"entry reason: {why}\n");
        }

        if (d.Schedule is { } s)
        {
            sb.Append(CultureInfo.InvariantCulture, $"schedule: {s.Name}\n");
        }

        sb.Append("trace:\n");
        foreach (var step in d.Trace)
        {
            sb.Append("  ").Append(step).Append('\n');
        }

        if (problems.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"warning: {problems.Count} problem(s) compiling the filter:\n");
            foreach (var p in problems.Take(20))
            {
                sb.Append("  ").Append(p).Append('\n');
            }
        }

        return sb.ToString().TrimEnd();
    }
}
