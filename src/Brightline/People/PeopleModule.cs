using System.CommandLine;
using Brightline.Data;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Brightline.People;

public sealed class PeopleModule : IFeatureModule
{
    public const int PageSize = 50;

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<PeopleImporter>();
        services.AddScoped<RoleCoverage>();
        services.AddScoped<PeopleNames>();
        services.AddScoped<IPolicyLoadWarnings>(s => s.GetRequiredService<RoleCoverage>());
        services.TryAddScoped<ImportStaging>();
        services.AddSettings<PeopleOptions>(PeopleOptions.Section);
        services.AddHostedService<StagedImportPurgeWorker>();
    }

    public void MapEndpoints(WebApplication app)
    {
        // The person picker (issue 17): people the caller may see, found by name, class or admission number.
        app.MapGet("/people/search", async (string? q, Brightline.Portal.PortalScope scope, HttpContext context, CancellationToken ct) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            if ((q?.Length ?? 0) > PersonSearch.MaxLength)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Search too long",
                    detail: $"Type at most {PersonSearch.MaxLength} characters of a name, class or number.");
            }

            var found = await PersonSearch.FindAsync(await scope.PeopleAsync(ct), q, PersonSearch.MaxResults, ct);
            return Results.Json(found.Select(p => new { key = p.Key, name = p.Name, @class = p.ClassName, number = p.Number, label = p.Label }));
        }).RequireAuthorization(PortalPolicies.Staff).ExcludeFromDescription();
        app.MapTextAsset(PersonPickerScript.Path, PersonPickerScript.Text, "text/javascript; charset=utf-8", 3600);

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

        api.MapPost("/import", async (HttpRequest request, string? school, string? kind, bool? dryRun, bool? full, bool? partial, int? leavers, PolicyStore store, PeopleImporter importer,
            IOptions<PeopleOptions> options, CancellationToken ct) =>
        {
            // Refused by its declared length before a byte is read; a body without one is read no further than the limit.
            var limit = options.Value.MaxImportBytes;
            if (request.ContentLength > limit)
            {
                throw new ImportTooLargeException(limit);
            }

            // Issue 17: leavers only on an explicit full=true; partial=true (the old way to say "not full") is still understood.
            if (full == true && partial == true)
            {
                throw new InvalidException("full=true and partial=true contradict each other: send full=true only when the file lists everyone of its kind.");
            }

            if (leavers is < 0)
            {
                throw new InvalidException("leavers must be the number of leavers the check showed (0 or more).");
            }

            var schoolId = await store.ResolveSchoolAsync(school, ct);
            var importKind = ParseKind(kind) ?? throw new InvalidException("Say which export this is: kind=pupils, kind=staff or kind=adults.");
            var csv = await ImportStaging.ReadBoundedAsync(request.Body, limit, ct);
            var report = await importer.ImportAsync(schoolId, new MemoryStream(csv, writable: false), importKind,
                new ImportOptions(DryRun: dryRun ?? false, FullImport: full ?? false, ConfirmedLeavers: leavers), ApiPeople.Actor(request.HttpContext), ct);
            return Results.Ok(report);
        }).Accepts<string>("text/csv");
    }

    internal static ImportKind? ParseKind(string? kind) => kind?.Trim().ToLowerInvariant() switch
    {
        "pupils" or "pupil" => ImportKind.Pupils,
        "staff" => ImportKind.Staff,
        "adults" or "adult" or "others" => ImportKind.Adults,
        _ => null,
    };

    public IEnumerable<Command> Commands(CliServices cli) => [PeopleCommands.Create(cli)];
}
