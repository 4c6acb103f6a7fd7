using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Brightline.Kernel;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Brightline.Portal;

/// <summary>
/// ASP.NET Core's rate limiter, partitioned by client address (after the forwarded-headers step, so behind a
/// trusted proxy it is the real client). A refused request gets 429 with Retry-After: ProblemDetails on the
/// API, the friendly error page in the portal.
/// </summary>
public static class RateLimits
{
    /// <summary>Form posts of sign-in, two-factor and password reset (GETs are not limited: they reveal nothing).</summary>
    public const string SignIn = "sign-in";

    /// <summary>Every request to token pages: a GET already tells a right token from a wrong one.</summary>
    public const string PublicLinks = "public-links";

    /// <summary>Posts of the public block page's forms (its GET is every blocked request, and is never limited).</summary>
    public const string PublicForms = "public-forms";

    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services)
    {
        services.AddSettings<RateLimitOptions>(RateLimitOptions.Section);
        // The policies close over the bound limits, configured once through DI, rather than looking the options
        // up from each request's services.
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, configured) =>
        {
            var limits = configured.Value;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignIn, context => PostsOnly(context, SignIn, limits.SignInPerMinute));
            o.AddPolicy(PublicForms, context => PostsOnly(context, PublicForms, limits.PublicLinksPerMinute));
            o.AddPolicy(PublicLinks, context =>
                RateLimitPartition.GetSlidingWindowLimiter(PartitionKey(context, PublicLinks), _ => Window(limits.PublicLinksPerMinute)));
            o.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : s_window;
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                if (http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
                {
                    await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                        detail: "Too many requests from this address. Wait a minute and try again.").ExecuteAsync(http);
                }

                // Pages: the status-code middleware shows the friendly /error/429 page.
            };
        });
        return services;
    }

    private static RateLimitPartition<string> PostsOnly(HttpContext context, string policy, int limit) =>
        HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            ? RateLimitPartition.GetNoLimiter("reads")
            : RateLimitPartition.GetSlidingWindowLimiter(PartitionKey(context, policy), _ => Window(limit));

    private static SlidingWindowRateLimiterOptions Window(int limit) => new()
    {
        PermitLimit = limit,
        Window = s_window,
        SegmentsPerWindow = 6,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static string PartitionKey(HttpContext context, string policy) =>
        policy + "|" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
