using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Brightline.Data.Entities;
using Brightline.Kernel;

namespace Brightline.Safeguarding;

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

        // A page the client sent as a visit whose address is a search engine's results page (SearchUrls) is a search
        // event; a search event given only its URL gets its query from it. Typed text, an email or an application
        // event that merely carries the address of the page it came from is never turned into a search.
        if (kind is MonitoringEventKind.Url or MonitoringEventKind.Search && url is not null && SearchUrls.QueryOf(url) is { } searched)
        {
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
