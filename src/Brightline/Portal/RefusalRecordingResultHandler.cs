using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Brightline.Portal;

/// <summary>
/// Notes, for a refused signed-in request, the roles the page's rule names (<see cref="AccessRefusal"/>), then answers as
/// the framework does. The page attribute is the one declaration of who may open a page; the 403 page reads it from here.
/// </summary>
public sealed class RefusalRecordingResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            var roles = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles)
                ?? policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles);
            AccessRefusal.Note(context, roles);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
