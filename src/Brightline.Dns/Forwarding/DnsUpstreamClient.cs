using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Brightline.Dns.Server;
using Brightline.Dns.Wire;
using Microsoft.Extensions.Logging;

namespace Brightline.Dns.Forwarding;

/// <summary>
/// Sends one question to the upstream resolvers in order. Each attempt uses a fresh UDP socket
/// connected to the upstream (so the kernel picks a random source port and discards datagrams from
/// anyone else) and a cryptographically random transaction ID. A reply counts only when its ID,
/// QR bit, opcode and question (name compared case-insensitively, type, class) all match; anything
/// else is ignored as a possible spoof and the wait continues until the timeout. A truncated reply
/// is retried over TCP to the same upstream. SERVFAIL, REFUSED, NOTIMP and FORMERR replies, timeouts
/// and socket errors fall over to the next upstream; null means every upstream failed.
/// </summary>
public sealed partial class DnsUpstreamClient
{
    private readonly IReadOnlyList<IPEndPoint> _upstreams;
    private readonly DnsFilterOptions _options;
    private readonly DnsFilterCounters _counters;
    private readonly ILogger _logger;

    public DnsUpstreamClient(IReadOnlyList<IPEndPoint> upstreams, DnsFilterOptions options, DnsFilterCounters counters, ILogger logger)
    {
        _upstreams = upstreams;
        _options = options;
        _counters = counters;
        _logger = logger;
    }

    public async Task<DnsMessage?> ResolveAsync(string name, DnsRecordType type, DnsClass @class, bool dnssecOk, CancellationToken cancellationToken)
    {
        byte[] nameWire = new byte[DnsName.MaxWireLength];
        int nameLength = DnsName.Encode(name, nameWire);
        for (int i = 0; i < _upstreams.Count; i++)
        {
            IPEndPoint upstream = _upstreams[i];
            try
            {
                DnsMessage? response = await ExchangeUdpAsync(upstream, nameWire.AsMemory(0, nameLength), type, @class, dnssecOk, cancellationToken);
                if (response is not null && response.IsTruncated)
                {
                    response = await ExchangeTcpAsync(upstream, nameWire.AsMemory(0, nameLength), type, @class, dnssecOk, cancellationToken);
                }

                if (response is null)
                {
                    continue;
                }

                switch (response.ResponseCode)
                {
                    case DnsResponseCode.ServFail:
                    case DnsResponseCode.Refused:
                    case DnsResponseCode.NotImp:
                    case DnsResponseCode.FormErr:
                        Interlocked.Increment(ref _counters._upstreamErrors);
                        LogUpstreamRcode(_logger, i, (int)response.ResponseCode);
                        continue;
                    case DnsResponseCode.NoError:
                    case DnsResponseCode.NXDomain:
                    case DnsResponseCode.YXDomain:
                    case DnsResponseCode.YXRRSet:
                    case DnsResponseCode.NXRRSet:
                    case DnsResponseCode.NotAuth:
                    case DnsResponseCode.NotZone:
                    case DnsResponseCode.BadVers:
                    default:
                        return response;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception) when (exception is SocketException or DnsFormatException or IOException or OperationCanceledException)
            {
                Interlocked.Increment(ref _counters._upstreamErrors);
                LogUpstreamFailed(_logger, i, exception.GetType().Name);
            }
        }

        return null;
    }

    private async Task<DnsMessage?> ExchangeUdpAsync(
        IPEndPoint upstream, ReadOnlyMemory<byte> nameWire, DnsRecordType type, DnsClass @class, bool dnssecOk, CancellationToken cancellationToken)
    {
        ushort id = NewId();
        byte[] query = BuildQuery(id, nameWire.Span, type, @class, dnssecOk);
        using var socket = new Socket(upstream.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(upstream, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.UpstreamUdpTimeout);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ushort.MaxValue);
        try
        {
            await socket.SendAsync(query, SocketFlags.None, timeout.Token);
            for (int attempt = 0; attempt < 64; attempt++)
            {
                int received;
                try
                {
                    received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _counters._upstreamTimeouts);
                    LogUpstreamTimeout(_logger, "udp");
                    return null;
                }
                catch (SocketException)
                {
                    // ICMP port unreachable and the like: this upstream is not answering.
                    return null;
                }

                DnsMessage? response = Validate(buffer.AsSpan(0, received), id, nameWire.Span, type, @class);
                if (response is not null)
                {
                    return response;
                }
            }

            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<DnsMessage?> ExchangeTcpAsync(
        IPEndPoint upstream, ReadOnlyMemory<byte> nameWire, DnsRecordType type, DnsClass @class, bool dnssecOk, CancellationToken cancellationToken)
    {
        ushort id = NewId();
        byte[] query = BuildQuery(id, nameWire.Span, type, @class, dnssecOk);
        byte[] framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.UpstreamTcpTimeout);
        using var socket = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(upstream, timeout.Token);
            await socket.SendAsync(framed, SocketFlags.None, timeout.Token);
            byte[] lengthBytes = new byte[2];
            if (!await ReceiveExactlyAsync(socket, lengthBytes, timeout.Token))
            {
                return null;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(lengthBytes);
            byte[] body = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            try
            {
                if (!await ReceiveExactlyAsync(socket, body.AsMemory(0, length), timeout.Token))
                {
                    return null;
                }

                return Validate(body.AsSpan(0, length), id, nameWire.Span, type, @class);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(body);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _counters._upstreamTimeouts);
            LogUpstreamTimeout(_logger, "tcp");
            return null;
        }
    }

    internal static async ValueTask<bool> ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
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

    private DnsMessage? Validate(ReadOnlySpan<byte> packet, ushort id, ReadOnlySpan<byte> nameWire, DnsRecordType type, DnsClass @class)
    {
        if (packet.Length < DnsHeader.Size || BinaryPrimitives.ReadUInt16BigEndian(packet) != id)
        {
            Interlocked.Increment(ref _counters._upstreamMismatches);
            return null;
        }

        DnsMessage message;
        try
        {
            message = DnsMessage.Parse(packet);
        }
        catch (DnsFormatException)
        {
            Interlocked.Increment(ref _counters._upstreamMismatches);
            return null;
        }

        if (!message.IsResponse || message.OpCode != DnsOpCode.Query || message.Questions.Count != 1
            || message.Questions[0].Type != type || message.Questions[0].Class != @class)
        {
            Interlocked.Increment(ref _counters._upstreamMismatches);
            return null;
        }

        Span<byte> echoed = stackalloc byte[DnsName.MaxWireLength];
        if (!DnsName.TryEncode(message.Questions[0].Name, echoed, out int echoedLength)
            || !DnsName.WireEquals(echoed[..echoedLength], nameWire))
        {
            Interlocked.Increment(ref _counters._upstreamMismatches);
            return null;
        }

        return message;
    }

    private byte[] BuildQuery(ushort id, ReadOnlySpan<byte> nameWire, DnsRecordType type, DnsClass @class, bool dnssecOk)
    {
        using var writer = new DnsWriter(64 + nameWire.Length);
        writer.WriteHeader(new DnsHeader(id, DnsHeader.ComposeFlags(DnsHeaderFlags.RecursionDesired, DnsOpCode.Query, 0), 1, 0, 0, 1));
        writer.WriteName(nameWire, compress: false);
        writer.WriteUInt16((ushort)type);
        writer.WriteUInt16((ushort)@class);
        writer.WriteOpt(_options.UpstreamUdpPayloadSize, 0, dnssecOk);
        return writer.ToArray();
    }

    private static ushort NewId()
    {
        Span<byte> bytes = stackalloc byte[2];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadUInt16BigEndian(bytes);
    }

    [LoggerMessage(EventId = 5310, Level = LogLevel.Debug, Message = "Upstream timed out over {Transport}")]
    private static partial void LogUpstreamTimeout(ILogger logger, string transport);

    [LoggerMessage(EventId = 5311, Level = LogLevel.Warning, Message = "Upstream {Index} failed: {ExceptionType}")]
    private static partial void LogUpstreamFailed(ILogger logger, int index, string exceptionType);

    [LoggerMessage(EventId = 5312, Level = LogLevel.Debug, Message = "Upstream {Index} answered RCODE {Rcode}; trying the next")]
    private static partial void LogUpstreamRcode(ILogger logger, int index, int rcode);
}
