using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Brightline.Dns.Wire;

namespace Brightline.Testing;

/// <summary>A minimal stub resolver for tests, over real sockets.</summary>
public static class DnsTestClient
{
    public static byte[] Query(string name, DnsRecordType type, ushort id = 0x1234, DnsEdns? edns = null, bool recursionDesired = true)
    {
        var message = new DnsMessage { Id = id, RecursionDesired = recursionDesired, Edns = edns };
        message.Questions.Add(new DnsQuestion(name, type));
        return message.ToArray();
    }

    public static async Task<byte[]?> SendUdpRawAsync(IPEndPoint server, byte[] packet, TimeSpan timeout)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server);
        await socket.SendAsync(packet, SocketFlags.None);
        using var cts = new CancellationTokenSource(timeout);
        byte[] buffer = new byte[65535];
        try
        {
            int received = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            return buffer[..received];
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (SocketException)
        {
            await Task.Delay(100);
            return null; // port unreachable (nothing listening yet)
        }
    }

    /// <summary>
    /// Asks <paramref name="server"/> over UDP from the local address <paramref name="from"/> (a
    /// loopback address standing in for a device on a school network: the DNS filter maps source
    /// addresses to groups and bound people). Waits up to ten seconds for the answer.
    /// </summary>
    public static async Task<DnsMessage> AskFromAsync(IPAddress from, IPEndPoint server, string name, DnsRecordType type = DnsRecordType.A)
    {
        using var socket = new Socket(from.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(from, 0));
        await socket.ConnectAsync(server);
        var query = Query(name, type, (ushort)Random.Shared.Next(1, ushort.MaxValue));
        var buffer = new byte[4096];
        // Like a stub resolver (RFC 1035 §4.2.1: UDP is unreliable), ask again every 2 s: a server under a flood
        // drops a reply rather than block, and a lost datagram is not a failure. Five tries, ten seconds in all.
        for (var attempt = 1; ; attempt++)
        {
            await socket.SendAsync(query, SocketFlags.None);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                return DnsMessage.Parse(buffer.AsSpan(0, received).ToArray());
            }
            catch (OperationCanceledException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>The address of the first A record of <paramref name="message"/>, or null.</summary>
    public static string? FirstA(DnsMessage message) =>
        message.Answers.Select(a => a.Data).OfType<ARecordData>().FirstOrDefault()?.Address.ToString();

    public static async Task<DnsMessage> UdpAsync(IPEndPoint server, byte[] packet, TimeSpan? timeout = null)
    {
        byte[]? answer = await SendUdpRawAsync(server, packet, timeout ?? TimeSpan.FromSeconds(10));
        answer.ShouldNotBeNull("no UDP answer");
        return DnsMessage.Parse(answer);
    }

    public static async Task<DnsMessage> TcpAsync(IPEndPoint server, byte[] packet)
    {
        // A connection the server closes unanswered is tried again, a few times: the server limits connections per
        // client address (RFC 7766 §6.2.2) and may not yet have seen this client's previous connections close.
        for (var attempt = 1; ; attempt++)
        {
            using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(server, cts.Token);
            byte[]? answer = null;
            try
            {
                await WriteFramedAsync(socket, packet, cts.Token);
                answer = await ReadFramedAsync(socket, cts.Token);
            }
            catch (SocketException) when (attempt < 5)
            {
            }

            if (answer is not null || attempt == 5)
            {
                answer.ShouldNotBeNull("no TCP answer");
                return DnsMessage.Parse(answer);
            }

            await Task.Delay(250);
        }
    }

    /// <summary>A TCP connection to <paramref name="server"/> from the local address <paramref name="from"/> (a loopback address standing in for one device).</summary>
    public static async Task<Socket> ConnectTcpFromAsync(IPAddress from, IPEndPoint server, CancellationToken cancellationToken)
    {
        var socket = new Socket(from.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(server, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Asks over TCP from <paramref name="from"/>; null when the server closed the connection without an answer (or none came within <paramref name="timeout"/>).</summary>
    public static async Task<DnsMessage?> AskTcpFromAsync(IPAddress from, IPEndPoint server, string name, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            using Socket socket = await ConnectTcpFromAsync(from, server, cts.Token);
            await WriteFramedAsync(socket, Query(name, DnsRecordType.A, (ushort)Random.Shared.Next(1, ushort.MaxValue)), cts.Token);
            byte[]? answer = await ReadFramedAsync(socket, cts.Token);
            return answer is null ? null : DnsMessage.Parse(answer);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            return null;
        }
    }

    public static async Task WriteFramedAsync(Socket socket, byte[] message, CancellationToken cancellationToken)
    {
        byte[] framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        await socket.SendAsync(framed, SocketFlags.None, cancellationToken);
    }

    public static async Task<byte[]?> ReadFramedAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] length = new byte[2];
        if (!await ReadExactlyAsync(socket, length, cancellationToken))
        {
            return null;
        }

        byte[] body = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
        return await ReadExactlyAsync(socket, body, cancellationToken) ? body : null;
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await socket.ReceiveAsync(buffer[total..], SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return false;
            }

            total += read;
        }

        return true;
    }
}
