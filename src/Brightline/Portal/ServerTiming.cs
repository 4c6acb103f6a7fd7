using System.Diagnostics;
using System.Globalization;

namespace Brightline.Portal;

/// <summary>
/// Issue 17 ("keep pages under 300 ms server time with the demo school"): each portal page answers with a
/// <c>Server-Timing: app;dur=12.3</c> header, the milliseconds from the request reaching the portal's pipeline to its
/// headers being sent (for a Razor page, when the rendered page is written). Browsers show it in their network panel
/// and the page sweep (tests/Brightline.EndToEnd) writes it down for every page and role. Two timestamps per request:
/// cheap enough to leave on. The machine APIs and the stylesheet and scripts under <c>/assets</c> are left out.
/// </summary>
public static class ServerTiming
{
    public const string Header = "Server-Timing";

    public static IApplicationBuilder UseServerTiming(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (!IsPortalPage(context.Request.Path))
        {
            return next(context);
        }

        var started = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            context.Response.Headers[Header] = "app;dur=" + ms.ToString("0.0", CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>A page a person opens in the portal: not the API, nor an asset the pages load.</summary>
    public static bool IsPortalPage(PathString path) =>
        !path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && !path.StartsWithSegments("/assets", StringComparison.OrdinalIgnoreCase);
}
