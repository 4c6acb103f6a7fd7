using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Brightline.Policy.Model;

namespace Brightline.Network;

/// <summary>
/// Staff networks staying up while Brightline is unreachable (<c>when_unreachable: cached</c>, issue 13): what a live
/// Accept hands FreeRADIUS to keep, and how long. FreeRADIUS keeps it in memory (rlm_cache's rbtree, never on disk),
/// keyed on the user name and the network (NAS-Identifier and SSID), and reads it only when Brightline cannot be
/// reached — never when Brightline refuses. It holds:
/// <list type="bullet">
/// <item>a salted PBKDF2 hash of the password Brightline just accepted (made once per verified password, not per Accept), so a sign-in during the outage still needs the
/// right password (rlm_pap checks it): caching the Accept alone would let anyone in with that user name, and caching
/// the password would keep a secret in a second place. The salt is random per verified password; the iterations make a copy of
/// the cache slow to guess from, and the entry lapses within <c>cache_minutes</c>;</item>
/// <item>the VLAN the person was given.</item>
/// </list>
/// The entry lives no longer than the network's <c>cache_minutes</c> nor the Accept's own Session-Timeout (the next
/// moment the live answer could change: a time window closing, a leaving date, a suspension starting), and a live
/// Reject of the same person on the same network deletes it. docs/network.md#when-brightline-cannot-be-reached.
/// </summary>
public static class RadiusUnreachableCache
{
    /// <summary>PBKDF2-HMAC-SHA256 rounds: a few milliseconds once per verified password here, and per cached sign-in in FreeRADIUS.</summary>
    public const int Iterations = 10_000;

    /// <summary>Session-Timeout of an Accept from the cache: short, so the device asks again soon and gets a live answer once Brightline is back.</summary>
    public const int CachedSessionSeconds = 300;

    /// <summary>The live Accept with its cache entry (hash and lifetime) for FreeRADIUS.</summary>
    /// <param name="passwordHash">The password's hash in rlm_pap's form: <see cref="VerifiedCredentials.OfflineHash"/>, or <see cref="NewHash"/>.</param>
    public static RadiusAnswer Allow(RadiusAnswer accept, SchoolNetwork network, string passwordHash)
    {
        ArgumentNullException.ThrowIfNull(accept);
        ArgumentNullException.ThrowIfNull(network);
        var seconds = network.CacheMinutes * 60;
        if (accept.SessionTimeoutSeconds is { } timeout)
        {
            seconds = Math.Min(seconds, timeout);
        }

        return accept with { CachedPasswordHash = passwordHash, CacheSeconds = seconds };
    }

    /// <summary>A new salted hash of <paramref name="password"/> for the cache (random salt, <see cref="Iterations"/> rounds).</summary>
    public static string NewHash(string password) => Hash(password, RandomNumberGenerator.GetBytes(16), Iterations);

    /// <summary>rlm_pap's PBKDF2-Password form: <c>HMACSHA2+256:&lt;iterations, 4 bytes big-endian, base64&gt;:&lt;salt&gt;:&lt;hash&gt;</c>.</summary>
    public static string Hash(string password, byte[] salt, int iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        Span<byte> rounds = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(rounds, iterations);
        return $"HMACSHA2+256:{Convert.ToBase64String(rounds).TrimEnd('=')}:{Convert.ToBase64String(salt)}:{Convert.ToBase64String(hash)}";
    }
}
