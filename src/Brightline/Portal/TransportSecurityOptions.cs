using Brightline.Kernel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Brightline.Portal;

/// <summary>How the portal is reached over TLS: behind a reverse proxy, or serving a certificate itself (docs/security.md).</summary>
public sealed class TransportSecurityOptions : IValidatableObject
{
    public const string Section = "Brightline:Https";

    /// <summary>
    /// Addresses or networks (CIDR) of the reverse proxies in front of the portal. Only their X-Forwarded-For
    /// and X-Forwarded-Proto are believed, so a client cannot claim another address or HTTPS by sending the
    /// headers itself. Empty (the default): no forwarded header is believed.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// The portal is only ever used over HTTPS: cookies are always marked Secure and a plain-HTTP request is
    /// redirected to HTTPS. Off by default so `dotnet run` works on http://127.0.0.1.
    /// </summary>
    public bool Require { get; set; }

    /// <summary>Strict-Transport-Security max-age sent on every HTTPS response, in days (0: not sent).</summary>
    [Range(0, 730)]
    public int HstsMaxAgeDays { get; set; } = 365;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < TrustedProxies.Count; i++)
        {
            var entry = TrustedProxies[i];
            if (!IPAddress.TryParse(entry, out _) && !System.Net.IPNetwork.TryParse(entry, out _))
            {
                yield return new ValidationResult(
                    $"{Section}:TrustedProxies:{i} is '{entry}', which is not an IP address or network (use e.g. 10.0.0.5 or 10.0.0.0/24).",
                    [nameof(TrustedProxies)]);
            }
        }
    }
}
