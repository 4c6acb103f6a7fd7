using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Brightline.Dns.Forwarding;
using Brightline.Dns.Logging;
using Brightline.Dns.Policy;
using Brightline.Dns.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brightline.Dns.Server;

/// <summary>
/// The filtering DNS forwarder: listens on UDP and TCP, asks <see cref="IDnsQueryPolicy"/> about each
/// query, answers from cache or upstream, and logs every decision through <see cref="IDnsDecisionSink"/>.
/// Start with <see cref="StartAsync"/>, stop with <see cref="StopAsync"/> or dispose.
/// </summary>
public sealed partial class DnsFilterServer : IAsyncDisposable
{
    private readonly DnsFilterOptions _options;
    private readonly ILogger _logger;
    private readonly DnsQueryProcessor _processor;
    private readonly DnsDecisionLog _decisions;
    private readonly ConcurrentQueue<DnsWriter> _writers = new();
    private readonly List<Socket> _udpSockets = [];
    private readonly List<Socket> _tcpListeners = [];
    private readonly List<Task> _loops = [];
    private readonly ConcurrentDictionary<Socket, byte> _tcpConnections = new();
    private readonly ConcurrentDictionary<IPAddress, int> _tcpPerClient = new();
    private readonly List<IPEndPoint> _boundEndPoints = [];
    private CancellationTokenSource? _stopping;
    private int _udpInFlight;
    private int _tcpCount;

    public DnsFilterServer(
        DnsFilterOptions options,
        IDnsQueryPolicy policy,
        IDnsDecisionSink? decisionSink = null,
        ILogger<DnsFilterServer>? logger = null,
        TimeProvider? clock = null)
    {
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        clock ??= TimeProvider.System;
        Counters = new DnsFilterCounters();
        Cache = new DnsCache(clock, options.CacheMaxEntries);
        _decisions = new DnsDecisionLog(decisionSink ?? NullDnsDecisionSink.Instance, _logger, options.DecisionLogCapacity, options.DecisionLogBatchSize, options.DecisionLogFlushInterval);
        var upstream = new DnsUpstreamClient(options.GetUpstreamEndPoints(), options, Counters, _logger);
        _processor = new DnsQueryProcessor(options, policy, Cache, upstream, _decisions, Counters, clock, _logger);
    }

    public DnsFilterCounters Counters { get; }

    public DnsCache Cache { get; }

    /// <summary>Decision records dropped because the log channel was full.</summary>
    public long DecisionLogDropped => _decisions.Dropped;

    /// <summary>The endpoints actually bound (port 0 resolved), each serving UDP and/or TCP.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints => _boundEndPoints;

    /// <summary>Binds every listen endpoint and starts the receive loops and the decision-log consumer.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_stopping is not null)
        {
            throw new InvalidOperationException("The DNS filter server is already started.");
        }

        _stopping = new CancellationTokenSource();
        foreach (IPEndPoint endPoint in _options.GetListenEndPoints())
        {
            cancellationToken.ThrowIfCancellationRequested();
            Bind(endPoint);
        }

        _decisions.Start();
        int loops = _options.UdpReceiveLoops > 0 ? _options.UdpReceiveLoops : UsableProcessors();
        CancellationToken token = _stopping.Token;
        foreach (Socket socket in _udpSockets)
        {
            for (int i = 0; i < loops; i++)
            {
                _loops.Add(StartUdpReceiveThread(socket, token));
            }
        }

        foreach (Socket listener in _tcpListeners)
        {
            _loops.Add(Task.Run(() => AcceptLoopAsync(listener, token), CancellationToken.None));
        }

        foreach (IPEndPoint endPoint in _boundEndPoints)
        {
            LogListening(_logger, endPoint, _options.EnableUdp, _options.EnableTcp);
        }

        return Task.CompletedTask;
    }

    /// <summary>Closes the sockets, waits for the loops and flushes the decision log (bounded by the token).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null || _stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        foreach (Socket socket in _udpSockets)
        {
            socket.Dispose();
        }

        foreach (Socket socket in _tcpListeners)
        {
            socket.Dispose();
        }

        foreach (Socket socket in _tcpConnections.Keys)
        {
            socket.Dispose();
        }

        try
        {
            await Task.WhenAll(_loops).WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutException)
        {
            // Shutdown deadline reached.
        }

        await _decisions.StopAsync(cancellationToken);
        while (_writers.TryDequeue(out DnsWriter? writer))
        {
            writer.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await StopAsync(timeout.Token);
        await _decisions.DisposeAsync();
        _stopping?.Dispose();
    }

    /// <summary>
    /// Binds UDP and TCP on <paramref name="endPoint"/>. With port 0 both must share one port, so the
    /// TCP listener picks a free port and UDP tries to bind the same number (a few attempts).
    /// </summary>
    private void Bind(IPEndPoint endPoint)
    {
        for (int attempt = 0; ; attempt++)
        {
            Socket? tcp = null;
            Socket? udp = null;
            try
            {
                IPEndPoint actual = endPoint;
                if (_options.EnableTcp)
                {
                    tcp = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                    if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
                    {
                        tcp.DualMode = false;
                    }

                    tcp.Bind(endPoint);
                    actual = (IPEndPoint)tcp.LocalEndPoint!;
                }

                if (_options.EnableUdp)
                {
                    udp = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                    if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
                    {
                        udp.DualMode = false;
                    }

                    udp.Bind(actual);
                    actual = (IPEndPoint)udp.LocalEndPoint!;

                    // Receives block on their own threads (see UdpReceiveLoop), so the socket stays blocking; a reply is sent
                    // synchronously (see SendReply), and a send buffer that stays full for a millisecond drops that reply
                    // rather than stalling a receive loop.
                    udp.SendTimeout = 1;
                }

                tcp?.Listen(512);
                if (tcp is not null)
                {
                    _tcpListeners.Add(tcp);
                }

                if (udp is not null)
                {
                    _udpSockets.Add(udp);
                }

                _boundEndPoints.Add(actual);
                return;
            }
            catch (SocketException) when (endPoint.Port == 0 && attempt < 20)
            {
                tcp?.Dispose();
                udp?.Dispose();
            }
            catch (SocketException exception)
            {
                tcp?.Dispose();
                udp?.Dispose();
                throw new DnsConfigurationException($"Cannot listen on {endPoint}: {exception.SocketErrorCode}.", exception);
            }
        }
    }

    /// <summary>
    /// Starts one UDP receive loop on a thread of its own and returns a task that ends with it. A
    /// dedicated thread blocked in <c>recvfrom</c> costs two system calls a query (receive, send): the
    /// asynchronous receive this replaced went through the runtime's epoll thread, which for every packet
    /// woke from <c>epoll_wait</c>, received, and tried (and failed) to receive again before re-arming —
    /// at a school's load of about 1,000 queries a second nearly all of the receive path's CPU was those
    /// wake-ups (issue 18 part 5, docs/benchmarks.md "DNS CPU per query").
    /// </summary>
    private Task StartUdpReceiveThread(Socket socket, CancellationToken cancellationToken)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                UdpReceiveLoop(socket, cancellationToken);
                ended.TrySetResult();
            }
            catch (Exception exception)
            {
                ended.TrySetException(exception);
            }
        })
        {
            IsBackground = true,
            Name = "DNS UDP receive",
        };
        thread.Start();
        return ended.Task;
    }

    /// <summary>
    /// One UDP receive loop (blocking receives on its own thread; stopped by closing the socket, which
    /// wakes the blocked receive). It receives into a <see cref="SocketAddress"/> it owns instead of an
    /// <see cref="EndPoint"/>, so a packet costs no endpoint allocation, and it keeps the last
    /// client's <see cref="IPAddress"/> so a client sending many queries (from any source port) costs
    /// no address allocation either. A query that is answered synchronously (cache hit, block,
    /// rewrite — the common case) is answered on this thread and sent from the same address object. A
    /// query that has to wait (upstream fetch) keeps that address object and finishes on the socket
    /// engine's thread when the upstream answers, and the loop allocates a fresh address for the next
    /// receive, so a pending reply can never be redirected.
    /// </summary>
    private void UdpReceiveLoop(Socket socket, CancellationToken cancellationToken)
    {
        var remote = new SocketAddress(socket.AddressFamily);
        var clients = new ClientAddressCache();
        while (!cancellationToken.IsCancellationRequested)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
            int received;
            try
            {
                received = socket.ReceiveFrom(buffer, SocketFlags.None, remote);
            }
            catch (Exception exception) when (exception is ObjectDisposedException
                || (exception is SocketException && cancellationToken.IsCancellationRequested))
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return;
            }
            catch (SocketException exception)
            {
                // ICMP errors from earlier sends surface here on some platforms; keep serving.
                ArrayPool<byte>.Shared.Return(buffer);
                Interlocked.Increment(ref Counters._packetErrors);
                LogPacketFailed(_logger, "udp", exception.SocketErrorCode.ToString());
                continue;
            }

            if (Interlocked.Increment(ref _udpInFlight) > _options.MaxUdpQueriesInFlight)
            {
                Interlocked.Decrement(ref _udpInFlight);
                Interlocked.Increment(ref Counters._udpOverload);
                ArrayPool<byte>.Shared.Return(buffer);
                continue;
            }

            // Runs inline until the first real await (upstream fetch); cache hits and blocks finish here.
            ValueTask handled = HandleUdpAsync(socket, buffer, received, remote, clients.Get(remote), cancellationToken);
            if (!handled.IsCompleted)
            {
                // The pending reply owns 'remote' now; receive the next packet into a new one.
                remote = new SocketAddress(socket.AddressFamily);
            }
        }
    }

    /// <summary>
    /// Processors this process may run on: the CPU affinity mask where the OS reports one (a server
    /// pinned with taskset or a cpuset), else <see cref="Environment.ProcessorCount"/>, which here
    /// counted the machine's CPUs even for a process pinned to one.
    /// </summary>
    private static int UsableProcessors()
    {
        int count = Environment.ProcessorCount;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            try
            {
                using var process = System.Diagnostics.Process.GetCurrentProcess();
                int allowed = System.Numerics.BitOperations.PopCount((ulong)(long)process.ProcessorAffinity);
                if (allowed > 0)
                {
                    count = Math.Min(count, allowed);
                }
            }
            catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception or PlatformNotSupportedException)
            {
                // No affinity information: keep the processor count.
            }
        }

        return Math.Max(1, count);
    }

    /// <summary>Never throws: every failure is counted and logged here, because the loop does not await it.</summary>
    private async ValueTask HandleUdpAsync(Socket socket, byte[] buffer, int length, SocketAddress remote, IPAddress client, CancellationToken cancellationToken)
    {
        DnsWriter writer = RentWriter();
        try
        {
            if (await _processor.ProcessAsync(buffer.AsMemory(0, length), writer, client, DnsTransport.Udp, cancellationToken))
            {
                SendReply(socket, writer.WrittenSpan, remote);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception exception)
        {
            Interlocked.Increment(ref Counters._packetErrors);
            LogPacketFailed(_logger, "udp", exception.GetType().Name);
        }
        finally
        {
            ReturnWriter(writer);
            ArrayPool<byte>.Shared.Return(buffer);
            Interlocked.Decrement(ref _udpInFlight);
        }
    }

    /// <summary>
    /// Sends one UDP reply with a single <c>sendto</c>, as Unbound and NSD do. Not
    /// <c>Socket.SendToAsync(…, SocketAddress, …)</c>: that overload borrows the socket's one cached
    /// event-args object and, in a <c>finally</c> after starting the send, clears the address on it —
    /// by then a send that finished at once has returned the object to the cache, where a reply being
    /// sent by another receive loop may already have taken it, so that reply's <c>sendto</c> met a null
    /// address (the <see cref="NullReferenceException"/> seen under four parallel fuzzers). A datagram
    /// send either fits in the socket buffer within a millisecond or the reply is dropped and counted; the client retries.
    /// </summary>
    private void SendReply(Socket socket, ReadOnlySpan<byte> reply, SocketAddress remote)
    {
        try
        {
            socket.SendTo(reply, SocketFlags.None, remote);
        }
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.WouldBlock or SocketError.TimedOut or SocketError.NoBufferSpaceAvailable)
        {
            Interlocked.Increment(ref Counters._udpSendDropped);
        }
        catch (SocketException exception)
        {
            // E.g. the network to a (possibly forged) source address is unreachable: that reply is lost, the server carries on.
            Interlocked.Increment(ref Counters._packetErrors);
            LogPacketFailed(_logger, "udp-send", exception.SocketErrorCode.ToString());
        }
    }

    /// <summary>
    /// The <see cref="IPAddress"/> of the last client seen by one receive loop (single-threaded, owned
    /// by the loop). Addresses are compared on the raw socket address without its port (bytes 2–3 in
    /// every platform's <c>sockaddr_in</c>/<c>sockaddr_in6</c>), so queries from the same machine reuse
    /// one instance; IPv4-mapped IPv6 addresses are reported as IPv4, as the policy expects.
    /// </summary>
    private sealed class ClientAddressCache
    {
        private const int PortOffset = 2;
        private const int PortLength = 2;

        private readonly byte[] _key = new byte[SocketAddress.GetMaximumAddressSize(AddressFamily.InterNetworkV6)];
        private int _keyLength = -1;
        private IPAddress _address = IPAddress.None;

        public IPAddress Get(SocketAddress remote)
        {
            ReadOnlySpan<byte> raw = remote.Buffer.Span[..remote.Size];
            if (raw.Length == _keyLength && raw.Length > PortOffset + PortLength
                && raw[..PortOffset].SequenceEqual(_key.AsSpan(0, PortOffset))
                && raw[(PortOffset + PortLength)..].SequenceEqual(_key.AsSpan(PortOffset + PortLength, raw.Length - PortOffset - PortLength)))
            {
                return _address;
            }

            IPAddress address = ((IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(remote)).Address;
            _address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            raw.CopyTo(_key);
            _keyLength = raw.Length;
            return _address;
        }
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception)
            {
                LogPacketFailed(_logger, "tcp-accept", exception.SocketErrorCode.ToString());
                continue;
            }

            IPAddress client = connection.RemoteEndPoint is IPEndPoint remote
                ? (remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address)
                : IPAddress.None;
            if (!TryAdmitClient(client))
            {
                Interlocked.Increment(ref Counters._tcpPerClientRejected);
                connection.Dispose();
                continue;
            }

            if (Interlocked.Increment(ref _tcpCount) > _options.MaxTcpConnections)
            {
                Interlocked.Decrement(ref _tcpCount);
                ReleaseClient(client);
                Interlocked.Increment(ref Counters._tcpRejected);
                connection.Dispose();
                continue;
            }

            Interlocked.Increment(ref Counters._tcpConnections);
            _ = Task.Run(() => ServeConnectionAsync(connection, client, cancellationToken), CancellationToken.None);
        }
    }

    /// <summary>Counts one more connection from <paramref name="client"/>, unless it already has <see cref="DnsFilterOptions.MaxTcpConnectionsPerClient"/>.</summary>
    private bool TryAdmitClient(IPAddress client)
    {
        while (true)
        {
            if (!_tcpPerClient.TryGetValue(client, out int open))
            {
                if (_tcpPerClient.TryAdd(client, 1))
                {
                    return true;
                }
            }
            else if (open >= _options.MaxTcpConnectionsPerClient)
            {
                return false;
            }
            else if (_tcpPerClient.TryUpdate(client, open + 1, open))
            {
                return true;
            }
        }
    }

    /// <summary>Counts one connection from <paramref name="client"/> closed; the entry goes with its last connection, so the table holds only clients with one open.</summary>
    private void ReleaseClient(IPAddress client)
    {
        while (_tcpPerClient.TryGetValue(client, out int open))
        {
            if (open <= 1
                ? _tcpPerClient.TryRemove(KeyValuePair.Create(client, open))
                : _tcpPerClient.TryUpdate(client, open - 1, open))
            {
                return;
            }
        }
    }

    /// <summary>
    /// One TCP connection: read 2-byte-length-framed queries (RFC 1035 §4.2.2, RFC 7766). Each query
    /// is answered on its own task, so answers to pipelined queries may return out of order (allowed
    /// by RFC 7766 §6.2.1.1; clients match on ID). At most N queries run at once (reading pauses),
    /// writes are serialised, and a connection idle longer than the timeout is closed.
    /// </summary>
    private async Task ServeConnectionAsync(Socket connection, IPAddress client, CancellationToken cancellationToken)
    {
        _tcpConnections.TryAdd(connection, 0);
        connection.NoDelay = true;
        using var slots = new SemaphoreSlim(_options.MaxQueriesInFlightPerConnection);
        using var writeLock = new SemaphoreSlim(1);
        var pending = new List<Task>();
        byte[] lengthBytes = new byte[2];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                int length;
                byte[] body;
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    idle.CancelAfter(_options.TcpIdleTimeout);
                    if (!await DnsUpstreamClient.ReceiveExactlyAsync(connection, lengthBytes, idle.Token))
                    {
                        break;
                    }

                    length = BinaryPrimitives.ReadUInt16BigEndian(lengthBytes);
                    if (length == 0)
                    {
                        break;
                    }

                    body = ArrayPool<byte>.Shared.Rent(length);
                    if (!await DnsUpstreamClient.ReceiveExactlyAsync(connection, body.AsMemory(0, length), idle.Token))
                    {
                        ArrayPool<byte>.Shared.Return(body);
                        break;
                    }

                    await slots.WaitAsync(idle.Token);
                }

                pending.RemoveAll(static task => task.IsCompleted);
                pending.Add(AnswerTcpAsync(connection, body, length, client, slots, writeLock, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No complete query within the idle timeout (RFC 7766 §6.2.3): close the connection.
            Interlocked.Increment(ref Counters._tcpIdleClosed);
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // Reset by peer or shutdown: close the connection.
        }
        catch (Exception exception)
        {
            Interlocked.Increment(ref Counters._packetErrors);
            LogPacketFailed(_logger, "tcp", exception.GetType().Name);
        }
        finally
        {
            try
            {
                await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (Exception)
            {
                // Already counted per query; the connection is going away.
            }

            _tcpConnections.TryRemove(connection, out _);
            connection.Dispose();
            Interlocked.Decrement(ref _tcpCount);
            ReleaseClient(client);
        }
    }

    private async Task AnswerTcpAsync(
        Socket connection, byte[] body, int length, IPAddress client, SemaphoreSlim slots, SemaphoreSlim writeLock, CancellationToken cancellationToken)
    {
        DnsWriter writer = RentWriter();
        try
        {
            if (await _processor.ProcessAsync(body.AsMemory(0, length), writer, client, DnsTransport.Tcp, cancellationToken))
            {
                byte[] framed = ArrayPool<byte>.Shared.Rent(writer.Position + 2);
                try
                {
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)writer.Position);
                    writer.WrittenSpan.CopyTo(framed.AsSpan(2));
                    await writeLock.WaitAsync(cancellationToken);
                    try
                    {
                        int total = writer.Position + 2;
                        int sent = 0;
                        while (sent < total)
                        {
                            sent += await connection.SendAsync(framed.AsMemory(sent, total - sent), SocketFlags.None, cancellationToken);
                        }
                    }
                    finally
                    {
                        writeLock.Release();
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(framed);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Connection or server closing.
        }
        catch (Exception exception)
        {
            Interlocked.Increment(ref Counters._packetErrors);
            LogPacketFailed(_logger, "tcp", exception.GetType().Name);
        }
        finally
        {
            ReturnWriter(writer);
            ArrayPool<byte>.Shared.Return(body);
            try
            {
                slots.Release();
            }
            catch (ObjectDisposedException)
            {
                // The connection finished without waiting for us.
            }
        }
    }

    private DnsWriter RentWriter() => _writers.TryDequeue(out DnsWriter? writer) ? writer : new DnsWriter();

    private void ReturnWriter(DnsWriter writer)
    {
        if (_writers.Count < 1024 && writer.Capacity <= 8192)
        {
            writer.Reset();
            _writers.Enqueue(writer);
        }
        else
        {
            writer.Dispose();
        }
    }

    [LoggerMessage(EventId = 5330, Level = LogLevel.Information, Message = "DNS filter listening on {EndPoint} (udp: {Udp}, tcp: {Tcp})")]
    private static partial void LogListening(ILogger logger, IPEndPoint endPoint, bool udp, bool tcp);

    [LoggerMessage(EventId = 5331, Level = LogLevel.Warning, Message = "DNS packet failed on {Transport}: {Problem}")]
    private static partial void LogPacketFailed(ILogger logger, string transport, string problem);
}
