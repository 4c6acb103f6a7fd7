using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Brightline.Data.Entities;
using Microsoft.AspNetCore.Identity;

namespace Brightline.Portal;

/// <summary>
/// Authenticator-app codes (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) that work once. Identity's own
/// provider accepts the same code again for as long as it is in its window, so someone who sees a code
/// typed (over a shoulder, in a proxy log) could sign in with it a second time (issue 10, item 8). This one
/// remembers the last time step accepted for each account, in Identity's user-token store (so every node
/// sees it), and accepts only a later step. It uses the wall clock on purpose: the phone's app does.
/// </summary>
public sealed class SingleUseAuthenticatorProvider : IUserTwoFactorTokenProvider<ApplicationUser>
{
    public const string Name = "BrightlineAuthenticator";

    private const string StoreProvider = "[Brightline]";
    private const string LastStepToken = "LastAuthenticatorStep";

    // RFC 6238 §5.2 recommends at most one step of drift either side.
    private const int AllowedDrift = 1;

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<ApplicationUser> manager, ApplicationUser user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    /// <summary>Codes come from the person's app, never from the server.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<ApplicationUser> manager, ApplicationUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        if (token.Length != 6 || !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return false;
        }

        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key) || !TryDecodeBase32(key, out var secret))
        {
            return false;
        }

        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() / 30;
        var stored = await manager.GetAuthenticationTokenAsync(user, StoreProvider, LastStepToken);
        var lastUsed = long.TryParse(stored, NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last : long.MinValue;
        for (var step = now - AllowedDrift; step <= now + AllowedDrift; step++)
        {
            if (step <= lastUsed || Code(secret, step) != code)
            {
                continue;
            }

            // Saving fails on a concurrency conflict: two sign-ins racing with one code, and only one may win.
            var saved = await manager.SetAuthenticationTokenAsync(user, StoreProvider, LastStepToken, step.ToString(CultureInfo.InvariantCulture));
            return saved.Succeeded;
        }

        return false;
    }

    /// <summary>RFC 4226 §5.3: HOTP dynamic truncation of HMAC-SHA1 over the big-endian counter, six digits.</summary>
    private static int Code(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
#pragma warning disable CA5350 // RFC 6238 TOTP, as every authenticator app computes it, is HMAC-SHA1; its strength does not rest on SHA-1's collision resistance.
        HMACSHA1.HashData(secret, counter, hash);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7fffffff) % 1_000_000;
        return binary;
    }

    /// <summary>RFC 4648 base32 (the alphabet authenticator apps use), ignoring spaces and padding, any case.</summary>
    private static bool TryDecodeBase32(string text, out byte[] bytes)
    {
        var output = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            if (c is ' ' or '=')
            {
                continue;
            }

            var upper = char.ToUpperInvariant(c);
            int value = upper is >= 'A' and <= 'Z' ? upper - 'A' : upper is >= '2' and <= '7' ? upper - '2' + 26 : -1;
            if (value < 0)
            {
                bytes = [];
                return false;
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        bytes = [.. output];
        return bytes.Length > 0;
    }
}
