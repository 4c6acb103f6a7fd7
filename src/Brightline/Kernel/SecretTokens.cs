using System.Security.Cryptography;
using System.Text;

namespace Brightline.Kernel;

/// <summary>
/// The bearer secrets agents and browsers present (monitoring-device tokens, enrolment keys, extension tokens): 32
/// random bytes, URL-safe, behind a prefix that tells a reader (and a secret scanner) what it is; stored only as a
/// SHA-256, compared in fixed time.
/// </summary>
public static class SecretTokens
{
    /// <summary>The longest bearer value read; anything longer is refused before it is hashed.</summary>
    public const int MaxLength = 200;

    public static string New(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// The request's bearer value: null when it carries none (the request is another scheme's), empty when the
    /// value is blank or too long (the caller fails it). <see cref="BearerSecretAuthenticationHandler"/> reads it.
    /// </summary>
    public static string? Bearer(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header["Bearer ".Length..].Trim();
        return token.Length is 0 or > MaxLength ? string.Empty : token;
    }

    /// <summary>Whether a row's stored hash equals the presented one, compared in fixed time.</summary>
    public static bool SameHash(string presentedHash, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presentedHash), Encoding.ASCII.GetBytes(storedHash));
}
