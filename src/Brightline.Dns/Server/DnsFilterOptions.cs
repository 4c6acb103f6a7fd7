using System.Net;

namespace Brightline.Dns.Server;

/// <summary>
/// Settings for <see cref="DnsFilterServer"/>. Every knob has a default that runs without
/// configuration; the host binds this from its own section.
/// </summary>
public sealed class DnsFilterOptions
{
    /// <summary>Addresses to listen on, each on both UDP and TCP ("127.0.0.1:5353", "[::]:53"). Port 0 picks a free port shared by UDP and TCP.</summary>
    public IList<string> Listen { get; set; } = ["127.0.0.1:5353"];

    public bool EnableUdp { get; set; } = true;

    public bool EnableTcp { get; set; } = true;

    /// <summary>Upstream resolvers, tried in order ("192.0.2.53", "192.0.2.53:53", "[2001:db8::53]:53").</summary>
    public IList<string> Upstreams { get; set; } = ["1.1.1.1:53", "8.8.8.8:53"];

    /// <summary>How long to wait for one upstream over UDP before falling over to the next.</summary>
    public TimeSpan UpstreamUdpTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a TCP exchange with one upstream may take (connect, send, receive).</summary>
    public TimeSpan UpstreamTcpTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>UDP payload size advertised to upstreams in EDNS (1232 avoids IP fragmentation).</summary>
    public ushort UpstreamUdpPayloadSize { get; set; } = 1232;

    /// <summary>Largest UDP answer we send, whatever the client advertises (also advertised in our OPT).</summary>
    public ushort MaxUdpResponseSize { get; set; } = 1232;

    /// <summary>
    /// A TCP connection with no complete query for this long is closed. RFC 7766 §6.2.3 asks for an
    /// idle timeout of seconds, not minutes, so idle connections cannot hold the server's slots.
    /// </summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Simultaneous TCP connections; further connections are closed at once.</summary>
    public int MaxTcpConnections { get; set; } = 256;

    /// <summary>
    /// Simultaneous TCP connections from one client address (RFC 7766 §6.2.2: servers should limit
    /// them); further connections from that address are closed at once, so one device holding idle
    /// connections cannot lock every other client out of DNS over TCP.
    /// </summary>
    public int MaxTcpConnectionsPerClient { get; set; } = 8;

    /// <summary>Queries answered concurrently on one TCP connection (pipelining); reading pauses beyond it.</summary>
    public int MaxQueriesInFlightPerConnection { get; set; } = 32;

    /// <summary>UDP queries being answered at once; further packets are dropped (the client retries).</summary>
    public int MaxUdpQueriesInFlight { get; set; } = 4096;

    /// <summary>
    /// Concurrent UDP receive loops per socket (0: one per processor the process may run on). More
    /// loops than processors only make the loops preempt each other: on one core, two loops answered
    /// 85 k queries/s and one loop 153 k (docs/benchmarks.md).
    /// </summary>
    public int UdpReceiveLoops { get; set; }

    /// <summary>Most answers held in the cache.</summary>
    public int CacheMaxEntries { get; set; } = 100_000;

    /// <summary>Longest time a positive answer is cached, whatever its TTL.</summary>
    public TimeSpan CacheMaxTtl { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Longest time a negative answer (NXDOMAIN or no data) is cached (RFC 2308 §5 suggests 1–3 hours).</summary>
    public TimeSpan NegativeCacheMaxTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>TTL of answers the filter makes up (block, portal, canary, rewrite CNAME) unless the policy caps it lower.</summary>
    public TimeSpan SynthesisedTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Decision records queued for the sink; beyond this they are dropped and counted.</summary>
    public int DecisionLogCapacity { get; set; } = 50_000;

    /// <summary>Most decision records handed to the sink in one call.</summary>
    public int DecisionLogBatchSize { get; set; } = 500;

    /// <summary>How long the decision log waits for a batch to fill before writing a smaller one (see <see cref="Logging.DnsDecisionLog"/>).</summary>
    public TimeSpan DecisionLogFlushInterval { get; set; } = Logging.DnsDecisionLog.DefaultFlushInterval;

    /// <summary>Parses <see cref="Listen"/>.</summary>
    public IReadOnlyList<IPEndPoint> GetListenEndPoints() => Parse(Listen, 53, nameof(Listen));

    /// <summary>Parses <see cref="Upstreams"/>.</summary>
    public IReadOnlyList<IPEndPoint> GetUpstreamEndPoints() => Parse(Upstreams, 53, nameof(Upstreams));

    private static IPEndPoint[] Parse(IList<string> values, int defaultPort, string name)
    {
        var endPoints = new IPEndPoint[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            string value = values[i].Trim();
            if (IPAddress.TryParse(value, out IPAddress? address))
            {
                endPoints[i] = new IPEndPoint(address, defaultPort);
            }
            else if (IPEndPoint.TryParse(value, out IPEndPoint? endPoint))
            {
                endPoints[i] = endPoint;
            }
            else
            {
                throw new DnsConfigurationException($"DnsFilter:{name}[{i}] '{value}' is not an IP address or address:port.");
            }
        }

        return endPoints;
    }
}

/// <summary>The DNS filter's configuration is unusable.</summary>
public sealed class DnsConfigurationException : Exception
{
    public DnsConfigurationException(string message) : base(message)
    {
    }

    public DnsConfigurationException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public DnsConfigurationException()
    {
    }
}
