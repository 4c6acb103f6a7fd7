using System.Text;
using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;

namespace Brightline.Leavers;

/// <summary>
/// <c>/api/v1/devices/leavers</c> (C19): leavers' and long absences' equipment checklists for other systems (an MIS or
/// HR sync opening a checklist when someone leaves), authorised as the register's API — the installation's API key
/// naming the school, or a device keeper's staff session in its own school (the portal's leavers pages are the
/// keepers'). Bad input is a ProblemDetails answer in words; another school's checklist is not found.
/// </summary>
internal static class LeaversApi
{
    public const string Prefix = "/api/v1/devices/leavers";

    /// <summary>
    /// Whom (<c>personId</c>, or <c>person</c>: their MIS number or full name, as the portal's form takes it), why
    /// (<c>leaving</c> or <c>long_absence</c>) and when (dd/MM/yyyy is not needed: ISO dates, 2026-11-24).
    /// </summary>
    public sealed record OpenBody(Guid? PersonId, string? Person, string? Reason, DateOnly? StartsOn, DateOnly? EndsOn);

    /// <summary>What happened to the line: returned, data_removed or written_off (with a reason).</summary>
    public sealed record CloseBody(string? Outcome, string? Note);

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup(Prefix).RequireAuthorization(PortalPolicies.Api).AddEndpointFilterFactory(ApiSchoolScope.Factory);
        api.MapGet("/", ListAsync);
        api.MapPost("/", OpenAsync);
        api.MapGet("/{id}", GetAsync);
        api.MapPost("/{id}/items/{itemId}/close", CloseAsync);
    }

    /// <summary>What a caller who is not a device keeper is told they may not use.</summary>
    private const string What = "the leavers' checklists";

    [AuditedExport("leavers' checklists")]
    private static async Task<IResult> ListAsync(string? school, string? status, string? search, int? page, string? format, HttpContext http,
        PolicyStore store, LeaversService service, CancellationToken ct)
    {
        var schoolId = await DeviceApiCaller.KeeperSchoolAsync(http, store, school, What, ct);
        var closed = status?.Trim().ToLowerInvariant() switch
        {
            null or "" or "open" => false,
            "closed" => true,
            _ => throw new InvalidException($"'{status}' is not a checklist status; use status=open (the default) or status=closed."),
        };
        if (DeviceApiCaller.WantsCsv(format))
        {
            var csv = await LeaversCsv.WriteAsync(service, schoolId, closed, search, ct);
            return Results.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", closed ? "leavers-closed.csv" : "leavers-open.csv");
        }

        var result = await service.ListAsync(schoolId, closed, search, page ?? 1, ct);
        return Results.Ok(new
        {
            school = schoolId, status = closed ? "closed" : "open", page = result.Page, pageSize = PortalHtml.PageSize, total = result.Total, pages = result.Pages,
            checklists = result.Items.Select(r => new
            {
                id = r.Checklist.Id, personId = r.Checklist.PersonId, person = r.PersonName, reason = r.Checklist.Reason.Key(), startsOn = r.Checklist.StartsOn,
                endsOn = r.Checklist.EndsOn, openedAt = r.Checklist.OpenedAt, openedBy = r.Checklist.OpenedBy, closedAt = r.Checklist.ClosedAt,
                items = r.Total, open = r.Open,
            }),
        });
    }

    private static async Task<IResult> GetAsync(string id, string? school, HttpContext http, PolicyStore store, LeaversService service, CancellationToken ct)
    {
        var view = await FindAsync(id, school, http, store, service, ct);
        return Results.Ok(ToJson(view));
    }

    private static async Task<IResult> OpenAsync(OpenBody? body, string? school, HttpContext http, PolicyStore store, LeaversService service, CancellationToken ct)
    {
        var schoolId = await DeviceApiCaller.KeeperSchoolAsync(http, store, school, What, ct);
        var input = body ?? throw new InvalidException("Send the checklist as JSON: personId (or person), reason, and for a long absence startsOn and endsOn.");
        var reason = LeaverReasons.Words.TryParse(input.Reason?.Trim(), out var r) ? r
            : throw new InvalidException($"'{input.Reason}' is not a reason; use leaving or long_absence.");
        Guid personId;
        if (input.PersonId is { } given)
        {
            personId = given;
        }
        else
        {
            var matches = await service.MatchPeopleAsync(schoolId, input.Person, ct);
            personId = matches.Count == 1 ? matches[0].Id : throw new InvalidException(
                string.IsNullOrWhiteSpace(input.Person) ? "Say whose checklist it is: personId, or person (their MIS number or full name)."
                : matches.Count == 0 ? $"Nobody at the school has the name or MIS number '{input.Person.Trim()}'."
                : $"More than one person is called '{input.Person.Trim()}'; send their personId or MIS number instead.");
        }

        var checklist = await service.OpenAsync(new LeaversActor(schoolId, DeviceApiCaller.Name(http)), personId, reason, input.StartsOn, input.EndsOn, ct);
        var view = await service.FindAsync(schoolId, checklist.Id, ct);
        return Results.Created(new Uri($"{Prefix}/{checklist.Id}", UriKind.Relative), ToJson(view!));
    }

    private static async Task<IResult> CloseAsync(string id, string itemId, CloseBody? body, string? school, HttpContext http, PolicyStore store, LeaversService service, CancellationToken ct)
    {
        var view = await FindAsync(id, school, http, store, service, ct);
        if (!long.TryParse(itemId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var item))
        {
            throw new InvalidException($"'{itemId}' is not a line of the checklist (expected its number, as the checklist lists it).", "Malformed id");
        }

        var schoolId = view.Checklist.SchoolId;
        await service.CloseItemAsync(new LeaversActor(schoolId, DeviceApiCaller.Name(http)), view.Checklist.Id, item, body?.Outcome?.Trim(), body?.Note, ct);
        return Results.Ok(ToJson((await service.FindAsync(schoolId, view.Checklist.Id, ct))!));
    }

    private static async Task<LeaverChecklistView> FindAsync(string id, string? school, HttpContext http, PolicyStore store, LeaversService service, CancellationToken ct)
    {
        var schoolId = await DeviceApiCaller.KeeperSchoolAsync(http, store, school, What, ct);
        var checklistId = DeviceApiCaller.ParseId(id, "checklist");
        return await service.FindAsync(schoolId, checklistId, ct) ?? throw new NotFoundException($"There is no checklist {checklistId}.");
    }

    private static object ToJson(LeaverChecklistView v) => new
    {
        id = v.Checklist.Id, school = v.Checklist.SchoolId, personId = v.Person.Id, person = v.Person.FullName, reason = v.Checklist.Reason.Key(),
        startsOn = v.Checklist.StartsOn, endsOn = v.Checklist.EndsOn, openedAt = v.Checklist.OpenedAt, openedBy = v.Checklist.OpenedBy,
        notifiedAt = v.Checklist.NotifiedAt, closedAt = v.Checklist.ClosedAt,
        items = v.Items.Select(i => new
        {
            id = i.Id, kind = i.Kind.Key(), deviceId = i.DeviceId, loanId = i.LoanId, description = i.Description, outcome = i.Outcome?.Key(),
            note = i.Note, closedAt = i.ClosedAt, closedBy = i.ClosedBy,
        }),
    };
}
