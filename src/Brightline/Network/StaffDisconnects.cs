using Brightline.Audit;

namespace Brightline.Network;

/// <summary>
/// The Network page's disconnect action: asks <see cref="SessionDisconnects"/> to end the session and records in the
/// audit log who asked, about whose session, and what the network answered — every attempt, including one that did
/// nothing, because "who tried to cut whom off" is the question the log must answer. A session of another school is
/// not found here, and nothing is recorded.
/// </summary>
public sealed class StaffDisconnects(NetworkSessions sessions, SessionDisconnects disconnects, AuditLog audit)
{
    public async Task<DisconnectResult> DisconnectAsync(string schoolId, Guid sessionId, string actor, string? clientAddress, CancellationToken cancellationToken)
    {
        var session = await sessions.FindAsync(schoolId, sessionId, cancellationToken);
        if (session is null)
        {
            return DisconnectResult.NotFound;
        }

        var result = await disconnects.DisconnectAsync(schoolId, sessionId, $"disconnected by {actor}", cancellationToken);
        var where = session.Network is null ? "" : $" on {session.Network}";
        var device = session.Mac is null ? "" : $" ({session.Mac})";
        await audit.AppendAsync(schoolId, actor, NetworkAuditActions.Disconnect, $"network-session:{session.Id}",
            $"{session.UserName}{device}{where}: {DisconnectResultText.Key(result)}", clientAddress, cancellationToken);
        return result;
    }
}
