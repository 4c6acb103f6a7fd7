using System.Security.Claims;

namespace Brightline.Portal;

/// <summary>
/// Keeps a signed-in member of staff's API calls inside the school they are signed in to. A machine key
/// (Wi-Fi controller, DNS filter, MIS sync) is installation-wide; a portal session is not: its `school`
/// argument is filled in with the session's school, and a different one is refused. Applied to every
/// /api/v1 endpoint as an endpoint-filter factory, so no handler can forget it; it also has every CSV the API
/// answers audited (<see cref="ApiExportAudit"/>).
/// </summary>
public static class ApiSchoolScope
{
    public static EndpointFilterDelegate Factory(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var parameters = context.MethodInfo.GetParameters();
        var schoolIndex = Array.FindIndex(parameters, p => p.ParameterType == typeof(string) && string.Equals(p.Name, "school", StringComparison.Ordinal));
        return async invocation =>
        {
            var user = invocation.HttpContext.User;
            if (IsMachine(user))
            {
                var asked = schoolIndex >= 0 ? invocation.Arguments[schoolIndex] as string : null;
                return await ApiExportAudit.AfterAsync(invocation.HttpContext, await next(invocation), asked);
            }

            var sessionSchool = user.FindFirstValue(PortalClaims.School);
            if (sessionSchool is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed",
                    detail: "Your account is not linked to a school.");
            }

            if (schoolIndex >= 0)
            {
                var asked = invocation.Arguments[schoolIndex] as string;
                if (asked is not null && !string.Equals(asked, sessionSchool, StringComparison.Ordinal))
                {
                    return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed",
                        detail: $"You are signed in to '{sessionSchool}'; switch school in the portal to use another school's data.");
                }

                invocation.Arguments[schoolIndex] = sessionSchool;
            }

            return await ApiExportAudit.AfterAsync(invocation.HttpContext, await next(invocation), sessionSchool);
        };
    }

    private static bool IsMachine(ClaimsPrincipal user) =>
        user.Identities.Any(i => i.IsAuthenticated && string.Equals(i.AuthenticationType, ApiKeyAuthenticationHandler.SchemeName, StringComparison.Ordinal));
}
