using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Brightline.Dns.Tests.Infrastructure;
using Brightline.Dns.Wire;

namespace Brightline.Dns.Tests;

/// <summary>Seeded randomised robustness tests with fixed budgets (packet count and wall time).</summary>
public sealed class FuzzTests
{
    private const int Seed = 20250106;

    private static byte[][] Corpus()
    {
        var response = new DnsMessage { Id = 7, IsResponse = true, Edns = new DnsEdns(1232, DnssecOk: true) { Options = [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8] } };
        response.Questions.Add(new DnsQuestion("www.example.test", DnsRecordType.A));
        response.Answers.Add(new DnsResourceRecord("www.example.test", DnsRecordType.CNAME, DnsClass.IN, 60, new NameRecordData("cdn.example.test")));
        response.Answers.Add(new DnsResourceRecord("cdn.example.test", DnsRecordType.A, DnsClass.IN, 60, new ARecordData(IPAddress.Parse("192.0.2.1"))));
        response.Authorities.Add(new DnsResourceRecord("example.test", DnsRecordType.SOA, DnsClass.IN, 60, new SoaRecordData("ns.example.test", "h.example.test", 1, 2, 3, 4, 5)));
        response.Additionals.Add(new DnsResourceRecord("example.test", DnsRecordType.MX, DnsClass.IN, 60, new MxRecordData(5, "mx.example.test")));
        response.Additionals.Add(new DnsResourceRecord("_s._tcp.example.test", DnsRecordType.SRV, DnsClass.IN, 60, new SrvRecordData(1, 2, 3, "example.test")));
        response.Additionals.Add(new DnsResourceRecord("example.test", DnsRecordType.TXT, DnsClass.IN, 60, new TxtRecordData(["hello", "world"])));
        return
        [
            DnsTestClient.Query("www.example.test", DnsRecordType.A),
            DnsTestClient.Query("www.example.test", DnsRecordType.AAAA, edns: new DnsEdns(4096, DnssecOk: true) { Options = [0, 8, 0, 4, 0, 1, 24, 0] }),
            response.ToArray(),
        ];
    }

    private static byte[] NextPacket(Random random, byte[][] corpus)
    {
        byte[] seed = corpus[random.Next(corpus.Length)];
        switch (random.Next(4))
        {
            case 0:
            {
                byte[] garbage = new byte[random.Next(0, 700)];
                random.NextBytes(garbage);
                if (garbage.Length > 3 && random.Next(2) == 0)
                {
                    garbage[2] &= 0x07; // look like a query, so the parser goes deeper
                }

                return garbage;
            }

            case 1:
                return seed[..random.Next(0, seed.Length)];
            default:
            {
                byte[] mutated = [.. seed];
                int flips = random.Next(1, 8);
                for (int i = 0; i < flips; i++)
                {
                    int at = random.Next(mutated.Length);
                    mutated[at] = random.Next(3) switch
                    {
                        0 => (byte)random.Next(256),
                        1 => (byte)(0xC0 | random.Next(64)),
                        _ => (byte)(mutated[at] ^ (1 << random.Next(8))),
                    };
                }

                if (random.Next(4) == 0)
                {
                    mutated[2] &= 0x7F; // clear QR so the server treats it as a query
                }

                return mutated;
            }
        }
    }

    [Fact]
    public void Parse_SeededGarbageAndMutations_OnlyThrowsDnsFormatException()
    {
        var random = new Random(Seed);
        byte[][] corpus = Corpus();
        var stopwatch = Stopwatch.StartNew();
        int parsed = 0;
        for (int i = 0; i < 200_000 && stopwatch.Elapsed < TimeSpan.FromSeconds(10); i++)
        {
            byte[] packet = NextPacket(random, corpus);
            DnsQueryReader.Read(packet, out _); // must never throw
            try
            {
                DnsMessage message = DnsMessage.Parse(packet);
                message.ToArray().ShouldNotBeNull();
                parsed++;
            }
            catch (DnsFormatException)
            {
                // Expected for most mutations.
            }
        }

        parsed.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Server_SeededFuzzOverUdpAndTcp_StillAnswersNormalQuery()
    {
        await using var upstream = new FakeUpstream();
        upstream.AddA("www.example.test", "192.0.2.10");
        await using TestServer server = await TestServer.StartAsync([upstream.Address], options => options.TcpIdleTimeout = TimeSpan.FromSeconds(1));
        var random = new Random(Seed);
        byte[][] corpus = Corpus();
        var stopwatch = Stopwatch.StartNew();
        TimeSpan budget = TimeSpan.FromSeconds(15);

        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            await udp.ConnectAsync(server.EndPoint);
            for (int i = 0; i < 3000 && stopwatch.Elapsed < budget; i++)
            {
                await udp.SendAsync(NextPacket(random, corpus), SocketFlags.None);
                if (i % 100 == 0)
                {
                    await Task.Delay(5); // let the server drain rather than measure the kernel's buffer
                }
            }
        }

        for (int connection = 0; connection < 40 && stopwatch.Elapsed < budget; connection++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await tcp.ConnectAsync(server.EndPoint);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                for (int i = 0; i < 20; i++)
                {
                    byte[] packet = NextPacket(random, corpus);
                    if (random.Next(10) == 0)
                    {
                        // A lying frame: the length claims more than follows, then the client goes away.
                        await tcp.SendAsync(new byte[] { 0x10, 0x00, 1, 2, 3 }, SocketFlags.None, cts.Token);
                        break;
                    }

                    await DnsTestClient.WriteFramedAsync(tcp, packet, cts.Token);
                }
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException)
            {
                // The server may close a connection that sent a zero-length frame.
            }
        }

        DnsMessage udpAnswer = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A, id: 999));
        DnsMessage tcpAnswer = await DnsTestClient.TcpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A, id: 998));

        udpAnswer.Id.ShouldBe((ushort)999);
        udpAnswer.Answers.Single().Data.ShouldBe(new ARecordData(IPAddress.Parse("192.0.2.10")));
        tcpAnswer.Answers.Single().Data.ShouldBe(new ARecordData(IPAddress.Parse("192.0.2.10")));
        var counters = server.Server.Counters.Snapshot();
        counters.PacketErrors.ShouldBe(0);
        (counters.Malformed + counters.Dropped).ShouldBeGreaterThan(100);
    }

    /// <summary>
    /// Four fuzzers at once (the shape of the run that once logged "DNS packet failed on udp:
    /// NullReferenceException"): garbage, truncations and mutations mixed with good queries, so cache
    /// hits, coalesced upstream fetches and pending sends overlap across the receive loops. A server
    /// never logs a warning or an exception for bad input. Bounded by packet count and wall time.
    /// </summary>
    [Fact]
    public async Task Server_FourParallelUdpFuzzers_LogNothingAndStillAnswer()
    {
        await using var upstream = new FakeUpstream();
        upstream.AddA("www.example.test", "192.0.2.10");
        var logs = new CapturingLoggerProvider { MinimumLevel = Microsoft.Extensions.Logging.LogLevel.Warning };
        await using TestServer server = await TestServer.StartAsync(
            [upstream.Address], options => options.UdpReceiveLoops = 4, logger: logs.CreateLogger<Brightline.Dns.Server.DnsFilterServer>());
        var stopwatch = Stopwatch.StartNew();
        TimeSpan budget = TimeSpan.FromSeconds(20);

        async Task FuzzAsync(int fuzzer)
        {
            var random = new Random(Seed + fuzzer);
            byte[][] corpus = Corpus();
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            await udp.ConnectAsync(server.EndPoint);
            for (int i = 0; i < 100_000 && stopwatch.Elapsed < budget; i++)
            {
                // Mostly answerable queries (cache hits answer inline, so replies leave every receive loop at
                // once — the race needs two replies in flight together), the rest fuzz.
                byte[] packet = random.Next(3) != 0
                    ? DnsTestClient.Query(random.Next(8) != 0 ? "www.example.test" : $"n{random.Next(200)}.example.test", DnsRecordType.A, (ushort)random.Next(ushort.MaxValue))
                    : NextPacket(random, corpus);
                await udp.SendAsync(packet, SocketFlags.None);
                if (i % 200 == 0)
                {
                    await Task.Delay(1); // keep the flood within what the kernel buffers, so packets reach the server
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(f => Task.Run(() => FuzzAsync(f))));

        // The backlog drains first; a datagram lost to a full buffer meanwhile is simply asked again, as a stub would.
        byte[]? reply = null;
        for (int attempt = 0; attempt < 10 && reply is null; attempt++)
        {
            reply = await DnsTestClient.SendUdpRawAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A, id: 997), TimeSpan.FromSeconds(2));
        }

        DnsMessage.Parse(reply.ShouldNotBeNull()).Answers.Single().Data.ShouldBe(new ARecordData(IPAddress.Parse("192.0.2.10")));
        logs.Entries.Select(e => $"{e.Level} {e.Message} {e.Exception}").ShouldBeEmpty();
        server.Server.Counters.Snapshot().PacketErrors.ShouldBe(0);
    }
}
