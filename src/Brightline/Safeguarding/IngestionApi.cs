using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Brightline.ClientBindings;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Safeguarding;

/// <summary>
/// <c>POST /api/v1/monitoring/events</c> and <c>GET /api/v1/monitoring/notice</c>. A batch is parsed in
/// full, each event validated on its own, the good ones committed in one transaction by
/// <see cref="IngestionWriter"/> (duplicates by client event ID skipped by the unique index), and only
/// then answered — so a 200 means every "accepted" event is stored. Scoring and alerts happen after the
/// answer, in <see cref="ScoringWorker"/>, so a request never waits for them.
/// </summary>
public static class IngestionApi
{
    public const string EventsPath = "/api/v1/monitoring/events";
    public const string NoticePath = "/api/v1/monitoring/notice";

    public static WebApplication MapMonitoringApi(this WebApplication app)
    {
        app.MapPost(EventsPath, PostEventsAsync).RequireAuthorization(SafeguardingModule.DevicePolicy).DisableAntiforgery();
        app.MapGet(NoticePath, GetNoticeAsync).RequireAuthorization(SafeguardingModule.DevicePolicy);
        return app;
    }

    private static async Task<IResult> GetNoticeAsync(HttpContext context, PolicyStore policies, CancellationToken cancellationToken)
    {
        var school = context.User.FindFirstValue(DeviceClaims.School)!;
        var settings = MonitoringSettings.From(await policies.ActiveAsync(school, cancellationToken));
        return Results.Ok(new { notice = settings.Notice });
    }

    private static async Task<IResult> PostEventsAsync(
        HttpContext context,
        BrightlineDbContext db,
        IngestionWriter writer,
        ScoringWorker scoring,
        DnsClientBindings bindings,
        PolicyStore policies,
        TimeProvider time,
        Microsoft.Extensions.Options.IOptions<IngestionOptions> options,
        CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var school = context.User.FindFirstValue(DeviceClaims.School)!;
        var deviceId = Guid.Parse(context.User.FindFirstValue(DeviceClaims.Device)!);

        if (context.Request.ContentLength > limits.MaxBodyBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Batch too large", $"The body is {context.Request.ContentLength:N0} bytes; the limit is {limits.MaxBodyBytes:N0} bytes. Send fewer events per batch.");
        }

        if (context.Request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "JSON required", "Send the batch as application/json.");
        }

        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > limits.MaxBodyBytes)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge, "Batch too large", $"The body is larger than the limit of {limits.MaxBodyBytes:N0} bytes. Send fewer events per batch.");
            }

            body.Write(buffer, 0, read);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return Problem(StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("events", out var events)
                || events.ValueKind != JsonValueKind.Array)
            {
                return Problem(StatusCodes.Status400BadRequest, "Malformed batch", "The body must be a JSON object with an \"events\" array.");
            }

            var canScreenshot = document.RootElement.TryGetProperty("canScreenshot", out var can) && can.ValueKind == JsonValueKind.True;
            var count = events.GetArrayLength();
            if (count == 0)
            {
                return Problem(StatusCodes.Status400BadRequest, "Empty batch", "The \"events\" array is empty.");
            }

            if (count > limits.MaxEvents)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge, "Batch too large", $"The batch has {count:N0} events; the limit is {limits.MaxEvents:N0}.");
            }

            var now = StoredTime.Now(time);
            var remote = context.Connection.RemoteIpAddress;
            var results = new EventResult?[count];
            var parsed = new List<(int Index, MonitoringEvent Event)>(count);
            var index = 0;
            foreach (var element in events.EnumerateArray())
            {
                var (evt, error) = EventParser.Parse(element, school, deviceId, now, limits);
                if (evt is null)
                {
                    results[index] = new EventResult(index, EventParser.IdOf(element), "rejected", error);
                }
                else
                {
                    parsed.Add((index, evt));
                }

                index++;
            }

            // The person: named by the agent (and known at this school), or whoever signed in from the address.
            var named = parsed.Where(p => p.Event.PersonId is not null).Select(p => p.Event.PersonId!.Value).Distinct().ToList();
            var known = named.Count == 0 ? [] : (await db.People.AsNoTracking().Where(p => p.SchoolId == school && named.Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken)).ToHashSet();
            foreach (var (i, evt) in parsed.ToList())
            {
                if (evt.PersonId is { } pid && !known.Contains(pid))
                {
                    results[i] = new EventResult(i, evt.ClientEventId, "rejected", "person: no such person at this school.");
                    parsed.RemoveAll(p => p.Index == i);
                    continue;
                }

                if (evt.PersonId is null)
                {
                    var address = evt.ClientAddress is { } a && IPAddress.TryParse(a, out var ip) ? ip : remote;
                    if (address is not null && bindings.Find(address) is { } binding && string.Equals(binding.SchoolId, school, StringComparison.Ordinal))
                    {
                        evt.PersonId = binding.PersonId;
                    }
                }
            }

            // Never capture what the policy excludes (monitoring: excluded_sites): the extension already leaves these
            // out, and this is the defence in depth for an older or other client. Dropped, not stored, and answered
            // "excluded" so the client does not send them again.
            MonitoringSettings? settings = null;
            if (parsed.Exists(p => p.Event.Url is not null))
            {
                settings = MonitoringSettings.From(await policies.ActivePolicyAsync(school, cancellationToken));
                foreach (var (i, evt) in parsed.ToList())
                {
                    if (settings.Excludes(evt.Url))
                    {
                        results[i] = new EventResult(i, evt.ClientEventId, "excluded");
                        parsed.RemoveAll(p => p.Index == i);
                    }
                }
            }

            // Duplicates within the batch, then against what is stored.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (i, evt) in parsed.ToList())
            {
                if (!seen.Add(evt.ClientEventId))
                {
                    results[i] = new EventResult(i, evt.ClientEventId, "duplicate");
                    parsed.RemoveAll(p => p.Index == i);
                }
            }

            // Durable first (committed before the answer), scored after: the background worker is told there is work.
            var stored = await writer.StoreAsync(school, deviceId, parsed.Select(p => p.Event).ToList(), now, cancellationToken);
            foreach (var (i, evt) in parsed)
            {
                results[i] = new EventResult(i, evt.ClientEventId, stored.Contains(evt.ClientEventId) ? "accepted" : "duplicate");
            }

            // A client that can take screenshots (the browser extension) is asked for one of the tab of each event just
            // stored that scores critical on its own (issue 12, point 4; O9). Asked here, not after scoring, so the
            // page is still on screen; the scoring worker links the screenshot to the alert.
            var screenshots = new List<string>();
            if (stored.Count > 0 && canScreenshot)
            {
                settings ??= MonitoringSettings.From(await policies.ActivePolicyAsync(school, cancellationToken));
                var exceptions = await SchoolExceptionLibrary.ApprovedAsync(db, school, cancellationToken);
                var critical = parsed.Select(p => p.Event)
                    .Where(e => stored.Contains(e.ClientEventId) && e.Url is not null && AlertProcessor.IsCritical(e.Title, e.Query, e.Text, settings, exceptions))
                    .Select(e => e.ClientEventId).ToList();
                if (critical.Count > 0)
                {
                    var ids = await db.Set<MonitoringEvent>().AsNoTracking()
                        .Where(e => e.SchoolId == school && e.DeviceId == deviceId && critical.Contains(e.ClientEventId))
                        .Select(e => e.Id).ToListAsync(cancellationToken);
                    await MonitoringScreenshots.RequestAsync(db, school, ids, cancellationToken);
                    screenshots.AddRange(critical);
                }
            }

            if (stored.Count > 0)
            {
                scoring.Notify();
            }

            var list = results.Select(r => r!).ToList();
            return Results.Ok(new BatchResult(
                list.Count(r => string.Equals(r.Status, "accepted", StringComparison.Ordinal)),
                list.Count(r => string.Equals(r.Status, "duplicate", StringComparison.Ordinal)),
                list.Count(r => string.Equals(r.Status, "rejected", StringComparison.Ordinal)),
                list.Count(r => string.Equals(r.Status, "excluded", StringComparison.Ordinal)),
                screenshots,
                list));
        }
    }

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = EventsPath });
}
