using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Brightline.Dns.Tests.Infrastructure;
using Brightline.Dns.Wire;

namespace Brightline.Dns.Tests;

/// <summary>
/// DNS over TCP under a connection flood from one device (RFC 7766 §6.2.2 per-client limit, §6.2.3
/// short idle timeout): other clients are still answered, and idle connections are closed.
/// Real sockets on loopback; every loop is bounded in count and time.
/// </summary>
public sealed class TcpConnectionLimitTests
{
    private static readonly IPAddress s_flooder = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress s_otherClient = IPAddress.Parse("127.0.0.3");

    [Fact]
    public async Task Tcp_ThreeHundredIdleConnectionsFromOneAddress_AnotherAddressIsStillAnswered_AndIdleOnesAreClosed()
    {
        await using var upstream = new FakeUpstream();
        upstream.AddA("www.example.test", "192.0.2.10");
        // Default connection limits; an idle timeout long enough that the other client's answer cannot be
        // explained by idle connections having gone, short enough to watch them go.
        await using TestServer server = await TestServer.StartAsync([upstream.Address], options => options.TcpIdleTimeout = TimeSpan.FromSeconds(3));
        server.Server.Counters.Snapshot().TcpIdleClosed.ShouldBe(0);

        var idle = new List<Socket>();
        try
        {
            using (var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
            {
                for (int i = 0; i < 300; i++)
                {
                    idle.Add(await DnsTestClient.ConnectTcpFromAsync(s_flooder, server.EndPoint, connecting.Token));
                }
            }

            // Wait (bounded) until the server has accepted or turned away all 300.
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                var seen = server.Server.Counters.Snapshot();
                if (seen.TcpConnections + seen.TcpRejected + seen.TcpPerClientRejected >= 300)
                {
                    break;
                }

                await Task.Delay(20);
            }

            DnsMessage? answer = await DnsTestClient.AskTcpFromAsync(s_otherClient, server.EndPoint, "www.example.test", TimeSpan.FromSeconds(2));
            var counters = server.Server.Counters.Snapshot();
            answer.ShouldNotBeNull("a client on another address was locked out of DNS over TCP");
            DnsTestClient.FirstA(answer).ShouldBe("192.0.2.10");
            counters.TcpIdleClosed.ShouldBe(0, "the answer came before any idle connection timed out");
            counters.TcpPerClientRejected.ShouldBe(292, "one address keeps at most 8 connections");
            counters.TcpRejected.ShouldBe(0);

            // The flooder's 8 accepted connections are closed by the server once idle for the timeout.
            using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var buffer = new byte[16];
            foreach (Socket socket in idle)
            {
                (await socket.ReceiveAsync(buffer, SocketFlags.None, closing.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : 0, TaskScheduler.Default))
                    .ShouldBe(0, "the server closes every connection from the flooder");
            }

            closing.IsCancellationRequested.ShouldBeFalse("idle connections were not closed within the bound");
            server.Server.Counters.Snapshot().TcpIdleClosed.ShouldBe(8);
        }
        finally
        {
            foreach (Socket socket in idle)
            {
                socket.Dispose();
            }
        }
    }

    [Fact]
    public async Task Tcp_ConnectionClosed_FreesItsPlaceForTheSameAddress()
    {
        await using var upstream = new FakeUpstream();
        upstream.AddA("www.example.test", "192.0.2.10");
        await using TestServer server = await TestServer.StartAsync([upstream.Address], options => options.MaxTcpConnectionsPerClient = 2);

        // Sequential queries from one address each close their connection, so the limit of two never bites.
        for (int i = 0; i < 6; i++)
        {
            DnsMessage? answer = await DnsTestClient.AskTcpFromAsync(s_flooder, server.EndPoint, "www.example.test", TimeSpan.FromSeconds(5));
            DnsTestClient.FirstA(answer.ShouldNotBeNull()).ShouldBe("192.0.2.10");
        }

        server.Server.Counters.Snapshot().TcpPerClientRejected.ShouldBe(0);
    }
}
