namespace Brightline.Network;

/// <summary>Audited action names for network access (issue 13).</summary>
public static class NetworkAuditActions
{
    public const string VoucherIssued = "guest-voucher-issued";
    public const string VoucherRevoked = "guest-voucher-revoked";
    public const string DevicesImported = "network-devices-imported";
    public const string DeviceRemoved = "network-device-removed";

    /// <summary>A member of staff asked for a session to be disconnected (the detail says whose, and what happened).</summary>
    public const string Disconnect = "network-disconnect";
}
