using Brightline.Data.Entities;

namespace Brightline.Network;

/// <summary>
/// After an access change, decides again what Brightline would now answer for each of the person's live sessions
/// (or, for a school-wide change, every live session of a person at the school) on that session's network, and
/// disconnects the sessions whose answer differs: now refused (a sanction, a lapsed agreement, an ended approval, a
/// leaver), or on another VLAN (quarantine left after signing, a group moved). The next reconnection gets the new
/// answer. A session whose VLAN Brightline never learnt is disconnected only when now refused: a different VLAN
/// cannot be told from an unknown one.
/// </summary>
public sealed class AccessDisconnects(NetworkSessions sessions, NetworkAccess access, SessionDisconnects disconnects)
{
    /// <summary>The most sessions one school-wide change reconsiders (a bound on one pass, not a limit anyone should reach).</summary>
    public const int MaxSessionsPerChange = 5000;

    /// <summary>Reconsiders the sessions; true when every disconnect sent got an answer (false asks the worker to try again later).</summary>
    public async Task<bool> ReconsiderAsync(string schoolId, Guid? personId, string changeReason, CancellationToken cancellationToken)
    {
        IReadOnlyList<NetworkSession> live;
        if (personId is { } id)
        {
            live = await sessions.LiveForPersonAsync(schoolId, id, cancellationToken);
        }
        else
        {
            live = await sessions.LiveWithPersonAsync(schoolId, MaxSessionsPerChange, cancellationToken);
        }

        var allAnswered = true;
        foreach (var session in live.Where(s => s.PersonId is not null))
        {
            var answer = await access.DecideForAsync(schoolId, session.PersonId!.Value, session.Network, cancellationToken);
            var why = answer switch
            {
                null => null,
                { Kind: RadiusAnswerKind.Reject } => answer.Message ?? "Network access refused.",
                { Kind: RadiusAnswerKind.Accept, Vlan: { } vlan } when session.Vlan is not null && !string.Equals(vlan, session.Vlan, StringComparison.Ordinal) =>
                    $"Now on VLAN {vlan}, not {session.Vlan}{(answer.Message is { } m ? $" ({m})" : "")}.",
                _ => null,
            };
            if (why is null)
            {
                continue;
            }

            var result = await disconnects.DisconnectAsync(schoolId, session.Id, $"access changed ({changeReason}): {why}", SessionDisconnects.SystemActor,
                $"disconnected: {changeReason}", cancellationToken);
            allAnswered &= result is not (DisconnectResult.NoAnswer or DisconnectResult.UnverifiedAnswer);
        }

        return allAnswered;
    }
}
