namespace Brightline.Nodes;

/// <summary>
/// The load balancer's probes. <c>/health/live</c>: the process answers HTTP (restart it if not).
/// <c>/health/ready</c>: it can serve (<see cref="Readiness"/>); 503 takes the node out of rotation until it can.
/// Both are anonymous and answer one word, so they tell an outsider nothing but that.
/// </summary>
public static class HealthEndpoints
{
    public const string Live = "/health/live";
    public const string Ready = "/health/ready";

    public static void Map(WebApplication app)
    {
        app.MapGet(Live, (HttpContext http) => Answer(http, true)).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(Ready, async (HttpContext http, Readiness readiness, CancellationToken cancellationToken) =>
            Answer(http, await readiness.CheckAsync(cancellationToken))).AllowAnonymous().ExcludeFromDescription();
    }

    private static IResult Answer(HttpContext http, bool ok)
    {
        http.Response.Headers.CacheControl = "no-store";
        return ok ? Results.Text("ok\n", "text/plain") : Results.Text("not ready\n", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
