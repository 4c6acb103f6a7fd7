using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Brightline.Policies;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Safeguarding;

/// <summary>
/// What the browser extension needs beside the ingestion API (issue 12, point 4), with the same device token:
/// <list type="bullet">
/// <item><c>GET /api/v1/monitoring/settings</c>: the monitoring notice and the policy's excluded sites (never captured).</item>
/// <item><c>POST /api/v1/monitoring/screenshots</c>: <c>{ "event": client event ID, "image": base64 PNG or JPEG,
/// "capturedAt": ISO 8601 }</c>, the screenshot of the tab of an event the ingestion API answered with in
/// <c>screenshots</c>. Accepted only for an event of this device whose screenshot the server asked for
/// (<see cref="MonitoringScreenshots"/>); a second upload for the same event is answered as a duplicate.</item>
/// </list>
/// </summary>
public static class ScreenshotApi
{
    public const string SettingsPath = "/api/v1/monitoring/settings";
    public const string ScreenshotsPath = "/api/v1/monitoring/screenshots";

    public static WebApplication MapScreenshotApi(this WebApplication app)
    {
        app.MapGet(SettingsPath, GetSettingsAsync).RequireAuthorization(SafeguardingModule.DevicePolicy);
        app.MapPost(ScreenshotsPath, PostScreenshotAsync).RequireAuthorization(SafeguardingModule.DevicePolicy).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> GetSettingsAsync(HttpContext context, PolicyStore policies, CancellationToken cancellationToken)
    {
        var school = context.User.FindFirstValue(DeviceClaims.School)!;
        var settings = MonitoringSettings.From(await policies.ActiveAsync(school, cancellationToken));
        return Results.Ok(new { notice = settings.Notice, excludedSites = settings.ExcludedSites });
    }

    private static async Task<IResult> PostScreenshotAsync(
        HttpContext context,
        MonitoringScreenshots screenshots,
        Microsoft.Extensions.Options.IOptions<IngestionOptions> options,
        CancellationToken cancellationToken)
    {
        var school = context.User.FindFirstValue(DeviceClaims.School)!;
        var deviceId = Guid.Parse(context.User.FindFirstValue(DeviceClaims.Device)!);
        var maxImage = options.Value.MaxScreenshotBytes;
        // The base64 text of the largest image, plus room for the other two fields.
        var maxBody = ((long)maxImage + 2) / 3 * 4 + 4096;
        if (context.Request.ContentLength > maxBody)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "screenshot-too-large", "Screenshot too large", $"The screenshot is larger than the limit of {maxImage:N0} bytes.");
        }

        if (context.Request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "json-required", "JSON required", "Send the screenshot as application/json.");
        }

        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > maxBody)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge, "screenshot-too-large", "Screenshot too large", $"The screenshot is larger than the limit of {maxImage:N0} bytes.");
            }

            body.Write(buffer, 0, read);
        }

        string? clientEventId;
        string? encoded;
        string? capturedText;
        try
        {
            using var document = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length), new JsonDocumentOptions { MaxDepth = 4 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Problem(StatusCodes.Status400BadRequest, "malformed", "Malformed screenshot", "The body must be a JSON object with \"event\", \"image\" and \"capturedAt\".");
            }

            clientEventId = StringOf(root, "event");
            encoded = StringOf(root, "image");
            capturedText = StringOf(root, "capturedAt");
        }
        catch (JsonException e)
        {
            return Problem(StatusCodes.Status400BadRequest, "malformed", "Malformed JSON", $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }

        if (clientEventId is not { Length: > 0 and <= 100 })
        {
            return Problem(StatusCodes.Status400BadRequest, "malformed", "Malformed screenshot", "event: required, the client event ID (at most 100 characters) the server asked a screenshot for.");
        }

        if (encoded is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "malformed", "Malformed screenshot", "image: required, a base64 PNG or JPEG image.");
        }

        byte[] image;
        try
        {
            image = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            return Problem(StatusCodes.Status400BadRequest, "malformed", "Malformed screenshot", "image: not valid base64.");
        }

        if (image.Length > maxImage)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "screenshot-too-large", "Screenshot too large", $"The screenshot is {image.Length:N0} bytes; the limit is {maxImage:N0} bytes.");
        }

        var type = image switch
        {
            [0x89, 0x50, 0x4E, 0x47, ..] => "image/png",
            [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
            _ => null,
        };
        if (type is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "not-an-image", "Not an image", "image: not a PNG or JPEG image.");
        }

        var capturedAt = capturedText is not null && DateTimeOffset.TryParse(capturedText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at : (DateTimeOffset?)null;
        if (capturedAt is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "malformed", "Malformed screenshot", "capturedAt: required, ISO 8601 with an offset.");
        }

        var outcome = await screenshots.StoreAsync(school, deviceId, clientEventId, image, type, capturedAt.Value, cancellationToken);
        return outcome switch
        {
            MonitoringScreenshots.Outcome.Stored => Results.Ok(new { status = "stored" }),
            MonitoringScreenshots.Outcome.AlreadyStored => Results.Ok(new { status = "duplicate" }),
            MonitoringScreenshots.Outcome.NotRequested => Problem(StatusCodes.Status404NotFound, "not-requested", "No screenshot was asked for",
                "This device has no event with that ID whose screenshot the server asked for."),
            _ => throw new System.Diagnostics.UnreachableException($"Screenshot outcome {outcome} is not answered."),
        };
    }

    private static string? StringOf(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IResult Problem(int status, string code, string title, string detail) =>
        Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = ScreenshotsPath, Extensions = { ["code"] = code } });
}
