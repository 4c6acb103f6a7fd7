using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Brightline.BrowserExtension;

/// <summary>
/// One-time codes for a browser with no signed-in account (issue 12, point 2): after the person signs in to the
/// portal from the extension's popup, the portal hands the extension a code naming that person and that browser's
/// device ID, which the extension exchanges for its token (<see cref="ExtensionSignInApi"/>). The code is protected
/// with the server's data-protection keys (so any of the school's servers can read it), lives
/// <see cref="Lifetime"/>, and is accepted once: a used code's nonce is remembered until it would have expired.
/// </summary>
public sealed class ExtensionSignInCodes(IDataProtectionProvider provider, TimeProvider time)
{
    /// <summary>Long enough for the extension to see the code and exchange it; short, because it stands for a sign-in.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly IDataProtector _protector = provider.CreateProtector("Brightline.BrowserExtension.SignIn");
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    public string Issue(string schoolId, Guid personId, string deviceId)
    {
        var code = new SignInCode(schoolId, personId, deviceId, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), time.GetUtcNow() + Lifetime);
        return _protector.Protect(JsonSerializer.Serialize(code));
    }

    /// <summary>The code's content if it is genuine, unexpired, for <paramref name="deviceId"/> and not used before; it is then used.</summary>
    public SignInCode? Redeem(string? text, string deviceId)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 2000)
        {
            return null;
        }

        SignInCode? code;
        try
        {
            code = JsonSerializer.Deserialize<SignInCode>(_protector.Unprotect(text));
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (code is null || code.Expires <= now || !string.Equals(code.DeviceId, deviceId, StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var (nonce, expires) in _used)
        {
            if (expires <= now)
            {
                _used.TryRemove(nonce, out _);
            }
        }

        return _used.TryAdd(code.Nonce, code.Expires) ? code : null;
    }
}
