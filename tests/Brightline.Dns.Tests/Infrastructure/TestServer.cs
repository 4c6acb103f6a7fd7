using System.Collections.Concurrent;
using System.Net;
using Brightline.Dns.Logging;
using Brightline.Dns.Policy;
using Brightline.Dns.Server;

namespace Brightline.Dns.Tests.Infrastructure;

/// <summary>A policy from a table: exact names map to answers, everything else is forwarded.</summary>
public sealed class TablePolicy : IDnsQueryPolicy
{
    public ConcurrentDictionary<string, DnsPolicyAnswer> Answers { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<DnsQueryContext> Seen { get; } = new();

    public DnsPolicyAnswer? Everything { get; set; }

    public bool Throw { get; set; }

    public ValueTask<DnsPolicyAnswer> DecideAsync(DnsQueryContext context, CancellationToken cancellationToken)
    {
        Seen.Enqueue(context);
        if (Throw)
        {
            throw new InvalidOperationException("policy failure");
        }

        return ValueTask.FromResult(Everything ?? (Answers.TryGetValue(context.QueryName, out DnsPolicyAnswer? answer) ? answer : DnsPolicyAnswer.Forward()));
    }
}

/// <summary>Collects decision records.</summary>
public sealed class CollectingSink : IDnsDecisionSink
{
    public ConcurrentQueue<DnsDecisionRecord> Records { get; } = new();

    public int Batches;

    public async ValueTask WriteAsync(IReadOnlyList<DnsDecisionRecord> batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Batches);
        foreach (DnsDecisionRecord record in batch)
        {
            Records.Enqueue(record);
        }

        await Task.CompletedTask;
    }

    public async Task<DnsDecisionRecord[]> WaitForAsync(int count)
    {
        for (int i = 0; i < 200 && Records.Count < count; i++)
        {
            await Task.Delay(25);
        }

        return [.. Records];
    }
}

/// <summary>Starts a <see cref="DnsFilterServer"/> on a free loopback port.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(DnsFilterServer server, TablePolicy policy, CollectingSink sink)
    {
        Server = server;
        Policy = policy;
        Sink = sink;
    }

    public DnsFilterServer Server { get; }

    public TablePolicy Policy { get; }

    public CollectingSink Sink { get; }

    public IPEndPoint EndPoint => Server.EndPoints[0];

    public static async Task<TestServer> StartAsync(
        IEnumerable<string> upstreams, Action<DnsFilterOptions>? configure = null, TimeProvider? clock = null, Microsoft.Extensions.Logging.ILogger<DnsFilterServer>? logger = null)
    {
        var options = new DnsFilterOptions
        {
            Listen = ["127.0.0.1:0"],
            Upstreams = [.. upstreams],
            // Long enough that a loaded CI machine (2 cores, several builds) never times out a healthy fake
            // upstream; the fail-over tests still finish in a few seconds.
            UpstreamUdpTimeout = TimeSpan.FromMilliseconds(1500),
            UpstreamTcpTimeout = TimeSpan.FromSeconds(2),
            UdpReceiveLoops = 2,
        };
        configure?.Invoke(options);
        var policy = new TablePolicy();
        var sink = new CollectingSink();
        var server = new DnsFilterServer(options, policy, sink, logger, clock);
        await server.StartAsync(CancellationToken.None);
        return new TestServer(server, policy, sink);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
