using System.Diagnostics.CodeAnalysis;

namespace Brightline.Network;

/// <summary>
/// A MAC address as controllers write it in MAC authentication's User-Name and in Calling-Station-Id —
/// <c>aa-bb-cc-dd-ee-ff</c>, <c>AABBCCDDEEFF</c>, <c>aa:bb:cc:dd:ee:ff</c>, <c>aabb.ccdd.eeff</c> — in one form,
/// lower-case with colons, so that every spelling of a device's address finds it.
/// </summary>
public static class MacAddress
{
    /// <summary>The register's spelling (<see cref="Devices.MacAddresses"/>), so a MAC the register stores and one a controller sends compare equal.</summary>
    public static bool TryNormalise(string? text, [NotNullWhen(true)] out string? mac) => Devices.MacAddresses.TryNormalise(text, out mac);
}
