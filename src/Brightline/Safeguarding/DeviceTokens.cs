using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

using Brightline.Monitoring;

namespace Brightline.Safeguarding;

/// <summary>A token shown once when a device is added; only its SHA-256 is kept.</summary>
public sealed record IssuedDeviceToken(MonitoringDevice Device, string Token);

/// <summary>Issues and revokes the per-device bearer tokens agents use on the ingestion API.</summary>
public sealed class DeviceTokens(BrightlineDbContext db, AuditLog audit, TimeProvider time)
{
    public const string Prefix = "bld_";

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public async Task<IssuedDeviceToken> IssueAsync(string schoolId, string name, string actor, string? clientAddress, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length is 0 or > 200)
        {
            throw new InvalidException("Give the device a name of up to 200 characters.");
        }

        var token = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var device = new MonitoringDevice
        {
            Id = Guid.NewGuid(),
            SchoolId = schoolId,
            Name = name,
            TokenHash = Hash(token),
            TokenPrefix = token[..10],
            CreatedAt = StoredTime.Now(time),
            CreatedBy = actor,
        };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<MonitoringDevice>().Add(device);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, MonitoringAuditActions.DeviceTokenIssued, $"device:{device.Id}", name, clientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new IssuedDeviceToken(device, token);
    }

    public async Task RevokeAsync(string schoolId, Guid deviceId, string actor, string? clientAddress, CancellationToken cancellationToken)
    {
        var device = await db.Set<MonitoringDevice>().FirstOrDefaultAsync(d => d.Id == deviceId && d.SchoolId == schoolId, cancellationToken)
            ?? throw new NotFoundException("There is no such device at this school.");
        if (device.RevokedAt is not null)
        {
            return;
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        device.RevokedAt = StoredTime.Now(time);
        device.RevokedBy = actor;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, MonitoringAuditActions.DeviceTokenRevoked, $"device:{device.Id}", device.Name, clientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }
}

/// <summary>Audit action names of the monitoring feature.</summary>
public static class MonitoringAuditActions
{
    public const string DeviceTokenIssued = "device-token-issued";
    public const string DeviceTokenRevoked = "device-token-revoked";
    public const string CaptureViewed = "monitoring-capture-viewed";
    public const string AlertOutcome = "monitoring-alert-outcome";
    public const string AlertNote = "monitoring-alert-note";
    public const string CapturesPurged = "monitoring-captures-purged";
}

/// <summary>Claims a device token adds.</summary>
public static class DeviceClaims
{
    public const string Device = "brightline:device";
    public const string School = "brightline:device-school";
}

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
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        if (token.Length is 0 or > 200)
        {
            return AuthenticateResult.Fail("The device token is not valid.");
        }

        var hash = DeviceTokens.Hash(token);
        var device = await db.Set<MonitoringDevice>().AsNoTracking()
            .Where(d => d.TokenHash == hash)
            .Select(d => new { d.Id, d.SchoolId, d.TokenHash, d.RevokedAt })
            .FirstOrDefaultAsync(Context.RequestAborted);
        var expected = Encoding.ASCII.GetBytes(device?.TokenHash ?? new string('0', 64));
        var matched = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), expected);
        if (device is null || !matched || device.RevokedAt is not null)
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
