using Brightline.Policies;

namespace Brightline.Network;

/// <summary>
/// Keeps what the Network page shows of each answer: a reject is recorded with its reason (and the person, when the
/// user name is an account here); an accept's VLAN is remembered for the session accounting reports next.
/// </summary>
public sealed class AnswerRecorder(NetworkRejects rejects, RecentAccepts accepts, RadiusAccounts accounts, PolicyStore policies)
{
    public async Task RecordAsync(string schoolId, RadiusRequest request, RadiusAnswer answer, CancellationToken cancellationToken)
    {
        var userName = request.UserName;
        var mac = request.CallingStationId;
        if (answer.Kind == RadiusAnswerKind.Accept)
        {
            if (answer.Vlan is { } vlan)
            {
                accepts.Remember(schoolId, userName, mac, vlan);
            }

            return;
        }

        if (answer.Kind != RadiusAnswerKind.Reject)
        {
            return;
        }

        var (_, account) = await accounts.FindAsync(schoolId, userName, cancellationToken);
        string? network = null;
        if (answer.Code != RadiusReasons.NoPolicy)
        {
            var policy = await policies.ActiveAsync(schoolId, cancellationToken);
            network = policy.Network.Find(request.NasIdentifier, request.Ssid)?.Name;
        }

        await rejects.RecordAsync(schoolId, userName, account?.Person.Id, mac, network, answer, cancellationToken);
    }
}
