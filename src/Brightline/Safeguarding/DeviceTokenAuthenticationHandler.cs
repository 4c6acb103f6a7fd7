using System.Security.Claims;
using System.Text.Encodings.Web;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
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
    : BearerSecretAuthenticationHandler(options, logger, encoder)
{
    public const string SchemeName = "DeviceToken";

    protected override string SecretName => "device token";

    protected override async Task<IReadOnlyList<Claim>?> ClaimsForAsync(string hash, CancellationToken cancellationToken)
    {
        var device = await db.Set<MonitoringDevice>().AsNoTracking()
            .Where(d => d.TokenHash == hash)
            .Select(d => new { d.Id, d.SchoolId, d.TokenHash, d.RevokedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (device is null || !SecretTokens.SameHash(hash, device.TokenHash) || device.RevokedAt is not null)
        {
            return null;
        }

        return
        [
            new Claim(ClaimTypes.Name, $"device:{device.Id}"),
            new Claim(ClaimTypes.NameIdentifier, $"device:{device.Id}"),
            new Claim(DeviceClaims.Device, device.Id.ToString()),
            new Claim(DeviceClaims.School, device.SchoolId),
        ];
    }

    protected override ProblemDetails ChallengeProblem() => new()
    {
        Title = "Device token required",
        Detail = "Send Authorization: Bearer <device token>. Tokens are issued, and revoked, on the portal's Devices page.",
    };
}
