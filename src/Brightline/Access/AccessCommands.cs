using Brightline.People;
using Brightline.Kernel;
using System.CommandLine;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Brightline.Portal;

namespace Brightline.Access;

/// <summary>`brightline access PERSON`: the gate's answer for one person, as a table.</summary>
public static class AccessCommands
{
    public static Command Create(CliServices cli)
    {
        var person = new Argument<string>("person") { Description = "Person id, MIS id (admission number, UPN, staff code), email, or part of a name." };
        var school = new Option<string?>("--school") { Description = "School id (needed when the installation has several)." };
        var command = new Command("access", "Ask the access gate whether a person may log in, use the network and the internet.") { person, school };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = await cli.CreateScopeAsync(cancellationToken);
            var sp = scope.ServiceProvider;
            var schoolId = await sp.GetRequiredService<PolicyStore>().ResolveSchoolAsync(parse.GetValue(school), cancellationToken);
            var db = sp.GetRequiredService<BrightlineDbContext>();
            var matches = await FindAsync(db, schoolId, parse.GetValue(person)!, cancellationToken);
            switch (matches.Count)
            {
                case 0:
                    await Console.Error.WriteLineAsync($"No one at '{schoolId}' matches '{parse.GetValue(person)}'.");
                    return 1;
                case > 1:
                    await Console.Error.WriteLineAsync($"'{parse.GetValue(person)}' matches {matches.Count} people; say which (by id or MIS id):");
                    foreach (var m in matches.Take(30))
                    {
                        await Console.Error.WriteLineAsync($"  {m.Id}  {m.ExternalId,-12} {m.FullName,-30} {m.ClassName ?? m.JobTitle ?? ""}");
                    }

                    return 2;
                default:
                    break;
            }

            var decision = await sp.GetRequiredService<AccessGate>().EvaluateAsync(schoolId, matches[0].Id, cancellationToken);
            await Console.Out.WriteLineAsync(Render(matches[0], decision));
            return 0;
        });
        return command;
    }

    internal static string Render(Person person, AccessDecision decision)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(person.FullName).Append(" (").Append(person.ExternalId).Append(')')
          .Append(" — evaluated ").Append(decision.EvaluatedAt.UtcDateTime.ToString("dd/MM/yyyy HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"{"Access",-9} {"Allowed",-8} {"Since",-11} Why\n");
        foreach (var item in decision.Items)
        {
            if (item.Allowed)
            {
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"{item.Access,-9} {"yes",-8} {"",-11} all required agreements are signed\n");
                continue;
            }

            var first = true;
            foreach (var reason in item.Reasons)
            {
                var since = reason.Since is { } s ? SchoolClock.Uk(s) : "";
                sb.Append(first ? $"{item.Access,-9} {"NO",-8} " : $"{"",-9} {"",-8} ").Append(System.Globalization.CultureInfo.InvariantCulture, $"{since,-11} {reason.Message}\n");
                first = false;
            }
        }

        return sb.ToString().TrimEnd();
    }

    /// <summary>Exact matches (id, MIS id, email) win over a name search, so a unique key never comes back ambiguous.</summary>
    internal static async Task<IReadOnlyList<Person>> FindAsync(BrightlineDbContext db, string schoolId, string text, CancellationToken ct)
    {
        text = text.Trim();
        if (Guid.TryParse(text, out var id))
        {
            return await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.Id == id).ToListAsync(ct);
        }

        var people = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId).ToListAsync(ct);
        var exact = people.Where(p => string.Equals(p.ExternalId, text, StringComparison.OrdinalIgnoreCase)
            || string.Equals(p.Email, text, StringComparison.OrdinalIgnoreCase)).ToList();
        if (exact.Count > 0)
        {
            return exact;
        }

        var fullName = people.Where(p => string.Equals(PersonNames.Normalise(p.FullName), PersonNames.Normalise(text), StringComparison.Ordinal)).ToList();
        if (fullName.Count > 0)
        {
            return fullName;
        }

        return people.Where(p => p.FullName.Contains(text, StringComparison.OrdinalIgnoreCase)).OrderBy(p => p.FamilyName, StringComparer.Ordinal).ToList();
    }
}
