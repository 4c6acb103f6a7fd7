using System.Text;
using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;

namespace Brightline.LostProperty;

/// <summary>
/// <c>/api/v1/devices/found</c> (H15) and <c>/api/v1/devices/{id}/report-lost</c> (F7): lost property and lost-or-stolen
/// reports for other systems, authorised as the register's API — the installation's API key (naming the school), or a
/// staff session in its own school with the roles the portal's pages ask: lost property is the device keepers';
/// a report of loss is a keeper's for any device and anyone's for a device assigned to them. Bad input is a
/// ProblemDetails answer in words; another school's record is not found.
/// <para>
/// Signatures stay signatures: the custodian signs for a found device, and the member of staff handing one back
/// witnesses, with their own password (as on the portal). Through the API the signer can only be the caller — a
/// signed-in member of staff sending their own password — because a program cannot type someone else's; so the API
/// key cannot take these two steps (403), and they are done on the portal when the custodian is not at the keyboard.
/// </para>
/// </summary>
internal static class LostPropertyApi
{
    public const string Prefix = "/api/v1/devices/found";

    /// <summary>A device found on site (the portal's "log a found device" form).</summary>
    public sealed record FoundBody(string? Kind, string? Description, string? Serial, string? FoundWhere, DateTimeOffset? FoundAt, string? FoundBy);

    /// <summary>The caller's own password: they are the custodian signing for the device.</summary>
    public sealed record CustodyBody(string? Password);

    /// <summary>The owner's typed full name, and the caller's own password as witness.</summary>
    public sealed record ReturnBody(string? OwnerName, string? Password);

    /// <summary>How the data was wiped and by whom; <c>confirm: true</c> because disposal cannot be undone.</summary>
    public sealed record DisposeBody(string? WipeMethod, string? WipedBy, string? Note, bool? Confirm);

    /// <summary>F7: lost or stolen, and what happened.</summary>
    public sealed record ReportBody(bool? Stolen, string? Circumstances);

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup(Prefix).RequireAuthorization(PortalPolicies.Api).AddEndpointFilterFactory(ApiSchoolScope.Factory);
        api.MapGet("/", ListAsync);
        api.MapPost("/", LogAsync);
        api.MapGet("/{id}", GetAsync);
        api.MapPost("/{id}/custody", CustodyAsync);
        api.MapPost("/{id}/return", ReturnAsync);
        api.MapPost("/{id}/dispose", DisposeAsync);
        app.MapGroup("/api/v1/devices").RequireAuthorization(PortalPolicies.Api).AddEndpointFilterFactory(ApiSchoolScope.Factory)
            .MapPost("/{id}/report-lost", ReportLostAsync);
    }

    /// <summary>What a caller who is not a device keeper is told they may not use.</summary>
    private const string What = "lost property";

    [AuditedExport("lost property")]
    private static async Task<IResult> ListAsync(string? school, string? tab, string? search, int? page, string? format, HttpContext http,
        PolicyStore store, LostPropertyService service, CancellationToken ct)
    {
        var schoolId = await DeviceApiCaller.KeeperSchoolAsync(http, store, school, What, ct);
        if (tab is not null && LostPropertyTabs.All.All(t => !string.Equals(t.Key, tab, StringComparison.Ordinal)))
        {
            throw new InvalidException($"'{tab}' is not a lost-property tab; use one of {string.Join(", ", LostPropertyTabs.All.Select(t => t.Key))}.");
        }

        var normalised = LostPropertyTabs.Normalise(tab);
        if (DeviceApiCaller.WantsCsv(format))
        {
            var csv = await LostPropertyCsv.WriteAsync(service, schoolId, normalised, search, ct);
            return Results.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"lost-property-{normalised}.csv");
        }

        var result = await service.ListAsync(schoolId, normalised, search, page ?? 1, ct);
        return Results.Ok(new
        {
            school = schoolId, tab = normalised, page = result.Page, pageSize = PortalHtml.PageSize, total = result.Total, pages = result.Pages,
            devices = result.Items.Select(r => ToJson(r.Device, r.Found)),
        });
    }

    private static async Task<IResult> GetAsync(string id, string? school, HttpContext http, PolicyStore store, LostPropertyService service, CancellationToken ct)
    {
        var view = await FindAsync(id, school, http, store, service, ct);
        return Results.Ok(new
        {
            device = ToJson(view.Device, view.Found),
            due = view.IsDue,
            history = view.History.Select(h => new { at = h.At, action = h.Action, detail = h.Detail, actor = h.Actor }),
        });
    }

    private static async Task<IResult> LogAsync(FoundBody? body, string? school, HttpContext http, PolicyStore store, LostPropertyService service, CancellationToken ct)
    {
        DeviceApiCaller.RequireKeeper(http.User, What);
        var input = body ?? throw new InvalidException("Send the found device as JSON: description, foundWhere and foundBy at least.");
        if (input.Kind is { Length: > 0 } kind && !DeviceKinds.Words.TryParse(kind.Trim(), out _))
        {
            throw new InvalidException($"'{kind}' is not a kind of device; use one of {string.Join(", ", DeviceKinds.Words.All.Select(k => k.Key()))}, or leave it out.");
        }

        var actor = await ActorAsync(http, store, school, ct);
        var device = await service.LogFoundAsync(actor, new NewFoundDevice(input.Kind?.Trim(), input.Description, input.Serial, input.FoundWhere, input.FoundAt, input.FoundBy), ct);
        var view = await service.FindAsync(actor.SchoolId, device.Id, ct);
        return Results.Created(new Uri($"{Prefix}/{device.Id}", UriKind.Relative), new { device = ToJson(view!.Device, view.Found) });
    }

    private static async Task<IResult> CustodyAsync(string id, CustodyBody? body, string? school, HttpContext http, PolicyStore store, LostPropertyService service, CancellationToken ct)
    {
        var view = await FindAsync(id, school, http, store, service, ct);
        var actor = await SignerAsync(http, store, view.Device.SchoolId, "sign for a found device as its custodian", ct);
        await service.HandToCustodianAsync(actor, view.Device.Id, actor.UserName, body?.Password, ct);
        return await AfterAsync(service, actor.SchoolId, view.Device.Id, ct);
    }

    private static async Task<IResult> ReturnAsync(string id, ReturnBody? body, string? school, HttpContext http, PolicyStore store, LostPropertyService service, CancellationToken ct)
    {
        var view = await FindAsync(id, school, http, store, service, ct);
        var actor = await SignerAsync(http, store, view.Device.SchoolId, "witness a found device handed back to its owner", ct);
        await service.ReturnToOwnerAsync(actor, view.Device.Id, body?.OwnerName, body?.Password, ct);
        return await AfterAsync(service, actor.SchoolId, view.Device.Id, ct);
    }

    private static async Task<IResult> DisposeAsync(string id, DisposeBody? body, string? school, HttpContext http, PolicyStore store, LostPropertyService service, CancellationToken ct)
    {
        var view = await FindAsync(id, school, http, store, service, ct);
        var actor = await ActorAsync(http, store, view.Device.SchoolId, ct);
        if (body?.Confirm != true)
        {
            // The portal's tick box: an explicit yes, so a retried or half-built request never disposes of a device.
            throw new InvalidException("Send \"confirm\": true to dispose of the device; this cannot be undone.");
        }

        await service.DisposeAsync(actor, view.Device.Id, body.WipeMethod, body.WipedBy, body.Note, confirmed: true, ct);
        return await AfterAsync(service, actor.SchoolId, view.Device.Id, ct);
    }

    /// <summary>F7: as the portal's "report lost or stolen" — keepers any device of the school, anyone else a device assigned to them.</summary>
    private static async Task<IResult> ReportLostAsync(string id, ReportBody? body, string? school, HttpContext http, PolicyStore store, LostStolenService service, CancellationToken ct)
    {
        var deviceId = DeviceApiCaller.ParseId(id, "device");
        var actor = await ActorAsync(http, store, school, ct);
        var keeper = DeviceApiCaller.IsKeeper(http.User);
        _ = await service.FindReportableAsync(actor, keeper, deviceId, ct) ?? throw new NotFoundException($"There is no device {deviceId} that you may report.");
        if (body?.Stolen is not { } stolen)
        {
            throw new InvalidException("Say whether the device was lost or stolen: \"stolen\": true or false.");
        }

        var outcome = await service.ReportAsync(actor, keeper, deviceId, stolen, body.Circumstances, ct);
        return Results.Ok(new
        {
            device = deviceId,
            state = stolen ? "stolen" : "lost",
            incident = outcome.IncidentId,
            incidentProblem = outcome.IncidentProblem,
            emailed = outcome.Emailed,
            disconnects = outcome.Disconnects,
        });
    }

    private static async Task<FoundDeviceView> FindAsync(string id, string? school, HttpContext http, PolicyStore store, LostPropertyService service, CancellationToken ct)
    {
        var schoolId = await DeviceApiCaller.KeeperSchoolAsync(http, store, school, What, ct);
        var deviceId = DeviceApiCaller.ParseId(id, "found device");
        return await service.FindAsync(schoolId, deviceId, ct) ?? throw new NotFoundException($"There is no device {deviceId} in lost property.");
    }

    private static async Task<LostPropertyActor> ActorAsync(HttpContext http, PolicyStore store, string? school, CancellationToken ct) =>
        new(await store.ResolveSchoolAsync(school, ct), DeviceApiCaller.UserId(http), DeviceApiCaller.Name(http), DeviceApiCaller.PersonId(http));

    /// <summary>A signature is the caller's own password: a staff session, never the API key (which has no password to give).</summary>
    private static async Task<LostPropertyActor> SignerAsync(HttpContext http, PolicyStore store, string schoolId, string what, CancellationToken ct)
    {
        if (DeviceApiCaller.IsMachine(http.User))
        {
            throw new ForbiddenException($"The API key cannot {what}: it is signed with a person's own password. Sign in as that person, or use the portal.");
        }

        return await ActorAsync(http, store, schoolId, ct);
    }

    private static async Task<IResult> AfterAsync(LostPropertyService service, string schoolId, Guid id, CancellationToken ct)
    {
        var view = await service.FindAsync(schoolId, id, ct);
        return Results.Ok(new { device = ToJson(view!.Device, view.Found) });
    }

    internal static object ToJson(Device d, FoundDevice f) => new
    {
        id = d.Id, school = d.SchoolId, description = d.Model, name = d.Name, kind = d.Kind.Key(), serial = d.Serial, state = d.State.Key(),
        foundAt = f.FoundAt, foundWhere = f.FoundWhere, foundBy = f.FoundBy, loggedBy = f.LoggedBy, loggedAt = f.LoggedAt,
        custodian = f.CustodianName, custodianAt = f.CustodianAt, holdUntil = f.HoldUntil, holdRule = f.HoldRule, listedForDisposalAt = f.DueNotifiedAt,
        outcome = f.Outcome?.Key(), closedAt = f.ClosedAt, closedBy = f.ClosedBy, returnedTo = f.ReturnedTo, witnessedBy = f.WitnessedBy,
        wipeMethod = f.WipeMethod, wipedBy = f.WipedBy, disposalNote = f.DisposalNote,
    };
}
