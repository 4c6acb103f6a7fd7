using Brightline.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Brightline.BrowserExtension;

/// <summary>
/// Enrolment for a browser with no signed-in account (an unmanaged browser): the popup opens the portal's
/// <c>/extension/sign-in</c> page, the person signs in there, and the page sends the tab to
/// <c>/extension/sign-in?done=1#code=…&amp;state=…</c>. The extension watches its tabs for that address (no
/// content script, no externally_connectable: the server's address is only known at run time) and exchanges the
/// code here, with the enrolment key from its policy, for the same token enrolment gives. The code is in the
/// fragment, which no server and no Referer header ever sees.
/// </summary>
public static class ExtensionSignInApi
{
    public const string ExchangePath = "/api/v1/extension/sign-in";
    public const string PagePath = "/extension/sign-in";

    /// <summary>The ProblemDetails code of a code that is not genuine, has expired, was used, or is for another browser.</summary>
    public const string InvalidCode = "invalid-code";

    internal static async Task<IResult> ExchangeAsync(
        HttpContext context, [FromBody] SignInExchange? request, ExtensionSignInCodes codes, ExtensionEnrolment enrolment, BrightlineDbContext db, CancellationToken cancellationToken)
    {
        var deviceId = request?.DeviceId?.Trim() ?? "";
        if (request is null || string.IsNullOrWhiteSpace(request.Code) || deviceId.Length is 0 or > 100)
        {
            return Problem(StatusCodes.Status400BadRequest, "invalid", "Malformed sign-in", "Send a JSON object with enrolmentKey, code, deviceId and deviceName.");
        }

        if (codes.Redeem(request.Code, deviceId) is not { } code)
        {
            return Problem(StatusCodes.Status400BadRequest, InvalidCode, "Sign-in code not accepted",
                "The sign-in code has expired, was used already or is for another browser. Choose \"Sign in with your school account\" in the popup again.");
        }

        // The person signed in to the portal; enrolment then applies its usual checks (key, school, leaver) to their email.
        var email = await db.People.AsNoTracking().Where(p => p.SchoolId == code.SchoolId && p.Id == code.PersonId).Select(p => p.Email).FirstOrDefaultAsync(cancellationToken);
        try
        {
            if (string.IsNullOrWhiteSpace(email))
            {
                throw new EnrolmentRefusedException(StatusCodes.Status404NotFound, ExtensionEnrolment.UnknownEmail, "Account not known to the school",
                    "The portal account you signed in with has no email address in the school's records. Ask the school office to check your record.");
            }

            var enrolled = await enrolment.EnrolAsync(new EnrolmentRequest(request.EnrolmentKey, email, deviceId, request.DeviceName, request.SerialNumber, request.AssetTag), context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
            if (enrolled.SchoolId != code.SchoolId)
            {
                // Unreachable while emails are searched within the key's school only; kept so a future change cannot cross schools.
                return Problem(StatusCodes.Status403Forbidden, ExtensionEnrolment.UnknownEmail, "Account of another school", "This browser's enrolment key belongs to another school.");
            }

            context.Response.Headers.CacheControl = "no-store";
            return Results.Ok(EnrolmentResponse.From(enrolled, email));
        }
        catch (EnrolmentRefusedException refused)
        {
            return Problem(refused.Status, refused.Code, refused.Title, refused.Message);
        }
    }

    private static IResult Problem(int status, string code, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });
}
