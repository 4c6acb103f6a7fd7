using System.Security.Claims;
using System.Text.Json;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.DeviceRequests;

/// <summary>Registers the requests workflow, its sweep and the API <c>/api/v1/devices/requests</c>.</summary>
public sealed class DeviceRequestsModule : IFeatureModule
{
    public const string ApiPath = "/api/v1/devices/requests";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddScoped<DeviceRequestService>();
        services.TryAddScoped<DeviceRequestNotifier>();
        services.TryAddScoped<DeviceRequestSweep>();
        if (configuration.GetValue("Brightline:DeviceRequests:Worker", true))
        {
            services.AddHostedService<DeviceRequestWorker>();
        }
    }

    public IEnumerable<System.CommandLine.Command> Commands(CliServices cli) => [DeviceRequestsCommands.Create(cli)];

    public void MapEndpoints(WebApplication app)
    {
        var api = app.MapGroup(ApiPath).RequireAuthorization(PortalPolicies.Api).AddEndpointFilterFactory(ApiSchoolScope.Factory);

        // The school's requests for a decider, else the caller's own; a machine key reads none (requests are people's).
        api.MapGet("/", async (HttpContext context, string? state, string? search, int? page, DeviceRequestService requests, BrightlineDbContext db, CancellationToken ct) =>
        {
            var actor = await ActorAsync(context, db, ct);
            var list = await requests.ListAsync(actor, all: true, state, search, page ?? 1, ct);
            return Results.Ok(new
            {
                school = actor.SchoolId,
                page = list.Page,
                pageSize = PortalHtml.PageSize,
                total = list.Total,
                requests = list.Items.Select(r => ToJson(r.Request, r.PersonName)),
            });
        });

        api.MapGet("/{id:guid}", async (HttpContext context, Guid id, DeviceRequestService requests, BrightlineDbContext db, CancellationToken ct) =>
        {
            var actor = await ActorAsync(context, db, ct);
            var request = await requests.FindAsync(actor.SchoolId, id, ct);
            if (request is null || !await requests.MayReadAsync(actor, request, ct))
            {
                throw new NotFoundException("There is no such device request.");
            }

            var name = await db.People.AsNoTracking().Where(p => p.Id == request.PersonId).Select(p => p.GivenName + " " + p.FamilyName).FirstAsync(ct);
            return Results.Ok(ToJson(request, name));
        });

        api.MapPost("/", async (HttpContext context, DeviceRequestService requests, BrightlineDbContext db, CancellationToken ct) =>
        {
            var actor = await ActorAsync(context, db, ct);
            var body = await ReadAsync<AskBody>(context, "{\"personId\": \"…\", \"kind\": \"personal_device\", \"deviceKind\": \"phone\", \"description\": \"…\", \"reason\": \"…\", \"attestations\": [\"passcode\"], \"agreed\": true}", ct);
            if (body.PersonId is not { } personId)
            {
                throw new InvalidException("Say whose device it is in \"personId\".");
            }

            var created = await requests.AskAsync(actor, new NewDeviceRequest(personId, body.Kind, body.DeviceKind, body.Description, body.MakeModel, body.Serial,
                body.Macs, body.Reason, body.Attestations, body.Renews, body.Agreed == true), ct);
            var name = await db.People.AsNoTracking().Where(p => p.Id == created.PersonId).Select(p => p.GivenName + " " + p.FamilyName).FirstAsync(ct);
            return Results.Created(new Uri($"{ApiPath}/{created.Id}", UriKind.Relative), ToJson(created, name));
        });

        api.MapPost("/{id:guid}/approve", (HttpContext context, Guid id, DeviceRequestService requests, BrightlineDbContext db, CancellationToken ct) =>
            DecideAsync(context, id, true, requests, db, ct));
        api.MapPost("/{id:guid}/refuse", (HttpContext context, Guid id, DeviceRequestService requests, BrightlineDbContext db, CancellationToken ct) =>
            DecideAsync(context, id, false, requests, db, ct));

        // H3, W3, F5: an approver withdraws an approval in force before it runs out, with a reason (as expiry does).
        api.MapPost("/{id:guid}/withdraw", async (HttpContext context, Guid id, DeviceRequestService requests, BrightlineDbContext db, CancellationToken ct) =>
        {
            var actor = await ActorAsync(context, db, ct);
            var body = context.Request.ContentLength is 0 ? new WithdrawBody(null) : await ReadAsync<WithdrawBody>(context, "{\"reason\": \"…\"}", ct);
            var withdrawn = await requests.WithdrawApprovalAsync(actor, id, body.Reason, ct);
            var name = await db.People.AsNoTracking().Where(p => p.Id == withdrawn.PersonId).Select(p => p.GivenName + " " + p.FamilyName).FirstAsync(ct);
            return Results.Ok(ToJson(withdrawn, name));
        });
    }

    private static async Task<IResult> DecideAsync(HttpContext context, Guid id, bool approve, DeviceRequestService requests, BrightlineDbContext db, CancellationToken ct)
    {
        var actor = await ActorAsync(context, db, ct);
        var body = context.Request.ContentLength is 0 ? new DecideBody(null) : await ReadAsync<DecideBody>(context, "{\"note\": \"…\"}", ct);
        var decided = await requests.DecideAsync(actor, id, approve, body.Note, ct);
        var name = await db.People.AsNoTracking().Where(p => p.Id == decided.PersonId).Select(p => p.GivenName + " " + p.FamilyName).FirstAsync(ct);
        return Results.Ok(ToJson(decided, name));
    }

    /// <summary>The signed-in caller as the workflow knows them; a machine key is refused, because a request is asked and decided by a person.</summary>
    internal static async Task<DeviceRequestActor> ActorAsync(HttpContext context, BrightlineDbContext db, CancellationToken ct)
    {
        var user = context.User;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var school = user.FindFirstValue(PortalClaims.School);
        if (userId is null || school is null)
        {
            throw new ForbiddenException("Device requests are asked for and decided by a person signed in to the portal, not with an API key.");
        }

        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.DisplayName, u.Email, u.UserName }).FirstOrDefaultAsync(ct);
        var personId = Guid.TryParse(user.FindFirstValue(PortalClaims.Person), out var p) ? p : (Guid?)null;
        var personName = personId is { } pid ? await db.People.AsNoTracking().Where(x => x.Id == pid).Select(x => x.GivenName + " " + x.FamilyName).FirstOrDefaultAsync(ct) : null;
        var userName = user.Identity?.Name ?? account?.UserName ?? userId;
        return new DeviceRequestActor(school, userId, userName, personName ?? account?.DisplayName ?? userName, account?.Email, personId,
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList());
    }

    private static async Task<T> ReadAsync<T>(HttpContext context, string example, CancellationToken ct)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, s_json, ct) ?? throw new InvalidException($"Send a JSON body like {example}.");
        }
        catch (JsonException)
        {
            throw new InvalidException($"The body is not valid JSON. Send {example}.");
        }
    }

    private static object ToJson(DeviceRequest r, string personName) => new
    {
        id = r.Id,
        personId = r.PersonId,
        person = personName,
        kind = r.Kind,
        deviceKind = r.DeviceKind.Key(),
        description = r.Description,
        makeModel = r.MakeModel,
        serial = r.Serial,
        macs = r.Macs.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        reason = r.Reason,
        attestations = r.Attestations.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        attestedBy = r.AttestedBy,
        requestedBy = r.RequestedByName,
        requestedAs = r.RequestedAs,
        requirement = r.Requirement,
        state = r.State.Key(),
        createdAt = r.CreatedAt,
        decidedBy = r.DecidedBy,
        decidedAt = r.DecidedAt,
        decisionNote = r.DecisionNote,
        expiresAt = r.ExpiresAt,
        deviceId = r.DeviceId,
        renews = r.RenewsRequestId,
        agreement = r.AgreementText,
        agreedAt = r.AgreementAcceptedAt,
        agreedBy = r.AgreementAcceptedBy,
    };

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private sealed record AskBody(Guid? PersonId, string? Kind, string? DeviceKind, string? Description, string? MakeModel, string? Serial, string? Macs,
        string? Reason, IReadOnlyList<string>? Attestations, Guid? Renews, bool? Agreed);

    private sealed record DecideBody(string? Note);

    private sealed record WithdrawBody(string? Reason);
}
