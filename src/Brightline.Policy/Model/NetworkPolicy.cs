namespace Brightline.Policy.Model;

/// <summary>What a network (an SSID, or a NAS that stands for a wired network) is for; decides who FreeRADIUS may let on.</summary>
public enum NetworkKind
{
    /// <summary>People sign in with their portal account (802.1X); their group decides the VLAN.</summary>
    People,
    /// <summary>Only registered school devices, by MAC authentication (O21, C3); the device's group decides the VLAN. Accounts are refused.</summary>
    SchoolDevices,
    /// <summary>Guest vouchers issued in the portal (O22); accounts are refused.</summary>
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
    /// <summary>The groups registered school devices belong to (O21, C3): a school-devices network's <c>vlans</c> are keyed by these, and an imported device names one.</summary>
    public IReadOnlyList<string> DeviceGroups { get; init; } = [];
    /// <summary>Who issues guest vouchers (O22).</summary>
    public GuestPolicy Guests { get; init; } = new();

    /// <summary>Places networks belong to, with their opening hours and filtering per group (docs/network.md#locations).</summary>
    public IReadOnlyList<NetworkLocation> Locations { get; init; } = [];

    public NetworkLocation? FindLocation(string? name) =>
        name is null ? null : Locations.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.Ordinal));

    public SchoolNetwork? FindNetwork(string? name) =>
        name is null ? null : Networks.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal));

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
    /// <summary>
    /// For a people network: group ID → VLAN; a person's first group (in the policy's order) with a VLAN decides. For a
    /// school-devices network: device group → VLAN (a group not listed takes <see cref="Vlan"/>).
    /// </summary>
    public IReadOnlyDictionary<string, int> Vlans { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);
    /// <summary>For a quarantine or guest network: its one VLAN; for a school-devices network, the VLAN of device groups not in <see cref="Vlans"/>.</summary>
    public int? Vlan { get; init; }
    /// <summary>Requirement IDs this network implements (H2, C1 …).</summary>
    public IReadOnlyList<string> Requirements { get; init; } = [];
    /// <summary>The <see cref="NetworkLocation"/> it belongs to (its hours and filtering apply as well as the network's own).</summary>
    public string? Location { get; init; }
    /// <summary>
    /// Issue 14: whether personal devices the school has approved (registered with their MAC after an approved request)
    /// may join this network by MAC authentication. Off unless the policy says <c>personal_devices: approved</c>.
    /// </summary>
    public bool ApprovedPersonalDevices { get; init; }
    /// <summary>When the network is open, per group, besides its location's hours (both must be open).</summary>
    public IReadOnlyList<NetworkHours> Hours { get; init; } = [];
    /// <summary>What FreeRADIUS does while Brightline is unreachable (fail closed unless the policy says cached).</summary>
    public UnreachableAction WhenUnreachable { get; init; } = UnreachableAction.FailClosed;
    /// <summary>For <see cref="UnreachableAction.Cached"/>: how long a live Accept may be replayed from FreeRADIUS's cache.</summary>
    public int CacheMinutes { get; init; } = DefaultCacheMinutes;

    public const int DefaultCacheMinutes = 60;
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

/// <summary>Guest vouchers (O22: "Parents/visitors use Wi-Fi only with the Head's authorisation").</summary>
public sealed record GuestPolicy
{
    /// <summary>Portal roles that may issue and revoke vouchers; <c>staff</c> means every adult role. Default: the head (O22).</summary>
    public IReadOnlyList<string> IssuedBy { get; init; } = [RoleKeys.Head];
}
