using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Brightline.Portal;

/// <summary>
/// Runs after authentication, before any page: (1) a user whose roles see safeguarding data and who has not
/// set up two-factor sign-in is sent to enrol and can reach nothing else; (2) the C8 gate — someone with a
/// required agreement of their own unsigned, or an acknowledgement due, is shown that first. Before (2), an account
/// whose password must change (issue 15: expired or reported compromised) is sent to change it.
/// </summary>
public sealed class PortalGate(RequestDelegate next)
{
    // Pages that must stay reachable while a user is held at a gate (or could never leave it).
    private static readonly string[] s_alwaysOpen = ["/account", "/assets", "/error", "/countersign", "/consents/answer", "/setup"];
    // "/extension": Brightline for Chrome signs in while an agreement is unsigned, so its block page can say so.
    private static readonly string[] s_agreementOpen = ["/sign", "/acknowledge", "/signatures", "/policy", "/extension"];

    public async Task InvokeAsync(HttpContext context, ISuspendedAccounts suspended, IOutstandingAgreements outstanding, IPasswordChangeRequired passwords)
    {
        var user = context.User;
        var path = context.Request.Path;
        var cookieUser = user.Identities.Any(i => i.IsAuthenticated && string.Equals(i.AuthenticationType, IdentityConstants.ApplicationScheme, StringComparison.Ordinal));
        if (cookieUser && user.HasClaim(PortalClaims.SessionEnded, "true"))
        {
            // Checked before the always-open pages: an ended session must not reach even the password page. The
            // request goes on as a signed-out visitor's (pages that need a sign-in send it to the sign-in page; the
            // API answers 401). The cookie is not deleted here: a request still in flight with the old cookie (a
            // stylesheet fetched while the two-factor page renews the cookie) would otherwise delete the new one.
            if (path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                await context.ChallengeAsync(IdentityConstants.ApplicationScheme);
                return;
            }

            context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
            await next(context);
            return;
        }

        if (!cookieUser || StartsWithAny(path, s_alwaysOpen))
        {
            await next(context);
            return;
        }

        var isApi = path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
        if (user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value is { } userId
            && await suspended.IsSuspendedAsync(userId, context.RequestAborted))
        {
            // F14: a session that was open when the account was suspended ends at its next request.
            await context.SignOutAsync(IdentityConstants.ApplicationScheme);
            if (isApi)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            context.Response.Redirect(suspended.SuspendedPath);
            return;
        }

        if (user.HasClaim(PortalClaims.NeedsTwoFactor, "true") && !user.HasClaim(PortalClaims.TwoFactor, "true"))
        {
            if (isApi)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            context.Response.Redirect("/account/two-factor");
            return;
        }

        // Issue 15: a password past the policy's maximum age, or reported compromised, is changed before anything else.
        if (user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value is { } passwordUser
            && await passwords.ReasonAsync(passwordUser, context.RequestAborted) is { } passwordReason)
        {
            if (isApi)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            context.Response.Redirect("/account/password?reason=" + Uri.EscapeDataString(passwordReason));
            return;
        }

        if (isApi || StartsWithAny(path, s_agreementOpen))
        {
            await next(context);
            return;
        }

        var scope = context.RequestServices.GetRequiredService<PortalScope>();
        if (scope.SchoolId is { } schoolId && scope.PersonId is { } personId)
        {
            var target = await outstanding.FirstOutstandingAsync(context, schoolId, personId, context.RequestAborted);
            if (target is not null)
            {
                // The flag lets the page say why the user was sent there instead of where they were going; the address
                // they were going to (a page, not a form they posted) is where they go once signed (issue 17, defect 2d).
                var going = context.Request.Path + context.Request.QueryString;
                var returnUrl = HttpMethods.IsGet(context.Request.Method) && !string.Equals(going, "/", StringComparison.Ordinal)
                    ? "&returnUrl=" + Uri.EscapeDataString(going)
                    : "";
                context.Response.Redirect(target + "?gate=1" + returnUrl);
                return;
            }
        }

        await next(context);
    }

    private static bool StartsWithAny(PathString path, string[] prefixes) =>
        prefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
}
