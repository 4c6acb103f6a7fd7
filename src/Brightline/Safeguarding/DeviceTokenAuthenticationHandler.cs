using Brightline.Kernel;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Brightline.Safeguarding;

/// <summary>
/// Authenticates agents by <c>Authorization: Bearer &lt;device token&gt;</c>. The presented token's SHA-256
/// finds the device (an index lookup on a hash reveals nothing about the token), then the hashes are
/// compared again in constant time. A revoked device's token fails.
/// </summary>
public sealed class DeviceTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    BrightlineDbContext db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DeviceToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (SecretTokens.Bearer(Request) is not { } token)
        {
            return AuthenticateResult.NoResult();
        }

        if (token.Length == 0)
        {
            return AuthenticateResult.Fail("The device token is not valid.");
        }

        var hash = DeviceTokens.Hash(token);
        var device = await db.Set<MonitoringDevice>().AsNoTracking()
            .Where(d => d.TokenHash == hash)
            .Select(d => new { d.Id, d.SchoolId, d.TokenHash, d.RevokedAt })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (device is null || !SecretTokens.SameHash(hash, device.TokenHash) || device.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("The device token is not valid or has been revoked.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, $"device:{device.Id}"),
                new Claim(ClaimTypes.NameIdentifier, $"device:{device.Id}"),
                new Claim(DeviceClaims.Device, device.Id.ToString()),
                new Claim(DeviceClaims.School, device.SchoolId),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Response.WriteAsJsonAsync(
            new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = 401,
                Title = "Device token required",
                Detail = "Send Authorization: Bearer <device token>. Tokens are issued, and revoked, on the portal's Devices page.",
                Instance = Request.Path,
            },
            options: null,
            contentType: "application/problem+json",
            cancellationToken: Context.RequestAborted);
    }
}
