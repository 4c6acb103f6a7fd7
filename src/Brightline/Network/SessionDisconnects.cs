namespace Brightline.Network;

/// <summary>
/// Ends a live network session at its NAS with a RADIUS Disconnect-Request (RFC 5176), for the Network page's
/// disconnect action and for access changes. Not built yet: every call answers <see cref="DisconnectResult.NotBuilt"/>
/// and changes nothing.
/// </summary>
public sealed class SessionDisconnects(NetworkSessions sessions)
{
    public async Task<DisconnectResult> DisconnectAsync(string schoolId, Guid sessionId, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        var session = await sessions.FindAsync(schoolId, sessionId, cancellationToken);
        return session is null ? DisconnectResult.NotFound
            : session.EndedAt is not null ? DisconnectResult.AlreadyEnded
            : DisconnectResult.NotBuilt;
    }
}
