using System.CommandLine;
using Brightline.Agreements;
using Brightline.Cli;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Hosting;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Brightline.Portal;

namespace Brightline.People;

public static class PeopleSetup
{
    public const int PageSize = 50;

    public static IServiceCollection AddPeople(this IServiceCollection services)
    {
        services.AddScoped<PeopleImporter>();
        services.TryAddScoped<ImportStaging>();
        services.AddSettings<PeopleOptions>(PeopleOptions.Section);
        services.AddHostedService<StagedImportPurgeWorker>();
        return services;
    }

    public static WebApplication MapPeopleApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/people").RequireAuthorization(PortalPolicies.Api).AddEndpointFilterFactory(ApiSchoolScope.Factory);

        api.MapGet("/", async (string? school, string? search, string? group, string? @class, int? page, PolicyStore store, BrightlineDbContext db, CancellationToken ct) =>
        {
            var schoolId = await store.ResolveSchoolAsync(school, ct);
            var policy = await store.ActiveAsync(schoolId, ct);
            var people = await PeopleQueries.SearchAsync(db, policy, schoolId, search, group, @class, includeLeavers: false, ct);
            var pageNumber = Math.Max(1, page ?? 1);
            return Results.Ok(new
            {
                school = schoolId,
                page = pageNumber,
                pageSize = PageSize,
                total = people.Count,
                people = people.Skip((pageNumber - 1) * PageSize).Take(PageSize).Select(p => PeopleQueries.ToJson(policy, p)),
            });
        });

        api.MapGet("/{id}", async (string id, string? school, PolicyStore store, BrightlineDbContext db, CancellationToken ct) =>
        {
            var person = await ApiPeople.FindAsync(db, id, school, ct);
            var policy = await store.ActiveAsync(person.SchoolId, ct);
            var parents = await (from l in db.ParentLinks join p in db.People on l.ParentId equals p.Id where l.ChildId == person.Id
                                 select new { id = p.Id, name = p.GivenName + " " + p.FamilyName, relationship = l.Relationship }).ToListAsync(ct);
            var children = await (from l in db.ParentLinks join p in db.People on l.ChildId equals p.Id where l.ParentId == person.Id
                                  select new { id = p.Id, name = p.GivenName + " " + p.FamilyName, className = p.ClassName }).ToListAsync(ct);
            var roles = await db.PersonRoles.Where(r => r.PersonId == person.Id).Select(r => r.Role).ToListAsync(ct);
            return Results.Ok(new { person = PeopleQueries.ToJson(policy, person), roles, parents, children });
        });

        api.MapPost("/import", async (HttpRequest request, string? school, string? kind, bool? dryRun, bool? partial, PolicyStore store, PeopleImporter importer,
            IOptions<PeopleOptions> options, CancellationToken ct) =>
        {
            // Refused by its declared length before a byte is read; a body without one is read no further than the limit.
            var limit = options.Value.MaxImportBytes;
            if (request.ContentLength > limit)
            {
                throw new ImportTooLargeException(limit);
            }

            var schoolId = await store.ResolveSchoolAsync(school, ct);
            var importKind = ParseKind(kind) ?? throw new InvalidException("Say which export this is: kind=pupils, kind=staff or kind=adults.");
            var csv = await ImportStaging.ReadBoundedAsync(request.Body, limit, ct);
            var report = await importer.ImportAsync(schoolId, new MemoryStream(csv, writable: false), importKind,
                new ImportOptions(DryRun: dryRun ?? false, FullImport: !(partial ?? false)), ApiPeople.Actor(request.HttpContext), ct);
            return Results.Ok(report);
        }).Accepts<string>("text/csv");
        return app;
    }

    internal static ImportKind? ParseKind(string? kind) => kind?.Trim().ToLowerInvariant() switch
    {
        "pupils" or "pupil" => ImportKind.Pupils,
        "staff" => ImportKind.Staff,
        "adults" or "adult" or "others" => ImportKind.Adults,
        _ => null,
    };
}

internal static class PeopleQueries
{
    public static async Task<List<Person>> SearchAsync(
        BrightlineDbContext db, SchoolPolicy policy, string schoolId, string? search, string? group, string? className, bool includeLeavers, CancellationToken ct)
    {
        // A school is ~1,000 people: filter in memory for case-insensitive matching identical on SQLite and PostgreSQL.
        var people = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId).ToListAsync(ct);
        IEnumerable<Person> q = people;
        if (!includeLeavers)
        {
            q = q.Where(p => p.LeftOn is null);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim();
            q = q.Where(p => p.FullName.Contains(s, StringComparison.OrdinalIgnoreCase)
                || string.Equals(p.ExternalId, s, StringComparison.OrdinalIgnoreCase)
                || (p.Email?.Contains(s, StringComparison.OrdinalIgnoreCase) ?? false));
        }

        if (!string.IsNullOrWhiteSpace(group))
        {
            if (policy.FindGroup(group.Trim()) is null)
            {
                throw new InvalidException($"The policy has no group '{group}'. Groups: {string.Join(", ", policy.Groups.Select(g => g.Id))}.");
            }

            q = q.Where(p => PersonGroups.For(policy, p).Any(g => string.Equals(g.Id, group.Trim(), StringComparison.Ordinal)));
        }

        if (!string.IsNullOrWhiteSpace(className))
        {
            q = q.Where(p => string.Equals(p.ClassName, className.Trim(), StringComparison.OrdinalIgnoreCase));
        }

        return q.OrderBy(p => p.FamilyName, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.GivenName, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public static object ToJson(SchoolPolicy policy, Person p) => new
    {
        id = p.Id,
        externalId = p.ExternalId,
        source = p.Source,
        givenName = p.GivenName,
        familyName = p.FamilyName,
        name = p.FullName,
        kinds = PersonGroups.Kinds(p).Select(k => k.ToString().ToLowerInvariant()),
        groups = PersonGroups.For(policy, p).Select(g => g.Id),
        yearGroup = p.YearGroup,
        className = p.ClassName,
        email = p.Email,
        jobTitle = p.JobTitle,
        joinedOn = p.JoinedOn,
        leftOn = p.LeftOn,
    };
}

/// <summary>`brightline people import|list`.</summary>
public static class PeopleCommands
{
    public static Command Create()
    {
        var command = new Command("people", "Import and list people.");
        command.Subcommands.Add(CreateImport());
        command.Subcommands.Add(CreateList());
        return command;
    }

    private static Command CreateImport()
    {
        var file = new Argument<string>("file") { Description = "The CSV export from the MIS." };
        var kind = new Option<string>("--kind") { Description = "pupils, staff or adults", Required = true };
        var school = new Option<string?>("--school") { Description = "School id (needed when the installation has several)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would change; change nothing." };
        var partial = new Option<bool>("--partial") { Description = "The file lists only some people: do not mark the others as leavers." };
        var command = new Command("import", "Import pupils (with parents), staff or other adults from a CSV export.") { file, kind, school, dryRun, partial };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (PeopleSetup.ParseKind(parse.GetValue(kind)) is not { } importKind)
            {
                await Console.Error.WriteLineAsync("--kind must be pupils, staff or adults.");
                return 2;
            }

            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"{path}: file not found");
                return 2;
            }

            await using var scope = await CliHost.CreateScopeAsync(cancellationToken);
            var sp = scope.ServiceProvider;
            var schoolId = await sp.GetRequiredService<PolicyStore>().ResolveSchoolAsync(parse.GetValue(school), cancellationToken);
            await using var stream = File.OpenRead(path);
            // The importer's reader closes the stream, so decide about progress output before it runs.
            var large = stream.Length > 200_000;
            var progress = new Progress<int>(n => Console.Error.Write($"\r{n} rows read…"));
            var report = await sp.GetRequiredService<PeopleImporter>().ImportAsync(
                schoolId, stream, importKind, new ImportOptions(parse.GetValue(dryRun), !parse.GetValue(partial)),
                $"cli:{Environment.UserName}", large ? progress : null, cancellationToken);
            if (large)
            {
                await Console.Error.WriteLineAsync();
            }

            await Console.Out.WriteLineAsync(RenderReport(path, report));
            return report.Errors.Count > 0 ? 1 : 0;
        });
        return command;
    }

    internal static string RenderReport(string path, ImportReport r)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(r.DryRun ? "DRY RUN — nothing was changed. " : "").Append(path).Append(": ").Append(r.RowsRead).Append(" rows read\n");
        sb.Append($"  created {r.Created}, updated {r.Updated}, unchanged {r.Unchanged}, leavers {r.MarkedLeavers}, parents created {r.ParentsCreated}, parent links {r.LinksCreated}, bad rows {r.Errors.Count}\n");
        if (r.Changes.Count > 0)
        {
            sb.Append("\nChanges:\n");
            sb.Append($"  {"Row",5}  {"Action",-15} {"ID",-14} {"Name",-28} Detail\n");
            foreach (var c in r.Changes)
            {
                sb.Append($"  {(c.Row == 0 ? "-" : c.Row.ToString(System.Globalization.CultureInfo.InvariantCulture)),5}  {c.Action,-15} {Trunc(c.ExternalId, 14),-14} {Trunc(c.Name, 28),-28} {c.Detail}\n");
            }
        }

        if (r.Errors.Count > 0)
        {
            sb.Append("\nRows not imported:\n");
            foreach (var e in r.Errors)
            {
                sb.Append("  row ").Append(e.Row).Append(": ").Append(e.Message).Append('\n');
            }
        }

        return sb.ToString().TrimEnd();
    }

    private static Command CreateList()
    {
        var school = new Option<string?>("--school") { Description = "School id (needed when the installation has several)." };
        var search = new Option<string?>("--search") { Description = "Part of a name, an email, or an MIS id." };
        var group = new Option<string?>("--group") { Description = "Only this policy group (e.g. ks1, staff)." };
        var leavers = new Option<bool>("--leavers") { Description = "Include people who have left." };
        var command = new Command("list", "List people with their groups and agreement status.") { school, search, group, leavers };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = await CliHost.CreateScopeAsync(cancellationToken);
            var sp = scope.ServiceProvider;
            var store = sp.GetRequiredService<PolicyStore>();
            var schoolId = await store.ResolveSchoolAsync(parse.GetValue(school), cancellationToken);
            var active = await store.ActiveVersionAsync(schoolId, cancellationToken);
            var db = sp.GetRequiredService<BrightlineDbContext>();
            var people = await PeopleQueries.SearchAsync(db, active.Policy, schoolId, parse.GetValue(search), parse.GetValue(group), null, parse.GetValue(leavers), cancellationToken);
            var agreements = sp.GetRequiredService<AgreementService>();
            await Console.Out.WriteLineAsync($"{"ID",-14} {"Name",-28} {"Kind",-16} {"Year/class",-12} {"Groups",-22} Agreements");
            foreach (var p in people)
            {
                var required = await agreements.ForPersonAsync(active, p, cancellationToken);
                var status = p.LeftOn is { } left ? $"left {SchoolClock.Uk(left)}"
                    : required.Count == 0 ? "none required"
                    : string.Join(", ", required.Select(r => $"{r.AgreementId}: {r.State.ToString().ToLowerInvariant()}"));
                var groups = string.Join(",", PersonGroups.For(active.Policy, p).Select(g => g.Id));
                await Console.Out.WriteLineAsync($"{Trunc(p.ExternalId, 14),-14} {Trunc(p.FullName, 28),-28} {Trunc(PeopleImporter.KindNames(p.KindMask), 16),-16} {Trunc(p.ClassName ?? p.YearGroup ?? "", 12),-12} {Trunc(groups, 22),-22} {status}");
            }

            await Console.Out.WriteLineAsync($"{people.Count} people");
            return 0;
        });
        return command;
    }

    private static string Trunc(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
