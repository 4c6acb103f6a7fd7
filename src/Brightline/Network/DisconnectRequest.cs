using System.Net;

namespace Brightline.Network;

/// <summary>
/// What a Disconnect-Request names (RFC 5176 §3): the session's identification attributes, as the NAS reported them
/// in accounting, so the NAS can find the one session meant. Null values are left out of the packet.
/// </summary>
public sealed record DisconnectRequest
{
    public string? UserName { get; init; }
    public string? AcctSessionId { get; init; }
    /// <summary>The device's MAC as the NAS sent it (Calling-Station-Id).</summary>
    public string? CallingStationId { get; init; }
    /// <summary>NAS-IP-Address (an IPv4 address) or NAS-IPv6-Address (RFC 3162), whichever family it is.</summary>
    public IPAddress? NasAddress { get; init; }
    public string? NasIdentifier { get; init; }
    /// <summary>Event-Timestamp (RFC 2869 §5.3): NASes that guard against replays (hostapd) refuse a request without one, or an old one.</summary>
    public required DateTimeOffset EventTimestamp { get; init; }
}
