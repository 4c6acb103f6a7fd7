using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace Brightline.Portal;

/// <summary>
/// A write to /api/v1 that is authorised by the portal's cookie must carry the antiforgery token (header
/// <c>RequestVerificationToken</c>, as the portal's pages issue it). Otherwise any site a signed-in member of
/// staff visits could post to the API with their cookie: a text/plain form post needs no CORS preflight, and
/// SameSite=Lax alone was all that stood in the way (issue 10, item 10). Machines (API key, device token)
/// send no cookie and are not affected.
/// </summary>
public sealed class ApiCookieAntiforgery(RequestDelegate next, IAntiforgery antiforgery)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
            && IsCookieOnly(context))
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token",
                    detail: "A change made through the API with a portal sign-in needs the RequestVerificationToken header from a portal page. Programs should use an API key instead of a cookie.")
                    .ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }

    private static bool IsCookieOnly(HttpContext context)
    {
        var cookie = false;
        foreach (var identity in context.User.Identities)
        {
            if (!identity.IsAuthenticated)
            {
                continue;
            }

            if (!string.Equals(identity.AuthenticationType, IdentityConstants.ApplicationScheme, StringComparison.Ordinal))
            {
                // An API key or a device token: a machine, which no browser sends on a user's behalf.
                return false;
            }

            cookie = true;
        }

        return cookie;
    }
}
