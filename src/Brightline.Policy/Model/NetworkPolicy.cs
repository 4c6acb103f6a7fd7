namespace Brightline.Policy.Model;

/// <summary>What a network (an SSID, or a NAS that stands for a wired network) is for; decides who FreeRADIUS may let on.</summary>
public enum NetworkKind
{
    /// <summary>People sign in with their portal account (802.1X); their group decides the VLAN.</summary>
    People,
    /// <summary>Only registered school devices (MAC authentication — not built yet: every sign-in is refused).</summary>
    SchoolDevices,
    /// <summary>Guest vouchers (O22 — not built yet: every sign-in is refused).</summary>
    Guest,
    /// <summary>The VLAN an unsigned person lands on when <see cref="NetworkPolicy.Unsigned"/> is quarantine; nobody joins it directly.</summary>
    Quarantine,
}

/// <summary>What happens to a person whose network access is withheld only because an agreement is unsigned (H2, C1).</summary>
public enum UnsignedNetworkAction
{
    /// <summary>Access-Reject, with the reason in words.</summary>
    Reject,
    /// <summary>Access-Accept on the quarantine network's VLAN, whose DNS answers the portal, so they can sign.</summary>
    Quarantine,
}

/// <summary>
/// The policy's <c>network:</c> section (issue 13): which networks Brightline decides for through FreeRADIUS, the VLAN
/// each group lands on, what an unsigned person gets, and the RADIUS clients (NAS) allowed to ask. Shared secrets
/// never appear here: a client names the setting that holds its secret. Keys: docs/network.md.
/// </summary>
public sealed record NetworkPolicy
{
    public const int DefaultMaxSessionHours = 12;

    public UnsignedNetworkAction Unsigned { get; init; } = UnsignedNetworkAction.Reject;
    /// <summary>The longest Session-Timeout given, so a session is re-decided at least this often (default 12 hours).</summary>
    public int MaxSessionHours { get; init; } = DefaultMaxSessionHours;
    public IReadOnlyList<SchoolNetwork> Networks { get; init; } = [];
    public IReadOnlyList<RadiusClientPolicy> RadiusClients { get; init; } = [];

    /// <summary>The network unsigned people land on when <see cref="Unsigned"/> is quarantine (the checks require exactly one).</summary>
    public SchoolNetwork? Quarantine => Networks.FirstOrDefault(n => n.Kind == NetworkKind.Quarantine);

    /// <summary>
    /// The network a request comes from: by NAS identifier first (a controller that names itself), then by SSID (the
    /// part of Called-Station-Id after the colon). Null when neither is in the policy.
    /// </summary>
    public SchoolNetwork? Find(string? nasIdentifier, string? ssid)
    {
        if (!string.IsNullOrEmpty(nasIdentifier)
            && Networks.FirstOrDefault(n => n.NasIdentifiers.Contains(nasIdentifier, StringComparer.OrdinalIgnoreCase)) is { } byNas)
        {
            return byNas;
        }

        return string.IsNullOrEmpty(ssid) ? null : Networks.FirstOrDefault(n => n.Ssids.Contains(ssid, StringComparer.Ordinal));
    }
}

/// <summary>One network: its SSIDs and NAS identifiers, what it is for, and its VLANs.</summary>
public sealed record SchoolNetwork
{
    public required string Name { get; init; }
    public required NetworkKind Kind { get; init; }
    /// <summary>Wi-Fi network names, matched exactly (SSIDs are case-sensitive).</summary>
    public IReadOnlyList<string> Ssids { get; init; } = [];
    /// <summary>NAS-Identifier values (a switch, a controller's WLAN profile), matched ignoring case.</summary>
    public IReadOnlyList<string> NasIdentifiers { get; init; } = [];
    /// <summary>For a people network: group ID → VLAN. A person's first group (in the policy's order) with a VLAN decides.</summary>
    public IReadOnlyDictionary<string, int> Vlans { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);
    /// <summary>For a quarantine, guest or school-devices network: its one VLAN.</summary>
    public int? Vlan { get; init; }
    /// <summary>Requirement IDs this network implements (H2, C1 …).</summary>
    public IReadOnlyList<string> Requirements { get; init; } = [];
}

/// <summary>A RADIUS client (NAS: a Wi-Fi controller, an access point, a switch) that may ask FreeRADIUS.</summary>
public sealed record RadiusClientPolicy
{
    public required string Name { get; init; }
    /// <summary>An IP address or a CIDR range.</summary>
    public required string Address { get; init; }
    /// <summary>The name of the setting (<c>Brightline:Radius:ClientSecrets:&lt;name&gt;</c>) that holds the shared secret.</summary>
    public required string SecretSetting { get; init; }
    /// <summary>The UDP port the NAS takes Disconnect-Request on (its DAE / CoA / "RFC 3576" server; RFC 5176 §3: 3799).</summary>
    public int DisconnectPort { get; init; } = DefaultDisconnectPort;

    public const int DefaultDisconnectPort = 3799;
}
