using System.Security.Claims;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Devices;

/// <summary>
/// <c>/api/v1/devices</c> (issue 14, point 1): the register for the school's own tools, authorised as the portal's API —
/// the installation's API key, or a staff session (whole-school roles and the IT provider) scoped to its own school.
/// Reading is for every API user; a change by a portal session needs a device keeper's role. Bad input is a
/// ProblemDetails answer (400, 404, 409) in words.
/// </summary>
internal static class DevicesApi
{
    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/v1/devices").RequireAuthorization(PortalPolicies.Api).AddEndpointFilterFactory(ApiSchoolScope.Factory);
        api.MapGet("/", ListAsync);
        api.MapGet("/{id}", GetAsync);
        api.MapPost("/", CreateAsync);
        api.MapPatch("/{id}", PatchAsync);
        api.MapPost("/{id}/state", StateAsync);
        api.MapPost("/{id}/attestations", AttestAsync);
        api.MapPost("/import", ImportAsync).Accepts<string>("text/csv");
    }

    private static async Task<IResult> ListAsync(string? school, string? search, string? kind, string? ownership, string? state, string? @class, string? missing, int? page,
        PolicyStore store, DeviceQueries queries, CancellationToken ct)
    {
        var schoolId = await store.ResolveSchoolAsync(school, ct);
        var policy = await store.ActiveAsync(schoolId, ct);
        var result = await queries.PageAsync(schoolId, policy.Devices, new DeviceFilter(search, kind, ownership, state, @class, missing), page ?? 1, ct);
        return Results.Ok(new
        {
            school = schoolId, page = result.Page, pageSize = DeviceQueries.PageSize, total = result.Total, pages = result.Pages,
            devices = result.Items.Select(r => ToJson(r.Device, r.PersonName)),
        });
    }

    private static async Task<IResult> GetAsync(string id, string? school, PolicyStore store, BrightlineDbContext db, DeviceRegister register, CancellationToken ct)
    {
        var device = await FindAsync(db, id, school, ct);
        var policy = await store.ActiveAsync(device.SchoolId, ct);
        var person = device.PersonId is { } p ? await db.People.AsNoTracking().Where(x => x.Id == p).Select(x => x.GivenName + " " + x.FamilyName).FirstOrDefaultAsync(ct) : null;
        var attestations = await register.AttestationsAsync(device.SchoolId, device.Id, ct);
        var history = await register.HistoryAsync(device.SchoolId, device.Id, ct);
        return Results.Ok(new
        {
            device = ToJson(device, person),
            missingAttestations = DeviceSafety.Missing(policy.Devices, device, attestations).Select(m => new { kind = m.Key, requirement = m.Requirement }),
            attestations = attestations.Select(a => new { kind = a.Kind, confirmed = a.Confirmed, at = a.At, by = a.AttestedBy, note = a.Note }),
            history = history.Select(h => new { at = h.At, action = h.Action, detail = h.Detail, actor = h.Actor }),
        });
    }

    private static async Task<IResult> CreateAsync(DeviceJson? body, string? school, HttpContext http, PolicyStore store, DeviceRegister register, CancellationToken ct)
    {
        RequireKeeper(http.User);
        var input = body ?? throw new InvalidException("Send the device as JSON: kind, model and name at least.");
        var schoolId = await store.ResolveSchoolAsync(school, ct);
        var device = await register.AddAsync(schoolId, new DeviceInput(input.AssetTag, input.Serial, input.Kind, input.Model, input.Name, input.Ownership,
            input.PersonId, input.ClassName, input.Location, input.DeviceGroup, input.Macs, input.Notes), ApiPeople.Actor(http), ct);
        return Results.Created($"/api/v1/devices/{device.Id}", new { device = ToJson(device, null) });
    }

    private static async Task<IResult> PatchAsync(string id, DeviceJson? body, string? school, HttpContext http, BrightlineDbContext db, DeviceRegister register, CancellationToken ct)
    {
        RequireKeeper(http.User);
        var patch = body ?? throw new InvalidException("Send the fields to change as JSON.");
        var device = await FindAsync(db, id, school, ct);
        var current = DeviceRegister.ToInput(device);
        var input = new DeviceInput(
            patch.AssetTag ?? current.AssetTag, patch.Serial ?? current.Serial, patch.Kind ?? current.Kind, patch.Model ?? current.Model, patch.Name ?? current.Name,
            patch.Ownership ?? current.Ownership, patch.ClearPerson == true ? null : patch.PersonId ?? current.PersonId, patch.ClassName ?? current.ClassName,
            patch.Location ?? current.Location, patch.DeviceGroup ?? current.DeviceGroup, patch.Macs ?? current.Macs, patch.Notes ?? current.Notes);
        var changes = await register.EditAsync(device.SchoolId, device.Id, input, ApiPeople.Actor(http), ct);
        var updated = await register.FindAsync(device.SchoolId, device.Id, ct);
        return Results.Ok(new { device = ToJson(updated!, null), changes });
    }

    private static async Task<IResult> StateAsync(string id, DeviceStateJson? body, string? school, HttpContext http, BrightlineDbContext db, DeviceRegister register, CancellationToken ct)
    {
        RequireKeeper(http.User);
        var device = await FindAsync(db, id, school, ct);
        var state = DeviceStates.Words.TryParse(body?.State?.Trim(), out var s) ? s
            : throw new InvalidException($"'{body?.State}' is not a device state; use one of {string.Join(", ", DeviceStates.Words.All.Select(x => x.Key()))}.");
        var changed = await register.ChangeStateAsync(device.SchoolId, device.Id, state, ApiPeople.Actor(http), body?.Note, ct, body?.DataWipe);
        return Results.Ok(new { device = ToJson(changed, null) });
    }

    private static async Task<IResult> AttestAsync(string id, DeviceAttestJson? body, string? school, HttpContext http, BrightlineDbContext db, DeviceRegister register, CancellationToken ct)
    {
        RequireKeeper(http.User);
        var device = await FindAsync(db, id, school, ct);
        var a = await register.AttestAsync(device.SchoolId, device.Id, body?.Kind, body?.Confirmed ?? true, body?.Note, ApiPeople.Actor(http), ct);
        return Results.Ok(new { kind = a.Kind, confirmed = a.Confirmed, at = a.At, by = a.AttestedBy, note = a.Note });
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, string? school, bool? dryRun, PolicyStore store, DeviceImporter importer, DeviceImportStaging staging, CancellationToken ct)
    {
        RequireKeeper(request.HttpContext.User);
        if (request.ContentLength > staging.MaxBytes)
        {
            throw new ImportTooLargeException(staging.MaxBytes);
        }

        var schoolId = await store.ResolveSchoolAsync(school, ct);
        var csv = await ImportStaging.ReadBoundedAsync(request.Body, staging.MaxBytes, ct);
        var report = await importer.ImportAsync(schoolId, new MemoryStream(csv, writable: false), dryRun ?? false, ApiPeople.Actor(request.HttpContext), ct);
        return report.Errors.Count > 0
            ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The file has errors; nothing was stored",
                detail: string.Join(" ", report.Errors.Take(20).Select(e => e.ToString() + ".")),
                extensions: new Dictionary<string, object?> { ["errors"] = report.Errors.Select(e => new { row = e.Row, column = e.Column, message = e.Message }) })
            : Results.Ok(report);
    }

    /// <summary>The device by its id; a portal session's school is a filter (another school's device is not found).</summary>
    internal static async Task<Device> FindAsync(BrightlineDbContext db, string id, string? school, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var deviceId))
        {
            throw new InvalidException($"'{id}' is not a device id (expected a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301).", "Malformed id");
        }

        var query = db.Set<Device>().AsNoTracking().Where(d => d.Id == deviceId);
        if (!string.IsNullOrWhiteSpace(school))
        {
            query = query.Where(d => d.SchoolId == school);
        }

        return await query.FirstOrDefaultAsync(ct) ?? throw new NotFoundException($"There is no device {deviceId}.");
    }

    /// <summary>The API key may change the register; a portal session only with a device keeper's role.</summary>
    private static void RequireKeeper(ClaimsPrincipal user)
    {
        var machine = user.Identities.Any(i => i.IsAuthenticated && string.Equals(i.AuthenticationType, ApiKeyAuthenticationHandler.SchemeName, StringComparison.Ordinal));
        if (!machine && !PortalRoles.DeviceKeepers.Any(user.IsInRole))
        {
            throw new ForbiddenException("Only the school's device keepers (admin, head, computing lead, business manager, IT provider) may change the device register.");
        }
    }

    internal static object ToJson(Device d, string? personName) => new
    {
        id = d.Id, school = d.SchoolId, assetTag = d.AssetTag, serial = d.Serial, kind = d.Kind.Key(), model = d.Model, name = d.Name,
        ownership = d.Ownership.Key(), state = d.State.Key(), personId = d.PersonId, personName, className = d.ClassName, location = d.Location,
        deviceGroup = d.DeviceGroup, macs = d.Macs.Split(' ', StringSplitOptions.RemoveEmptyEntries), notes = d.Notes, createdAt = d.CreatedAt, createdBy = d.CreatedBy,
        updatedAt = d.UpdatedAt,
    };
}
