using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Devices;

/// <summary>
/// What the policy's <c>devices.school_devices</c> rules ask of a school-owned device (C16: staff laptops encrypted;
/// C17: phones with a passcode), and which of those its attestations do not yet show. The latest attestation of a kind
/// decides: a later "not so" undoes an earlier "confirmed".
/// </summary>
public static class DeviceSafety
{
    /// <summary>Attestation keys the policy requires for this device, each with the requirement ID that asks for it.</summary>
    public static IReadOnlyList<(string Key, string? Requirement)> Required(DevicesPolicy policy, DeviceOwnership ownership, DeviceKind kind)
    {
        if (ownership != DeviceOwnership.School)
        {
            return [];
        }

        var key = kind.Key();
        var required = new List<(string, string?)>();
        foreach (var rule in policy.SchoolDevices.Where(r => r.Kinds.Contains(key, StringComparer.Ordinal)))
        {
            foreach (var a in rule.Attestations.Where(a => !required.Exists(r => r.Item1 == a)))
            {
                required.Add((a, rule.Requirement));
            }
        }

        return required;
    }

    /// <summary>Required keys whose latest attestation is missing or says "not so".</summary>
    public static IReadOnlyList<(string Key, string? Requirement)> Missing(DevicesPolicy policy, Device device, IEnumerable<DeviceAttestation> attestations)
    {
        var latest = attestations.GroupBy(a => a.Kind, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).First().Confirmed, StringComparer.Ordinal);
        return [.. Required(policy, device.Ownership, device.Kind).Where(r => !latest.TryGetValue(r.Key, out var ok) || !ok)];
    }

    /// <summary>Device kinds (as stored words) a school device of which must have <paramref name="attestation"/>.</summary>
    public static IReadOnlyList<DeviceKind> KindsRequiring(DevicesPolicy policy, string attestation) =>
        [.. policy.SchoolDevices.Where(r => r.Attestations.Contains(attestation, StringComparer.Ordinal))
            .SelectMany(r => r.Kinds).Distinct(StringComparer.Ordinal)
            .Select(k => DeviceKinds.Words.TryParse(k, out var kind) ? (DeviceKind?)kind : null).OfType<DeviceKind>()];

    /// <summary>How an attestation key reads on screen.</summary>
    public static string Describe(string key) => key switch
    {
        DeviceAttestationKeys.Encrypted => "Encrypted",
        DeviceAttestationKeys.Passcode => "Passcode, PIN or fingerprint on",
        DeviceAttestationKeys.TwoFactor => "Two-factor sign-in on for school accounts",
        DeviceAttestationKeys.VirusChecked => "Virus-checked",
        _ => key,
    };
}
