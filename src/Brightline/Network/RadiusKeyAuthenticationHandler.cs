using System.Security.Claims;
using System.Text.Encodings.Web;
using Brightline.Kernel;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Brightline.Network;

/// <summary>
/// Authenticates FreeRADIUS by <c>Authorization: Bearer &lt;machine key&gt;</c>: the key's SHA-256 is compared in fixed
/// time with every configured school's (no early exit, so timing says nothing about which or how many), and a match
/// stands for that school. The key comes from settings (<see cref="RadiusOptions.MachineKeys"/>), never from the policy.
/// </summary>
public sealed class RadiusKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<RadiusOptions> radius)
    : BearerSecretAuthenticationHandler(options, logger, encoder)
{
    public const string SchemeName = "RadiusKey";

    protected override string SecretName => "RADIUS machine key";

    protected override Task<IReadOnlyList<Claim>?> ClaimsForAsync(string hash, CancellationToken cancellationToken)
    {
        string? school = null;
        foreach (var (schoolId, key) in radius.CurrentValue.MachineKeys)
        {
            if (!string.IsNullOrWhiteSpace(key) && SecretTokens.SameHash(hash, SecretTokens.Hash(key.Trim())) && school is null)
            {
                school = schoolId;
            }
        }

        IReadOnlyList<Claim>? claims = school is null ? null :
        [
            new Claim(ClaimTypes.Name, $"radius:{school}"),
            new Claim(ClaimTypes.NameIdentifier, $"radius:{school}"),
            new Claim(RadiusClaims.School, school),
        ];
        return Task.FromResult(claims);
    }

    protected override ProblemDetails ChallengeProblem() => new()
    {
        Title = "RADIUS machine key required",
        Detail = "Send Authorization: Bearer <machine key>, the key set in Brightline:Radius:MachineKeys:<school>. 'brightline radius config' writes it into FreeRADIUS's configuration.",
        Extensions = { ["code"] = "radius-key-required" },
    };
}
