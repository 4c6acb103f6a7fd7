using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Dns.Host;
using Brightline.Hosting;
using Brightline.Policies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Monitoring.Host;

/// <summary>The outcome of one event of a batch, by its index in the batch.</summary>
public sealed record EventResult(int Index, string? Id, string Status, string? Error = null);

public sealed record BatchResult(int Accepted, int Duplicates, int Rejected, IReadOnlyList<EventResult> Results);

/// <summary>Limits on what one request may carry.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Brightline:Monitoring:Ingestion";

    /// <summary>Events one batch may carry.</summary>
    [Range(1, 100_000)]
    public int MaxEvents { get; set; } = 1000;

    /// <summary>The largest request body accepted.</summary>
    [Range(1, int.MaxValue)]
    public int MaxBodyBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>The largest screenshot one event may carry.</summary>
    [Range(1, int.MaxValue)]
    public int MaxScreenshotBytes { get; set; } = 1024 * 1024;
}

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
        app.MapPost(EventsPath, PostEventsAsync).RequireAuthorization(MonitoringSetup.DevicePolicy).DisableAntiforgery();
        app.MapGet(NoticePath, GetNoticeAsync).RequireAuthorization(MonitoringSetup.DevicePolicy);
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

            if (stored.Count > 0)
            {
                scoring.Notify();
            }

            var list = results.Select(r => r!).ToList();
            return Results.Ok(new BatchResult(
                list.Count(r => string.Equals(r.Status, "accepted", StringComparison.Ordinal)),
                list.Count(r => string.Equals(r.Status, "duplicate", StringComparison.Ordinal)),
                list.Count(r => string.Equals(r.Status, "rejected", StringComparison.Ordinal)),
                list));
        }
    }

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = EventsPath });
}

/// <summary>Validates one event of a batch; every problem is named by its field.</summary>
internal static class EventParser
{
    private static readonly string KindList = string.Join(", ", MonitoringEventKinds.Words.All.Select(k => k.Key()));

    public static string? IdOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? Clip(id.GetString(), 100) : null;

    public static (MonitoringEvent? Event, string? Error) Parse(JsonElement e, string school, Guid deviceId, DateTimeOffset now, IngestionOptions limits)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return (null, "An event must be a JSON object.");
        }

        if (!Text(e, "id", 100, out var id, out var error) || id is null)
        {
            return (null, error ?? "id: required (the client's own unique ID for the event).");
        }

        if (!Text(e, "kind", 16, out var kindText, out error) || !MonitoringEventKinds.Words.TryParse(kindText, out var kind))
        {
            return (null, error ?? $"kind: must be one of {KindList}.");
        }

        if (!Text(e, "occurredAt", 40, out var at, out error) || at is null)
        {
            return (null, error ?? "occurredAt: required (ISO 8601 with an offset, e.g. 2026-11-25T10:00:00Z).");
        }

        if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var occurred))
        {
            return (null, "occurredAt: not an ISO 8601 time.");
        }

        occurred = StoredTime.Truncate(occurred);
        if (occurred > now.AddMinutes(10))
        {
            return (null, "occurredAt: is in the future (check the device's clock).");
        }

        if (!Text(e, "url", 2048, out var url, out error)
            || !Text(e, "title", 1000, out var title, out error)
            || !Text(e, "query", 1000, out var query, out error)
            || !Text(e, "text", 10000, out var text, out error)
            || !Text(e, "application", 200, out var application, out error)
            || !Text(e, "clientAddress", 64, out var clientAddress, out error)
            || !Text(e, "person", 64, out var person, out error))
        {
            return (null, error);
        }

        Guid? personId = null;
        if (person is not null)
        {
            if (!Guid.TryParse(person, out var pid))
            {
                return (null, "person: not a person ID.");
            }

            personId = pid;
        }

        if (clientAddress is not null && !IPAddress.TryParse(clientAddress, out _))
        {
            return (null, "clientAddress: not an IP address.");
        }

        string? screenshotType = null;
        byte[]? screenshot = null;
        if (e.TryGetProperty("screenshot", out var shot) && shot.ValueKind != JsonValueKind.Null)
        {
            if (shot.ValueKind != JsonValueKind.String)
            {
                return (null, "screenshot: must be a base64 string of a PNG or JPEG image.");
            }

            var encoded = shot.GetString()!;
            if (encoded.Length > (limits.MaxScreenshotBytes + 2) / 3 * 4)
            {
                return (null, $"screenshot: larger than the limit of {limits.MaxScreenshotBytes:N0} bytes.");
            }

            try
            {
                screenshot = Convert.FromBase64String(encoded);
            }
            catch (FormatException)
            {
                return (null, "screenshot: not valid base64.");
            }

            screenshotType = screenshot switch
            {
                [0x89, 0x50, 0x4E, 0x47, ..] => "image/png",
                [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
                _ => null,
            };
            if (screenshotType is null)
            {
                return (null, "screenshot: not a PNG or JPEG image.");
            }
        }

        switch (kind)
        {
            case MonitoringEventKind.Url when url is null:
                return (null, "url: required for a url event.");
            case MonitoringEventKind.Search when query is null && url is null:
                return (null, "query: required for a search event.");
            case MonitoringEventKind.TypedText when text is null:
                return (null, "text: required for a typed-text event.");
            case MonitoringEventKind.Email when text is null:
                return (null, "text: required for an email event.");
            case MonitoringEventKind.Application when application is null:
                return (null, "application: required for an application event.");
            case MonitoringEventKind.Screenshot when screenshot is null:
                return (null, "screenshot: required for a screenshot event.");
            case MonitoringEventKind.Url or MonitoringEventKind.Search or MonitoringEventKind.TypedText or MonitoringEventKind.Email
                or MonitoringEventKind.Application or MonitoringEventKind.Screenshot:
                break; // the kind's own field is there
            default:
                throw new UnreachableException($"Monitoring event kind {kind} is not checked.");
        }

        if (url is not null && SearchUrls.QueryOf(url) is { } searched)
        {
            // A search seen in a URL (Google, Bing, YouTube, DuckDuckGo) is a search event.
            kind = MonitoringEventKind.Search;
            query ??= searched;
        }

        return (new MonitoringEvent
        {
            SchoolId = school,
            DeviceId = deviceId,
            ClientEventId = id,
            Kind = kind,
            OccurredAt = occurred,
            ReceivedAt = now,
            PersonId = personId,
            ClientAddress = clientAddress,
            Url = url,
            Title = title,
            Query = query,
            Text = text,
            Application = application,
            ScreenshotType = screenshotType,
            Screenshot = screenshot,
        }, null);
    }

    private static bool Text(JsonElement e, string name, int max, out string? value, out string? error)
    {
        value = null;
        error = null;
        if (!e.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (p.ValueKind != JsonValueKind.String)
        {
            error = $"{name}: must be a string.";
            return false;
        }

        var s = p.GetString()!;
        if (s.Length > max)
        {
            error = $"{name}: longer than {max:N0} characters.";
            return false;
        }

        value = s.Length == 0 ? null : s;
        return true;
    }

    private static string? Clip(string? s, int max) => s is null ? null : s.Length > max ? s[..max] : s;
}

/// <summary>Search terms in the URLs of the common search engines.</summary>
public static class SearchUrls
{
    public static string? QueryOf(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Query.Length < 2)
        {
            return null;
        }

        var host = uri.Host.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal))
        {
            host = host[4..];
        }

        var path = uri.AbsolutePath;
        string? key = null;
        if ((host.StartsWith("google.", StringComparison.Ordinal) && path.StartsWith("/search", StringComparison.Ordinal))
            || (host is "bing.com" && path.StartsWith("/search", StringComparison.Ordinal))
            || (host is "duckduckgo.com" or "html.duckduckgo.com"))
        {
            key = "q";
        }
        else if (host is "youtube.com" or "m.youtube.com" && path.StartsWith("/results", StringComparison.Ordinal))
        {
            key = "search_query";
        }

        if (key is null)
        {
            return null;
        }

        foreach (var pair in uri.Query[1..].Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && string.Equals(pair[..eq], key, StringComparison.Ordinal))
            {
                var value = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' ')).Trim();
                return value.Length == 0 ? null : value.Length > 1000 ? value[..1000] : value;
            }
        }

        return null;
    }
}
