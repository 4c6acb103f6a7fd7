using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.BrowserExtension;

/// <summary>
/// Tamper evidence (issue 12, point 6): the extension's heartbeat, and the address Chrome opens when the extension is
/// removed (<c>chrome.runtime.setUninstallURL</c>), which carries the browser's token because nothing else survives the removal.
/// </summary>
public static class TamperApi
{
    public const string HeartbeatPath = "/api/v1/extension/heartbeat";
    public const string RemovedPath = "/extension/removed";

    internal static async Task<IResult> HeartbeatAsync(HttpContext context, TamperAlerts tamper, CancellationToken cancellationToken)
    {
        await tamper.HeartbeatAsync(Guid.Parse(context.User.FindFirstValue(ExtensionClaims.Token)!), cancellationToken);
        return Results.Ok(new { nextInMinutes = TamperAlerts.HeartbeatMinutes });
    }

    /// <summary>
    /// Opened by Chrome, in a new tab, after the extension is removed: records it and alerts IT and the DSL at once. The
    /// page says the same whatever the token, so it tells nobody whether a token was valid; the token is retired on
    /// first use, so opening the address again (from the history) does nothing.
    /// </summary>
    internal static async Task<IResult> RemovedAsync(HttpContext context, [FromQuery] string? token, TamperAlerts tamper, CancellationToken cancellationToken)
    {
        await tamper.RemovedAsync(token, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        // The token must not leak to any other site through the referrer.
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        const string title = "Brightline for Chrome has been removed";
        var html = $"""
            <!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(title)}</title>
            <meta name="viewport" content="width=device-width, initial-scale=1"></head>
            <body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.5">
            <main><h1>{WebUtility.HtmlEncode(title)}</h1>
            <p>Brightline for Chrome, the school's filtering and online-safety extension, is no longer on this browser.
            The school has been told.</p>
            <p>If you did not mean to remove it, or you do not know why it has gone, please tell your teacher or the school's IT team.</p>
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
