using System.Diagnostics.CodeAnalysis;

namespace Brightline.Devices;

/// <summary>
/// A MAC address as people and controllers write it — <c>aa-bb-cc-dd-ee-ff</c>, <c>AABBCCDDEEFF</c>,
/// <c>aa:bb:cc:dd:ee:ff</c>, <c>aabb.ccdd.eeff</c> — in the register's one form, lower-case with colons, so that every
/// spelling of a device's address finds it. The register owns the spelling; MAC authentication (Network) reads it.
/// </summary>
public static class MacAddresses
{
    public static bool TryNormalise(string? text, [NotNullWhen(true)] out string? mac)
    {
        mac = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 17)
        {
            return false;
        }

        Span<char> hex = stackalloc char[12];
        var count = 0;
        foreach (var c in text.Trim())
        {
            if (c is ':' or '-' or '.')
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c) || count == 12)
            {
                return false;
            }

            hex[count++] = char.ToLowerInvariant(c);
        }

        if (count != 12)
        {
            return false;
        }

        mac = string.Create(17, hex.ToString(), (span, h) =>
        {
            for (var i = 0; i < 6; i++)
            {
                span[i * 3] = h[i * 2];
                span[(i * 3) + 1] = h[(i * 2) + 1];
                if (i < 5)
                {
                    span[(i * 3) + 2] = ':';
                }
            }
        });
        return true;
    }
}
