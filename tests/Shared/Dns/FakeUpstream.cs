using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Brightline.Dns.Wire;

namespace Brightline.Testing;

/// <summary>How the fake upstream misbehaves.</summary>
public enum FakeUpstreamMode
{
    Normal,

    /// <summary>Never answers (timeouts).</summary>
    Silent,

    /// <summary>Answers UDP with TC=1 and no records, so the forwarder must retry over TCP.</summary>
    TruncateUdp,

    /// <summary>First sends a reply with a wrong ID and a reply for another name, then the real one.</summary>
    SpoofFirst,

    /// <summary>Answers SERVFAIL.</summary>
    ServFail,
}

/// <summary>
/// A tiny authoritative-ish DNS server on real loopback UDP and TCP sockets, serving a dictionary
/// zone. Unknown names under <see cref="Origin"/> get NXDOMAIN with an SOA (negative caching).
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private readonly ConcurrentDictionary<(string Name, DnsRecordType Type), List<DnsResourceRecord>> _records = new();
    private int _udpQueries;
    private int _tcpQueries;

    public FakeUpstream(FakeUpstreamMode mode = FakeUpstreamMode.Normal, string origin = "example.test")
    {
        Mode = mode;
        Origin = origin;
        _tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)_tcp.LocalEndPoint!).Port;
        _udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
        _tcp.Listen(64);
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
        _udpLoop = Task.Run(UdpLoopAsync);
        _tcpLoop = Task.Run(TcpLoopAsync);
    }

    public FakeUpstreamMode Mode { get; set; }

    public string Origin { get; }

    public IPEndPoint EndPoint { get; }

    public uint SoaMinimum { get; set; } = 60;

    public int UdpQueries => Volatile.Read(ref _udpQueries);

    public int TcpQueries => Volatile.Read(ref _tcpQueries);

    public string Address => $"127.0.0.1:{EndPoint.Port}";

    public FakeUpstream Add(string name, DnsRecordType type, uint ttl, DnsRecordData data)
    {
        _records.GetOrAdd((name.ToLowerInvariant(), type), _ => []).Add(new DnsResourceRecord(name, type, DnsClass.IN, ttl, data));
        return this;
    }

    public FakeUpstream AddA(string name, string address, uint ttl = 300) => Add(name, DnsRecordType.A, ttl, new ARecordData(IPAddress.Parse(address)));

    public byte[] Answer(ReadOnlySpan<byte> packet, bool overTcp)
    {
        DnsMessage query = DnsMessage.Parse(packet);
        DnsQuestion question = query.Questions[0];
        var response = new DnsMessage
        {
            Id = query.Id,
            IsResponse = true,
            RecursionDesired = query.RecursionDesired,
            RecursionAvailable = true,
            Edns = query.Edns is null ? null : new DnsEdns(4096, DnssecOk: query.Edns.DnssecOk),
        };
        response.Questions.Add(question);
        if (Mode == FakeUpstreamMode.ServFail)
        {
            response.ResponseCode = DnsResponseCode.ServFail;
            return response.ToArray();
        }

        if (Mode == FakeUpstreamMode.TruncateUdp && !overTcp)
        {
            response.IsTruncated = true;
            return response.ToArray();
        }

        string name = question.Name.ToLowerInvariant();
        if (_records.TryGetValue((name, question.Type), out List<DnsResourceRecord>? records))
        {
            response.Answers.AddRange(records);
        }
        else if (_records.TryGetValue((name, DnsRecordType.CNAME), out List<DnsResourceRecord>? cname))
        {
            response.Answers.AddRange(cname);
            string target = ((NameRecordData)cname[0].Data).Target.ToLowerInvariant();
            if (_records.TryGetValue((target, question.Type), out List<DnsResourceRecord>? targetRecords))
            {
                response.Answers.AddRange(targetRecords);
            }
        }
        else
        {
            bool exists = _records.Keys.Any(key => key.Name == name);
            response.ResponseCode = exists ? DnsResponseCode.NoError : DnsResponseCode.NXDomain;
            response.Authorities.Add(new DnsResourceRecord(
                Origin, DnsRecordType.SOA, DnsClass.IN, 3600, new SoaRecordData($"ns1.{Origin}", $"hostmaster.{Origin}", 1, 3600, 600, 86400, SoaMinimum)));
        }

        return response.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Dispose();
        try
        {
            await Task.WhenAll(_udpLoop, _tcpLoop).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // Closing.
        }

        _stop.Dispose();
    }

    private async Task UdpLoopAsync()
    {
        byte[] buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            Interlocked.Increment(ref _udpQueries);
            if (Mode == FakeUpstreamMode.Silent)
            {
                continue;
            }

            try
            {
                byte[] answer = Answer(buffer.AsSpan(0, result.ReceivedBytes), overTcp: false);
                if (Mode == FakeUpstreamMode.SpoofFirst)
                {
                    byte[] wrongId = (byte[])answer.Clone();
                    BinaryPrimitives.WriteUInt16BigEndian(wrongId, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(answer) + 1));
                    await _udp.SendToAsync(wrongId, SocketFlags.None, result.RemoteEndPoint);
                    var other = DnsMessage.Parse(answer);
                    var spoof = new DnsMessage { Id = other.Id, IsResponse = true };
                    spoof.Questions.Add(new DnsQuestion("evil.invalid", other.Questions[0].Type));
                    spoof.Answers.Add(new DnsResourceRecord("evil.invalid", DnsRecordType.A, DnsClass.IN, 999, new ARecordData(IPAddress.Parse("6.6.6.6"))));
                    await _udp.SendToAsync(spoof.ToArray(), SocketFlags.None, result.RemoteEndPoint);
                }

                await _udp.SendToAsync(answer, SocketFlags.None, result.RemoteEndPoint);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception)
            {
                // Ignore garbage (and anything odd in it).
            }
        }
    }

    private async Task TcpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _tcp.AcceptAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (connection)
                {
                    try
                    {
                        while (true)
                        {
                            byte[]? query = await DnsTestClient.ReadFramedAsync(connection, _stop.Token);
                            if (query is null)
                            {
                                return;
                            }

                            Interlocked.Increment(ref _tcpQueries);
                            if (Mode == FakeUpstreamMode.Silent)
                            {
                                continue;
                            }

                            await DnsTestClient.WriteFramedAsync(connection, Answer(query, overTcp: true), _stop.Token);
                        }
                    }
                    catch (Exception)
                    {
                        // Connection closed.
                    }
                }
            });
        }
    }
}
