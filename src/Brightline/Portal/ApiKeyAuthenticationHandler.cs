using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Brightline.Portal;

/// <summary>
/// Authenticates machines (MIS sync, filter nodes, agents) by <c>Authorization: Bearer &lt;key&gt;</c> against
/// the configured <c>Brightline:Api:Keys</c>. Keys are compared by their SHA-256 in constant time so the
/// time taken reveals nothing about how much of a guess was right.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<ApiOptions> api)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        var matched = false;
        // Every configured key is compared (no early exit) so the number of keys checked is not observable either.
        foreach (var key in api.CurrentValue.Keys)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                continue;
            }

            var expected = SHA256.HashData(Encoding.UTF8.GetBytes(key.Trim()));
            matched |= CryptographicOperations.FixedTimeEquals(presented, expected);
        }

        if (!matched)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "api-key"), new Claim(ClaimTypes.NameIdentifier, "api-key")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
