using System.Net;
using System.Net.Sockets;
using Brightline.Dns.Logging;
using Brightline.Dns.Policy;
using Brightline.Dns.Server;
using Brightline.Dns.Tests.Infrastructure;
using Brightline.Dns.Wire;
using Microsoft.Extensions.Time.Testing;

namespace Brightline.Dns.Tests;

public sealed class DnsFilterServerTests
{
    private static readonly IPAddress _blockV4 = IPAddress.Parse("10.0.0.80");
    private static readonly IPAddress _blockV6 = IPAddress.Parse("fd00::80");

    private static FakeUpstream Zone(FakeUpstreamMode mode = FakeUpstreamMode.Normal)
    {
        var upstream = new FakeUpstream(mode);
        upstream.AddA("www.example.test", "192.0.2.10", 300)
            .Add("www.example.test", DnsRecordType.AAAA, 300, new AaaaRecordData(IPAddress.Parse("2001:db8::10")))
            .AddA("forcesafesearch.example.test", "192.0.2.99", 120)
            .Add("alias.example.test", DnsRecordType.CNAME, 300, new NameRecordData("www.example.test"))
            .Add("example.test", DnsRecordType.MX, 300, new MxRecordData(10, "mail.example.test"));
        for (int i = 0; i < 60; i++)
        {
            upstream.AddA("big.example.test", $"198.51.100.{i}", 300);
        }

        return upstream;
    }

    [Fact]
    public async Task Udp_AllowedName_IsForwardedAndAnswered()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);

        DnsMessage answer = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("WWW.Example.test", DnsRecordType.A, id: 4321));

        answer.Id.ShouldBe((ushort)4321);
        answer.IsResponse.ShouldBeTrue();
        answer.RecursionAvailable.ShouldBeTrue();
        answer.ResponseCode.ShouldBe(DnsResponseCode.NoError);
        answer.Questions[0].Name.ShouldBe("WWW.Example.test"); // the client's spelling comes back
        answer.Answers.Single().Data.ShouldBe(new ARecordData(IPAddress.Parse("192.0.2.10")));
        server.Policy.Seen.Single().QueryName.ShouldBe("www.example.test");
        server.Policy.Seen.Single().Transport.ShouldBe(DnsTransport.Udp);
        server.Policy.Seen.Single().ClientAddress.ShouldBe(IPAddress.Loopback);
    }

    [Fact]
    public async Task Forward_SecondQuery_IsServedFromCacheWithDecrementedTtl()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2025-01-06T09:00:00Z"));
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address], clock: clock);

        DnsMessage first = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A));
        clock.Advance(TimeSpan.FromSeconds(100));
        DnsMessage second = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A));
        DnsMessage overTcp = await DnsTestClient.TcpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A));

        first.Answers[0].Ttl.ShouldBe(300u);
        second.Answers[0].Ttl.ShouldBe(200u);
        overTcp.Answers[0].Ttl.ShouldBe(200u);
        upstream.UdpQueries.ShouldBe(1);
        server.Server.Counters.Snapshot().CacheHits.ShouldBe(2);

        clock.Advance(TimeSpan.FromSeconds(201));
        DnsMessage afterExpiry = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A));
        afterExpiry.Answers[0].Ttl.ShouldBe(300u);
        upstream.UdpQueries.ShouldBe(2);
    }

    [Fact]
    public async Task Forward_DoBit_IsPartOfTheCacheKey()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);

        await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A, edns: new DnsEdns(1232)));
        DnsMessage withDo = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A, edns: new DnsEdns(1232, DnssecOk: true)));

        upstream.UdpQueries.ShouldBe(2);
        withDo.Edns.ShouldNotBeNull();
        withDo.Edns.DnssecOk.ShouldBeTrue();
    }

    [Fact]
    public async Task Forward_NxDomain_IsNegativelyCachedForSoaMinimum()
    {
        var clock = new FakeTimeProvider();
        await using FakeUpstream upstream = Zone();
        upstream.SoaMinimum = 30;
        await using TestServer server = await TestServer.StartAsync([upstream.Address], clock: clock);

        DnsMessage first = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("missing.example.test", DnsRecordType.A));
        clock.Advance(TimeSpan.FromSeconds(10));
        DnsMessage second = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("missing.example.test", DnsRecordType.A));

        first.ResponseCode.ShouldBe(DnsResponseCode.NXDomain);
        second.ResponseCode.ShouldBe(DnsResponseCode.NXDomain);
        second.Authorities.Single().Type.ShouldBe(DnsRecordType.SOA);
        second.Authorities[0].Ttl.ShouldBe(3590u);
        upstream.UdpQueries.ShouldBe(1);

        clock.Advance(TimeSpan.FromSeconds(21));
        await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("missing.example.test", DnsRecordType.A));
        upstream.UdpQueries.ShouldBe(2);
    }

    [Fact]
    public async Task Forward_PolicyTtlCap_CapsForwardedTtls()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);
        server.Policy.Answers["www.example.test"] = DnsPolicyAnswer.Forward(TimeSpan.FromSeconds(15));

        DnsMessage answer = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A));

        answer.Answers[0].Ttl.ShouldBe(15u);
    }

    [Fact]
    public async Task Forward_FirstUpstreamSilent_FallsOverToSecond()
    {
        await using FakeUpstream silent = Zone(FakeUpstreamMode.Silent);
        await using FakeUpstream failing = Zone(FakeUpstreamMode.ServFail);
        await using FakeUpstream good = Zone();
        await using TestServer server = await TestServer.StartAsync([silent.Address, failing.Address, good.Address]);

        DnsMessage answer = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A));

        answer.ResponseCode.ShouldBe(DnsResponseCode.NoError);
        answer.Answers.Count.ShouldBe(1);
        silent.UdpQueries.ShouldBe(1);
        failing.UdpQueries.ShouldBe(1);
        server.Server.Counters.Snapshot().UpstreamTimeouts.ShouldBe(1);
    }

    [Fact]
    public async Task Forward_AllUpstreamsFail_AnswersServFail()
    {
        await using FakeUpstream silent = Zone(FakeUpstreamMode.Silent);
        await using TestServer server = await TestServer.StartAsync([silent.Address, "127.0.0.1:9"]);

        DnsMessage answer = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A));

        answer.ResponseCode.ShouldBe(DnsResponseCode.ServFail);
        DnsDecisionRecord[] records = await server.Sink.WaitForAsync(1);
        records.Single().Decision.ShouldBe(DnsDecision.ServFail);
    }

    [Fact]
    public async Task Forward_UpstreamTruncates_RetriesOverTcp()
    {
        await using FakeUpstream upstream = Zone(FakeUpstreamMode.TruncateUdp);
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);

        DnsMessage answer = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A));

        answer.Answers.Single().Data.ShouldBe(new ARecordData(IPAddress.Parse("192.0.2.10")));
        upstream.UdpQueries.ShouldBe(1);
        upstream.TcpQueries.ShouldBe(1);
    }

    [Fact]
    public async Task Forward_SpoofedRepliesFirst_AreIgnored()
    {
        await using FakeUpstream upstream = Zone(FakeUpstreamMode.SpoofFirst);
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);

        DnsMessage answer = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A));

        answer.Answers.Single().Data.ShouldBe(new ARecordData(IPAddress.Parse("192.0.2.10")));
        server.Server.Counters.Snapshot().UpstreamMismatches.ShouldBe(2);
    }

    [Fact]
    public async Task Udp_AnswerLargerThan512WithoutEdns_IsTruncatedAndTcpGivesAll()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);

        DnsMessage udp = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("big.example.test", DnsRecordType.A));
        DnsMessage udpEdns = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("big.example.test", DnsRecordType.A, edns: new DnsEdns(4096)));
        DnsMessage tcp = await DnsTestClient.TcpAsync(server.EndPoint, DnsTestClient.Query("big.example.test", DnsRecordType.A));

        udp.IsTruncated.ShouldBeTrue();
        udp.Answers.ShouldBeEmpty();
        udp.Questions.Single().Name.ShouldBe("big.example.test");
        udpEdns.IsTruncated.ShouldBeFalse(); // 60 A records fit in 1232 bytes
        udpEdns.Answers.Count.ShouldBe(60);
        tcp.IsTruncated.ShouldBeFalse();
        tcp.Answers.Count.ShouldBe(60);
    }

    [Fact]
    public async Task Block_WithAddress_AnswersBlockPageAddresses()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);
        server.Policy.Answers["casino.example"] = DnsPolicyAnswer.BlockWithAddress(_blockV4, _blockV6, TimeSpan.FromSeconds(20), new DnsLogPayload("gambling", "rule:W4", "pupils"));

        DnsMessage a = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("casino.example", DnsRecordType.A));
        DnsMessage aaaa = await DnsTestClient.TcpAsync(server.EndPoint, DnsTestClient.Query("casino.example", DnsRecordType.AAAA));
        DnsMessage https = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("casino.example", DnsRecordType.HTTPS));

        a.Answers.Single().ShouldBe(new DnsResourceRecord("casino.example", DnsRecordType.A, DnsClass.IN, 20, new ARecordData(_blockV4)));
        aaaa.Answers.Single().Data.ShouldBe(new AaaaRecordData(_blockV6));
        https.ResponseCode.ShouldBe(DnsResponseCode.NoError);
        https.Answers.ShouldBeEmpty();
        upstream.UdpQueries.ShouldBe(0);
        DnsDecisionRecord[] records = await server.Sink.WaitForAsync(3);
        records.Length.ShouldBe(3);
        records.ShouldAllBe(record => record.Decision == DnsDecision.Blocked && record.Category == "gambling" && record.Reason == "rule:W4");
    }

    [Fact]
    public async Task Block_WithNxDomain_AnswersNxDomain()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);
        server.Policy.Answers["bad.example"] = DnsPolicyAnswer.BlockWithNxDomain();

        DnsMessage answer = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("bad.example", DnsRecordType.A, edns: new DnsEdns(1232)));

        answer.ResponseCode.ShouldBe(DnsResponseCode.NXDomain);
        answer.Edns.ShouldNotBeNull();
    }

    [Fact]
    public async Task Udp_SlowForwardWhileOtherClientsAreAnswered_EachReplyGoesToItsOwnClient()
    {
        // The receive loop reuses one socket address for packets answered at once; a query that waits
        // for the upstream (here: the first upstream is silent, so it waits for the timeout) must keep
        // its own address, or its reply would go to whichever client the loop received from last.
        await using FakeUpstream silent = Zone(FakeUpstreamMode.Silent);
        await using FakeUpstream good = Zone();
        await using TestServer server = await TestServer.StartAsync([silent.Address, good.Address]);
        server.Policy.Answers["bad.example"] = DnsPolicyAnswer.BlockWithNxDomain();

        Task<DnsMessage> slow = DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A, id: 1111));
        await Task.Delay(50);
        for (int i = 0; i < 5; i++)
        {
            DnsMessage fast = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("bad.example", DnsRecordType.A, id: (ushort)(2000 + i)));
            fast.Id.ShouldBe((ushort)(2000 + i));
            fast.ResponseCode.ShouldBe(DnsResponseCode.NXDomain);
        }

        slow.IsCompleted.ShouldBeFalse("the forwarded query is still waiting for the upstream timeout");
        DnsMessage answer = await slow;
        answer.Id.ShouldBe((ushort)1111);
        answer.Answers.Single().Data.ShouldBe(new ARecordData(IPAddress.Parse("192.0.2.10")));
    }

    [Fact]
    public async Task Rewrite_SafeSearch_AnswersCnameAndTargetRecords()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);
        server.Policy.Answers["www.google.test"] = DnsPolicyAnswer.Rewrite("forcesafesearch.example.test", TimeSpan.FromSeconds(30));

        DnsMessage answer = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.google.test", DnsRecordType.A));

        answer.ResponseCode.ShouldBe(DnsResponseCode.NoError);
        answer.Answers.Count.ShouldBe(2);
        answer.Answers[0].ShouldBe(new DnsResourceRecord("www.google.test", DnsRecordType.CNAME, DnsClass.IN, 30, new NameRecordData("forcesafesearch.example.test")));
        answer.Answers[1].ShouldBe(new DnsResourceRecord("forcesafesearch.example.test", DnsRecordType.A, DnsClass.IN, 30, new ARecordData(IPAddress.Parse("192.0.2.99"))));
    }

    [Fact]
    public async Task Portal_EveryName_AnswersPortalAddress()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);
        server.Policy.Everything = DnsPolicyAnswer.Portal(IPAddress.Parse("10.0.0.5"), null, TimeSpan.FromSeconds(5), new DnsLogPayload(Reason: "agreement-unsigned"));

        DnsMessage a = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("anything.example", DnsRecordType.A));
        DnsMessage aaaa = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.AAAA));

        a.Answers.Single().ShouldBe(new DnsResourceRecord("anything.example", DnsRecordType.A, DnsClass.IN, 5, new ARecordData(IPAddress.Parse("10.0.0.5"))));
        aaaa.Answers.ShouldBeEmpty();
        (await server.Sink.WaitForAsync(2)).ShouldAllBe(record => record.Decision == DnsDecision.Portal);
    }

    [Fact]
    public async Task Canary_DohCanary_IsNxDomainBeforePolicy()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);
        server.Policy.Everything = DnsPolicyAnswer.Portal(IPAddress.Parse("10.0.0.5"), null);

        DnsMessage answer = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("Use-Application-DNS.net.", DnsRecordType.A));

        answer.ResponseCode.ShouldBe(DnsResponseCode.NXDomain);
        server.Policy.Seen.ShouldBeEmpty();
        (await server.Sink.WaitForAsync(1)).Single().Decision.ShouldBe(DnsDecision.Canary);
    }

    [Fact]
    public async Task Policy_Throws_AnswersServFailAndKeepsServing()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);
        server.Policy.Throw = true;

        DnsMessage failed = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A));
        server.Policy.Throw = false;
        DnsMessage ok = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A));

        failed.ResponseCode.ShouldBe(DnsResponseCode.ServFail);
        ok.ResponseCode.ShouldBe(DnsResponseCode.NoError);
        server.Server.Counters.Snapshot().PolicyErrors.ShouldBe(1);
    }

    [Fact]
    public async Task Udp_MalformedQuery_AnswersFormErr()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);

        byte[] packet = [0xAB, 0xCD, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0xC0, 12, 0, 1, 0, 1];
        DnsMessage answer = await DnsTestClient.UdpAsync(server.EndPoint, packet);
        byte[]? tooShort = await DnsTestClient.SendUdpRawAsync(server.EndPoint, [1, 2, 3], TimeSpan.FromMilliseconds(300));

        answer.Id.ShouldBe((ushort)0xABCD);
        answer.ResponseCode.ShouldBe(DnsResponseCode.FormErr);
        tooShort.ShouldBeNull();
        server.Server.Counters.Snapshot().Malformed.ShouldBe(1);
    }

    [Fact]
    public async Task Udp_EdnsVersion1_AnswersBadVers()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);

        DnsMessage answer = await DnsTestClient.UdpAsync(server.EndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A, edns: new DnsEdns(1232, Version: 1)));

        answer.ResponseCode.ShouldBe(DnsResponseCode.BadVers);
    }

    [Fact]
    public async Task Udp_ChaosClass_IsRefused()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);
        var query = new DnsMessage { Id = 9 };
        query.Questions.Add(new DnsQuestion("version.bind", DnsRecordType.TXT, DnsClass.CH));

        DnsMessage answer = await DnsTestClient.UdpAsync(server.EndPoint, query.ToArray());

        answer.ResponseCode.ShouldBe(DnsResponseCode.Refused);
    }

    [Fact]
    public async Task Tcp_PipelinedQueries_AreAllAnswered()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(server.EndPoint, cts.Token);

        string[] names = ["www.example.test", "alias.example.test", "missing.example.test", "example.test"];
        DnsRecordType[] types = [DnsRecordType.A, DnsRecordType.A, DnsRecordType.A, DnsRecordType.MX];
        for (int i = 0; i < names.Length; i++)
        {
            await DnsTestClient.WriteFramedAsync(socket, DnsTestClient.Query(names[i], types[i], id: (ushort)(100 + i)), cts.Token);
        }

        var answers = new Dictionary<ushort, DnsMessage>();
        for (int i = 0; i < names.Length; i++)
        {
            byte[]? raw = await DnsTestClient.ReadFramedAsync(socket, cts.Token);
            raw.ShouldNotBeNull();
            DnsMessage message = DnsMessage.Parse(raw);
            answers[message.Id] = message;
        }

        answers[100].Answers.Single().Data.ShouldBe(new ARecordData(IPAddress.Parse("192.0.2.10")));
        answers[101].Answers.Count.ShouldBe(2);
        answers[101].Answers[0].Type.ShouldBe(DnsRecordType.CNAME);
        answers[102].ResponseCode.ShouldBe(DnsResponseCode.NXDomain);
        answers[103].Answers.Single().Data.ShouldBe(new MxRecordData(10, "mail.example.test"));
    }

    [Fact]
    public async Task Tcp_IdleConnection_IsClosed()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address], options => options.TcpIdleTimeout = TimeSpan.FromMilliseconds(300));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.EndPoint);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        int read = await socket.ReceiveAsync(new byte[16], SocketFlags.None, cts.Token);

        read.ShouldBe(0); // the server closed the connection
    }

    [Fact]
    public async Task Tcp_ConnectionsBeyondLimit_AreClosed()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address], options => options.MaxTcpConnections = 2);
        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(server.EndPoint);
                sockets.Add(socket);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            int read = await sockets[2].ReceiveAsync(new byte[16], SocketFlags.None, cts.Token);
            read.ShouldBe(0);
            server.Server.Counters.Snapshot().TcpRejected.ShouldBe(1);
        }
        finally
        {
            sockets.ForEach(socket => socket.Dispose());
        }
    }

    [Fact]
    public async Task DecisionLog_FullChannel_DropsWithoutBlockingAnswers()
    {
        await using FakeUpstream upstream = Zone();
        var slowSink = new BlockingSink();
        var options = new DnsFilterOptions
        {
            Listen = ["127.0.0.1:0"],
            Upstreams = [upstream.Address],
            DecisionLogCapacity = 2,
            DecisionLogBatchSize = 1,
        };
        var policy = new TablePolicy { Everything = DnsPolicyAnswer.BlockWithNxDomain() };
        await using var server = new DnsFilterServer(options, policy, slowSink);
        await server.StartAsync(CancellationToken.None);

        for (int i = 0; i < 10; i++)
        {
            DnsMessage answer = await DnsTestClient.UdpAsync(server.EndPoints[0], DnsTestClient.Query($"n{i}.example", DnsRecordType.A), TimeSpan.FromSeconds(2));
            answer.ResponseCode.ShouldBe(DnsResponseCode.NXDomain);
        }

        server.DecisionLogDropped.ShouldBeGreaterThanOrEqualTo(7);
        slowSink.Release.TrySetResult();
    }

    private sealed class BlockingSink : IDnsDecisionSink
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask WriteAsync(IReadOnlyList<DnsDecisionRecord> batch, CancellationToken cancellationToken)
            => await Release.Task.WaitAsync(cancellationToken);
    }
}
