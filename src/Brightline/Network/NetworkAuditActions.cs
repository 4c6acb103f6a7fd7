namespace Brightline.Network;

/// <summary>The Network feature's audited actions.</summary>
public static class NetworkAuditActions
{
    /// <summary>A member of staff asked for a session to be disconnected (the detail says whose, and what happened).</summary>
    public const string Disconnect = "network-disconnect";
}
