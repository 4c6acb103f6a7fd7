namespace Brightline.Dns.Server;

/// <summary>Monotonic counters, updated with interlocked operations; read a consistent-enough copy with <see cref="Snapshot"/>.</summary>
public sealed class DnsFilterCounters
{
    internal long _queries;
    internal long _cacheHits;
    internal long _forwarded;
    internal long _blocked;
    internal long _rewritten;
    internal long _portal;
    internal long _canary;
    internal long _refused;
    internal long _servFail;
    internal long _malformed;
    internal long _dropped;
    internal long _truncated;
    internal long _packetErrors;
    internal long _policyErrors;
    internal long _upstreamTimeouts;
    internal long _upstreamErrors;
    internal long _upstreamMismatches;
    internal long _tcpConnections;
    internal long _tcpRejected;
    internal long _udpOverload;
    internal long _udpSendDropped;
    internal long _tcpIdleClosed;
    internal long _tcpPerClientRejected;

    public DnsFilterCountersSnapshot Snapshot() => new(
        Interlocked.Read(ref _queries),
        Interlocked.Read(ref _cacheHits),
        Interlocked.Read(ref _forwarded),
        Interlocked.Read(ref _blocked),
        Interlocked.Read(ref _rewritten),
        Interlocked.Read(ref _portal),
        Interlocked.Read(ref _canary),
        Interlocked.Read(ref _refused),
        Interlocked.Read(ref _servFail),
        Interlocked.Read(ref _malformed),
        Interlocked.Read(ref _dropped),
        Interlocked.Read(ref _truncated),
        Interlocked.Read(ref _packetErrors),
        Interlocked.Read(ref _policyErrors),
        Interlocked.Read(ref _upstreamTimeouts),
        Interlocked.Read(ref _upstreamErrors),
        Interlocked.Read(ref _upstreamMismatches),
        Interlocked.Read(ref _tcpConnections),
        Interlocked.Read(ref _tcpRejected),
        Interlocked.Read(ref _udpOverload),
        Interlocked.Read(ref _udpSendDropped),
        Interlocked.Read(ref _tcpIdleClosed),
        Interlocked.Read(ref _tcpPerClientRejected));
}

/// <summary>A copy of <see cref="DnsFilterCounters"/>; decision-log drops are on <see cref="DnsFilterServer.DecisionLogDropped"/>.</summary>
public sealed record DnsFilterCountersSnapshot(
    long Queries,
    long CacheHits,
    long Forwarded,
    long Blocked,
    long Rewritten,
    long Portal,
    long Canary,
    long Refused,
    long ServFail,
    long Malformed,
    long Dropped,
    long Truncated,
    long PacketErrors,
    long PolicyErrors,
    long UpstreamTimeouts,
    long UpstreamErrors,
    long UpstreamMismatches,
    long TcpConnections,
    long TcpRejected,
    long UdpOverload,
    long UdpSendDropped,
    long TcpIdleClosed,
    long TcpPerClientRejected)
{
    // UdpSendDropped: replies dropped because the socket's send buffer was full (the client retries).
    // TcpIdleClosed: TCP connections closed after TcpIdleTimeout without a complete query (RFC 7766 §6.2.3).
    // TcpPerClientRejected: TCP connections refused because their address already had MaxTcpConnectionsPerClient open (RFC 7766 §6.2.2).
}
