using System.Net;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.Extensions.Options;

namespace Brightline.Network;

/// <summary>
/// Ends a live network session at its NAS with a RADIUS Disconnect-Request (RFC 5176), for the Network page's
/// disconnect action and for access changes (<see cref="AccessDisconnects"/>). The request goes to the session's
/// NAS-IP-Address, on the <c>disconnect_port</c> of the policy's RADIUS client covering that address (the most
/// specific one when ranges overlap), signed with that client's shared secret. On Disconnect-ACK the session is ended
/// ("disconnected: …"); every attempt, whatever came back, is written to the audit log with the reason in words —
/// here, so the portal's action and the automatic one are audited alike.
/// </summary>
public sealed partial class SessionDisconnects(
    BrightlineDbContext db,
    NetworkSessions sessions,
    PolicyStore policies,
    DisconnectClient client,
    AuditLog audit,
    IOptions<RadiusOptions> options,
    ILogger<SessionDisconnects> logger)
{
    /// <summary>The audit action of every Disconnect-Request sent (or that could not be sent).</summary>
    public const string AuditAction = "network-disconnect";

    /// <summary>The actor of disconnects Brightline makes itself after an access change.</summary>
    public const string SystemActor = "brightline";

    /// <summary>
    /// Sends Disconnect-Request for the session and waits for the NAS's verified answer (bounded by the retransmissions).
    /// <paramref name="reason"/> is written in full to the audit log; the session's end reason (64 characters) is
    /// <paramref name="endReason"/>, or "disconnected: " and the start of the reason.
    /// </summary>
    public async Task<DisconnectResult> DisconnectAsync(string schoolId, Guid sessionId, string reason, string actor, string? endReason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        ArgumentException.ThrowIfNullOrEmpty(actor);
        var session = await sessions.FindAsync(schoolId, sessionId, cancellationToken);
        if (session is null)
        {
            return DisconnectResult.NotFound;
        }

        if (session.EndedAt is not null)
        {
            return DisconnectResult.AlreadyEnded;
        }

        var route = await RouteAsync(schoolId, session, cancellationToken);
        if (route is null)
        {
            LogNoRoute(logger, schoolId);
            await AuditAsync(session, actor, $"Not sent: the NAS gave no address, or no RADIUS client in the policy covers it (no shared secret to sign with). Reason: {reason}", cancellationToken);
            return DisconnectResult.NoRoute;
        }

        var (nas, endPoint, secret) = route.Value;
        var request = new DisconnectRequest
        {
            UserName = session.UserName,
            AcctSessionId = session.AcctSessionId,
            CallingStationId = session.Mac,
            NasAddress = session.NasAddress is { } a ? IPAddress.Parse(a) : null,
            NasIdentifier = session.NasIdentifier,
            // The NAS compares Event-Timestamp with its own clock (its replay window: hostapd's is five minutes), so it is always the real time.
            EventTimestamp = TimeProvider.System.GetUtcNow(),
        };
        var reply = await client.SendAsync(endPoint, request, secret, cancellationToken);
        var result = reply.Kind switch
        {
            DisconnectReplyKind.Ack => DisconnectResult.Disconnected,
            DisconnectReplyKind.Nak => DisconnectResult.Refused,
            DisconnectReplyKind.Unverified => DisconnectResult.UnverifiedAnswer,
            DisconnectReplyKind.NoAnswer => DisconnectResult.NoAnswer,
            _ => throw new InvalidOperationException($"Unknown reply {reply.Kind}."),
        };
        var at = $"the NAS '{nas.Name}' ({endPoint})";
        var what = result switch
        {
            DisconnectResult.Disconnected => $"Disconnected by {at} (Disconnect-ACK).",
            DisconnectResult.Refused => $"Refused by {at} (Disconnect-NAK{(reply.ErrorCauseText is { } cause ? $", Error-Cause {cause}" : "")}).",
            DisconnectResult.UnverifiedAnswer => $"Only unverifiable answers came from {at} after {options.Value.DisconnectAttempts} tries (is its shared secret the one in Brightline:Radius:ClientSecrets:{nas.SecretSetting}?); the session is left as it is.",
            DisconnectResult.NoAnswer => $"No answer from {at} after {options.Value.DisconnectAttempts} tries; is its Disconnect (DAE/CoA) port open?",
            DisconnectResult.NoRoute or DisconnectResult.AlreadyEnded or DisconnectResult.NotFound => throw new InvalidOperationException($"Not an outcome of sending: {result}."),
            _ => throw new InvalidOperationException($"Unknown result {result}."),
        };
        LogSent(logger, schoolId, nas.Name, result);
        // The session's end and its audit entry commit together: whoever sees the one sees the other.
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (result == DisconnectResult.Disconnected)
        {
            await sessions.EndAsync(schoolId, sessionId, Cut(endReason ?? $"disconnected: {reason}", 64), cancellationToken);
        }

        await AuditAsync(session, actor, $"{what} Reason: {reason}", cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return result;
    }

    private Task AuditAsync(NetworkSession session, string actor, string detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(session.SchoolId, actor, AuditAction, $"network-session:{session.Id}",
            $"{session.UserName} on {session.Network ?? "an unknown network"}{(session.Mac is { } mac ? $" from {mac}" : "")}: {detail}", null, cancellationToken);

    /// <summary>Where to send, and the secret to sign with; null when the NAS gave no address or no client covers it.</summary>
    private async Task<(RadiusClientPolicy Client, IPEndPoint EndPoint, string Secret)?> RouteAsync(string schoolId, NetworkSession session, CancellationToken cancellationToken)
    {
        if (session.NasAddress is null || !IPAddress.TryParse(session.NasAddress, out var address))
        {
            return null;
        }

        Brightline.Policy.Model.SchoolPolicy policy;
        try
        {
            policy = await policies.ActiveAsync(schoolId, cancellationToken);
        }
        catch (Kernel.NotFoundException)
        {
            return null; // no policy loaded: no RADIUS clients, so no secret
        }

        var covering = ClientFor(policy.Network, address);
        if (covering is null || !options.Value.ClientSecrets.TryGetValue(covering.SecretSetting, out var secret) || string.IsNullOrEmpty(secret))
        {
            return null;
        }

        return (covering, new IPEndPoint(address, covering.DisconnectPort), secret);
    }

    /// <summary>The RADIUS client whose address or range holds <paramref name="address"/>; the narrowest range wins (a single address is /32).</summary>
    public static RadiusClientPolicy? ClientFor(NetworkPolicy network, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        RadiusClientPolicy? best = null;
        var bestPrefix = -1;
        foreach (var candidate in network.RadiusClients)
        {
            var slash = candidate.Address.IndexOf('/', StringComparison.Ordinal);
            if (!IPAddress.TryParse(slash < 0 ? candidate.Address : candidate.Address[..slash], out var first))
            {
                continue;
            }

            var bits = first.GetAddressBytes().Length * 8;
            var prefix = slash < 0 ? bits : int.TryParse(candidate.Address[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : -1;
            // Matched by prefix rather than IPNetwork, which refuses a range written with host bits set (10.0.1.5/24) that the policy's checks allow.
            if (prefix >= 0 && prefix <= bits && prefix > bestPrefix && SamePrefix(first, address, prefix))
            {
                best = candidate;
                bestPrefix = prefix;
            }
        }

        return best;
    }

    private static bool SamePrefix(IPAddress range, IPAddress address, int prefix)
    {
        var a = range.GetAddressBytes();
        var b = address.GetAddressBytes();
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length && prefix > 0; i++, prefix -= 8)
        {
            var mask = prefix >= 8 ? 0xFF : (byte)(0xFF << (8 - prefix));
            if ((a[i] & mask) != (b[i] & mask))
            {
                return false;
            }
        }

        return true;
    }

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text;

    [LoggerMessage(EventId = 13010, Level = LogLevel.Warning, Message = "Disconnect-Request for a session at school {School} not sent: its NAS gave no address or no RADIUS client covers it.")]
    private static partial void LogNoRoute(ILogger logger, string school);

    [LoggerMessage(EventId = 13011, Level = LogLevel.Information, Message = "Disconnect-Request for a session at school {School} sent to RADIUS client {Client}: {Result}.")]
    private static partial void LogSent(ILogger logger, string school, string client, DisconnectResult result);
}
