using Brightline.Audit;

namespace Brightline.Network;

/// <summary>
/// The Network page's disconnect action: asks <see cref="SessionDisconnects"/>, as the signed-in member of staff, to
/// end the session. Every attempt is in the audit log with who asked, whose session and what the network answered —
/// SessionDisconnects records those it makes, this one an attempt on a session already ended — because "who tried to
/// cut whom off" is the question the log must answer. A session of another school is not found, and nothing is recorded.
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

        // SessionDisconnects audits every attempt it makes, with the outcome; only an attempt on an ended session, where
        // nothing is sent, is recorded here.
        var result = await disconnects.DisconnectAsync(schoolId, sessionId, $"asked for in the portal by {actor}", actor, "disconnected: in the portal", cancellationToken);
        if (result == DisconnectResult.AlreadyEnded)
        {
            var where = session.Network is null ? "" : $" on {session.Network}";
            var device = session.Mac is null ? "" : $" ({session.Mac})";
            await audit.AppendAsync(schoolId, actor, NetworkAuditActions.Disconnect, $"network-session:{session.Id}",
                $"{session.UserName}{device}{where}: {DisconnectResultText.Key(result)}", clientAddress, cancellationToken);
        }

        return result;
    }
}
