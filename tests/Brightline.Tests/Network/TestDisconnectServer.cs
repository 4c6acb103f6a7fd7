using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Brightline.Tests.Network;

/// <summary>How <see cref="TestDisconnectServer"/> answers.</summary>
internal enum TestDasMode
{
    Ack,
    Nak,
    Silent,
    /// <summary>An ACK signed with another secret (a NAS configured with a different one, or a forger).</summary>
    WrongSecret,
}

/// <summary>One Disconnect-Request as the test NAS received it, with what its verification found.</summary>
internal sealed record ReceivedDisconnect(byte Code, byte Identifier, bool RequestAuthenticatorValid, bool MessageAuthenticatorValid,
    IReadOnlyDictionary<byte, byte[]> Attributes)
{
    public string? Text(byte type) => Attributes.TryGetValue(type, out var v) ? Encoding.UTF8.GetString(v) : null;
}

/// <summary>
/// A NAS's Dynamic Authorization Server (RFC 5176) on a loopback UDP port, for tests: it verifies each request's
/// Request Authenticator and Message-Authenticator with the shared secret — written here from the RFCs, independently
/// of Brightline's codec, and checked against FreeRADIUS's radclient in <c>DisconnectCodecTests</c> — records it, and
/// answers as <see cref="Mode"/> says, signing its answer as a NAS does (Message-Authenticator included).
/// </summary>
internal sealed class TestDisconnectServer : IDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly byte[] _secret;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TestDisconnectServer(string secret)
    {
        _secret = Encoding.UTF8.GetBytes(secret);
        _loop = Task.Run(LoopAsync);
    }

    public int Port => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

    public volatile TestDasMode Mode = TestDasMode.Ack;

    public int ErrorCause { get; set; } = 503;

    public ConcurrentQueue<ReceivedDisconnect> Received { get; } = new();

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            var received = Verify(datagram.Buffer, _secret);
            if (received is null)
            {
                continue;
            }

            Received.Enqueue(received);
            var mode = Mode;
            if (mode == TestDasMode.Silent || !received.RequestAuthenticatorValid || !received.MessageAuthenticatorValid)
            {
                continue; // RFC 5176 §3.5: a request that does not verify is silently discarded
            }

            var answer = Answer(datagram.Buffer, mode == TestDasMode.Nak ? (byte)42 : (byte)41, mode == TestDasMode.Nak ? ErrorCause : null,
                mode == TestDasMode.WrongSecret ? Encoding.UTF8.GetBytes("not-the-secret") : _secret);
            await _udp.SendAsync(answer, datagram.RemoteEndPoint);
        }
    }

    /// <summary>Parses and verifies a request: Request Authenticator = MD5(packet with zero authenticator + secret); Message-Authenticator = HMAC-MD5 over the packet with zero authenticator and zero MA.</summary>
    public static ReceivedDisconnect? Verify(byte[] packet, byte[] secret)
    {
        if (packet.Length < 20)
        {
            return null;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2));
        if (length > packet.Length || length < 20)
        {
            return null;
        }

        var attributes = new Dictionary<byte, byte[]>();
        var maAt = -1;
        for (var at = 20; at + 2 <= length && packet[at + 1] >= 2 && at + packet[at + 1] <= length; at += packet[at + 1])
        {
            attributes[packet[at]] = packet.AsSpan(at + 2, packet[at + 1] - 2).ToArray();
            if (packet[at] == 80)
            {
                maAt = at + 2;
            }
        }

        var zeroed = packet.AsSpan(0, length).ToArray();
        Array.Clear(zeroed, 4, 16);
        var requestAuthenticator = MD5.HashData([.. zeroed, .. secret]);
        var raValid = requestAuthenticator.AsSpan().SequenceEqual(packet.AsSpan(4, 16));
        var maValid = false;
        if (maAt >= 0)
        {
            Array.Clear(zeroed, maAt, 16);
            maValid = HMACMD5.HashData(secret, zeroed).AsSpan().SequenceEqual(packet.AsSpan(maAt, 16));
        }

        return new ReceivedDisconnect(packet[0], packet[1], raValid, maValid, attributes);
    }

    /// <summary>An answer as a NAS sends it: Message-Authenticator over the answer with the request's authenticator, then the Response Authenticator.</summary>
    public static byte[] Answer(byte[] request, byte code, int? errorCause, byte[] secret)
    {
        var length = 20 + 18 + (errorCause is null ? 0 : 6);
        var answer = new byte[length];
        answer[0] = code;
        answer[1] = request[1];
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(2), (ushort)length);
        request.AsSpan(4, 16).CopyTo(answer.AsSpan(4));
        answer[20] = 80;
        answer[21] = 18;
        if (errorCause is { } cause)
        {
            answer[38] = 101;
            answer[39] = 6;
            BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(40), (uint)cause);
        }

        HMACMD5.HashData(secret, answer).CopyTo(answer.AsSpan(22));
        MD5.HashData([.. answer, .. secret]).CopyTo(answer.AsSpan(4));
        return answer;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The socket was closed under the loop.
        }

        _stop.Dispose();
    }
}
