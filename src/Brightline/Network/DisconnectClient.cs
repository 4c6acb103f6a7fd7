using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Brightline.Network;

/// <summary>
/// Sends one Disconnect-Request over UDP and waits for its verified answer (RFC 5176 as a Dynamic Authorization
/// Client). A random Identifier per request, from its own ephemeral socket, so answers to another request cannot be
/// mistaken for this one's. The identical datagram (same Identifier, same Request Authenticator, same
/// Event-Timestamp) is sent again after each timeout, <see cref="RadiusOptions.DisconnectAttempts"/> times in all
/// (RFC 5176 §2.3: a retransmission is the same packet, so a NAS that acted on the first and lost its answer
/// recognises it as a duplicate). Datagrams that do not verify are ignored and waiting goes on: anyone can send UDP
/// to the socket, and a forged ACK must not end a session on paper.
/// </summary>
public sealed class DisconnectClient(IOptions<RadiusOptions> options)
{
    public async Task<DisconnectReply> SendAsync(IPEndPoint nas, DisconnectRequest request, string secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nas);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var settings = options.Value;
        var key = DisconnectCodec.SecretBytes(secret);
        var packet = ArrayPool<byte>.Shared.Rent(DisconnectCodec.MaxPacketLength);
        var answer = ArrayPool<byte>.Shared.Rent(DisconnectCodec.MaxPacketLength);
        try
        {
            var identifier = (byte)RandomNumberGenerator.GetInt32(256);
            var length = DisconnectCodec.EncodeRequest(packet, identifier, request, key);
            var requestAuthenticator = packet.AsMemory(4, DisconnectCodec.AuthenticatorLength);
            using var socket = new Socket(nas.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(nas); // a connected UDP socket receives only from the NAS's address and port
            var sawUnverified = false;
            for (var attempt = 0; attempt < settings.DisconnectAttempts; attempt++)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(settings.DisconnectTimeout);
                try
                {
                    await socket.SendAsync(packet.AsMemory(0, length), SocketFlags.None, cancellationToken);
                }
                catch (SocketException)
                {
                    // No route to the NAS just now (an interface down, an ICMP error from the last send): an attempt that met silence.
                }

                // Bounded: each pass takes one datagram, and the wait ends at the timeout whatever arrives.
                for (var datagrams = 0; datagrams < 64; datagrams++)
                {
                    int received;
                    try
                    {
                        received = await socket.ReceiveAsync(answer.AsMemory(), SocketFlags.None, wait.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        break; // this attempt timed out: send again
                    }
                    catch (SocketException)
                    {
                        // ICMP port unreachable (nothing listens on the NAS's DAE port) surfaces here on a connected socket:
                        // treated as silence, and the next attempt tries again.
                        try
                        {
                            await Task.Delay(Timeout.Infinite, wait.Token);
                        }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                        {
                        }

                        break;
                    }

                    var reply = DisconnectCodec.ReadReply(answer.AsSpan(0, received), identifier, requestAuthenticator.Span, key);
                    if (reply is { } verified)
                    {
                        return verified;
                    }

                    sawUnverified = true;
                }
            }

            return new DisconnectReply(sawUnverified ? DisconnectReplyKind.Unverified : DisconnectReplyKind.NoAnswer);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            ArrayPool<byte>.Shared.Return(packet);
            ArrayPool<byte>.Shared.Return(answer);
        }
    }
}
