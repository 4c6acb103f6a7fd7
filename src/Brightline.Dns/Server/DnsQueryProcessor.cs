using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using Brightline.Dns.Forwarding;
using Brightline.Dns.Logging;
using Brightline.Dns.Policy;
using Brightline.Dns.Wire;
using Microsoft.Extensions.Logging;

namespace Brightline.Dns.Server;

/// <summary>
/// Turns one query packet into one response packet, independent of transport:
/// read → (FORMERR/NOTIMP/BADVERS/REFUSED for what cannot be served) → DoH canary → policy →
/// forward (cache, coalesced upstream fetch) / block / rewrite / portal / refuse → size check
/// (truncate with TC=1 when the answer is larger than the transport allows) → decision log.
/// </summary>
public sealed partial class DnsQueryProcessor
{
    /// <summary>Browsers disable their own DNS-over-HTTPS when this name does not resolve (Mozilla's canary domain).</summary>
    public const string DohCanaryName = "use-application-dns.net";

    private const int ClassicUdpSize = 512;

    private readonly DnsFilterOptions _options;
    private readonly IDnsQueryPolicy _policy;
    private readonly DnsCache _cache;
    private readonly DnsUpstreamClient _upstream;
    private readonly DnsDecisionLog _decisions;
    private readonly DnsFilterCounters _counters;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<DnsCacheKey, Task<DnsCacheEntry?>> _inFlight = new();
    private readonly uint _synthesisedTtl;

    public DnsQueryProcessor(
        DnsFilterOptions options,
        IDnsQueryPolicy policy,
        DnsCache cache,
        DnsUpstreamClient upstream,
        DnsDecisionLog decisions,
        DnsFilterCounters counters,
        TimeProvider clock,
        ILogger logger)
    {
        _options = options;
        _policy = policy;
        _cache = cache;
        _upstream = upstream;
        _decisions = decisions;
        _counters = counters;
        _clock = clock;
        _logger = logger;
        _synthesisedTtl = (uint)Math.Clamp(options.SynthesisedTtl.TotalSeconds, 0, int.MaxValue);
    }

    /// <summary>
    /// Answers <paramref name="packet"/> into <paramref name="writer"/> (which it resets). Returns false
    /// when nothing should be sent. Never throws for bad input; only cancellation escapes.
    /// </summary>
    public async ValueTask<bool> ProcessAsync(
        ReadOnlyMemory<byte> packet, DnsWriter writer, IPAddress client, DnsTransport transport, CancellationToken cancellationToken)
    {
        long started = _clock.GetTimestamp();
        writer.Reset();
        DnsQueryStatus status = DnsQueryReader.Read(packet.Span, out DnsQuery query);
        switch (status)
        {
            case DnsQueryStatus.Drop:
                Interlocked.Increment(ref _counters._dropped);
                return false;
            case DnsQueryStatus.FormErr:
                Interlocked.Increment(ref _counters._malformed);
                WriteHeaderOnly(writer, query, DnsResponseCode.FormErr);
                return true;
            case DnsQueryStatus.NotImp:
                WriteHeaderOnly(writer, query, DnsResponseCode.NotImp);
                return true;
            case DnsQueryStatus.BadVersion:
                // RFC 6891 §6.1.3: BADVERS needs an OPT, which Finish adds because the query had one.
                Begin(writer, query, packet.Span, DnsResponseCode.BadVers);
                Finish(writer, query, 0, 0, DnsResponseCode.BadVers, MaxSize(query, transport));
                return true;
            case DnsQueryStatus.Ok:
            default:
                break;
        }

        Interlocked.Increment(ref _counters._queries);
        int maxSize = MaxSize(query, transport);
        if (query.Class != DnsClass.IN || query.Type is DnsRecordType.AXFR or DnsRecordType.IXFR)
        {
            Interlocked.Increment(ref _counters._refused);
            WriteSimple(writer, query, packet.Span, DnsResponseCode.Refused, maxSize);
            Record(query, client, transport, DnsDecision.Refused, DnsResponseCode.Refused, DnsLogPayload.Empty, started);
            return true;
        }

        if (string.Equals(query.Name, DohCanaryName, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _counters._canary);
            WriteSimple(writer, query, packet.Span, DnsResponseCode.NXDomain, maxSize);
            Record(query, client, transport, DnsDecision.Canary, DnsResponseCode.NXDomain, DnsLogPayload.Empty, started);
            return true;
        }

        DnsPolicyAnswer answer;
        try
        {
            answer = await _policy.DecideAsync(new DnsQueryContext(client, query.Name, query.Type, transport), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _counters._policyErrors);
            LogPolicyFailed(_logger, exception.GetType().Name);
            return ServFail(writer, query, packet.Span, maxSize, client, transport, DnsLogPayload.Empty, started);
        }

        uint cap = answer.TtlCap is { } ttlCap ? (uint)Math.Clamp(ttlCap.TotalSeconds, 0, int.MaxValue) : uint.MaxValue;
        uint synthesised = Math.Min(_synthesisedTtl, cap);
        switch (answer.Action)
        {
            case DnsPolicyAction.Forward:
            {
                var key = new DnsCacheKey(query.Name, query.Type, query.Class, query.DnssecOk);
                bool hit = _cache.TryGet(key, out DnsCacheEntry? entry);
                if (!hit)
                {
                    entry = await FetchAsync(key, cancellationToken);
                }

                if (entry is null)
                {
                    return ServFail(writer, query, packet.Span, maxSize, client, transport, answer.Payload, started);
                }

                Interlocked.Increment(ref hit ? ref _counters._cacheHits : ref _counters._forwarded);
                WriteFromCache(writer, query, packet.Span, entry, cap, maxSize);
                Record(query, client, transport, hit ? DnsDecision.Cached : DnsDecision.Forwarded, entry.ResponseCode, answer.Payload, started);
                return true;
            }

            case DnsPolicyAction.BlockWithAddress:
                Interlocked.Increment(ref _counters._blocked);
                WriteAddresses(writer, query, packet.Span, answer.IPv4, answer.IPv6, synthesised, maxSize);
                Record(query, client, transport, DnsDecision.Blocked, DnsResponseCode.NoError, answer.Payload, started);
                return true;
            case DnsPolicyAction.Portal:
                Interlocked.Increment(ref _counters._portal);
                WriteAddresses(writer, query, packet.Span, answer.IPv4, answer.IPv6, synthesised, maxSize);
                Record(query, client, transport, DnsDecision.Portal, DnsResponseCode.NoError, answer.Payload, started);
                return true;
            case DnsPolicyAction.BlockWithNxDomain:
                Interlocked.Increment(ref _counters._blocked);
                WriteSimple(writer, query, packet.Span, DnsResponseCode.NXDomain, maxSize);
                Record(query, client, transport, DnsDecision.BlockedNxDomain, DnsResponseCode.NXDomain, answer.Payload, started);
                return true;
            case DnsPolicyAction.Refuse:
                Interlocked.Increment(ref _counters._refused);
                WriteSimple(writer, query, packet.Span, DnsResponseCode.Refused, maxSize);
                Record(query, client, transport, DnsDecision.Refused, DnsResponseCode.Refused, answer.Payload, started);
                return true;
            case DnsPolicyAction.Rewrite:
            {
                string target = answer.RewriteTarget!;
                var key = new DnsCacheKey(target, query.Type, query.Class, DnssecOk: false);
                DnsCacheEntry? entry = _cache.TryGet(key, out DnsCacheEntry? cached) ? cached : await FetchAsync(key, cancellationToken);
                if (entry is null)
                {
                    return ServFail(writer, query, packet.Span, maxSize, client, transport, answer.Payload, started);
                }

                Interlocked.Increment(ref _counters._rewritten);
                WriteRewrite(writer, query, packet.Span, target, entry, synthesised, cap, maxSize);
                Record(query, client, transport, DnsDecision.Rewritten, entry.ResponseCode, answer.Payload, started);
                return true;
            }

            default:
                return ServFail(writer, query, packet.Span, maxSize, client, transport, answer.Payload, started);
        }
    }

    /// <summary>Largest response allowed: 64 KiB on TCP; on UDP the client's EDNS size (at least 512, at most our limit), else 512.</summary>
    private int MaxSize(in DnsQuery query, DnsTransport transport) => transport switch
    {
        DnsTransport.Tcp => DnsWriter.MaxMessageSize,
        DnsTransport.Udp => query.HasEdns ? Math.Clamp((int)query.UdpPayloadSize, ClassicUdpSize, Math.Max(ClassicUdpSize, (int)_options.MaxUdpResponseSize)) : ClassicUdpSize,
        _ => ClassicUdpSize,
    };

    /// <summary>
    /// Fetches from upstream, coalescing identical concurrent misses into one upstream exchange.
    /// The fetch runs without the caller's token so one client's cancellation cannot fail the others.
    /// </summary>
    private Task<DnsCacheEntry?> FetchAsync(DnsCacheKey key, CancellationToken cancellationToken)
    {
        if (_inFlight.TryGetValue(key, out Task<DnsCacheEntry?>? running))
        {
            return running.WaitAsync(cancellationToken);
        }

        var source = new TaskCompletionSource<DnsCacheEntry?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inFlight.TryAdd(key, source.Task))
        {
            return _inFlight.TryGetValue(key, out running) ? running.WaitAsync(cancellationToken) : FetchAsync(key, cancellationToken);
        }

        _ = RunFetchAsync(key, source);
        return source.Task.WaitAsync(cancellationToken);
    }

    private async Task RunFetchAsync(DnsCacheKey key, TaskCompletionSource<DnsCacheEntry?> source)
    {
        DnsCacheEntry? entry = null;
        try
        {
            DnsMessage? response = await _upstream.ResolveAsync(key.Name, key.Type, key.Class, key.DnssecOk, CancellationToken.None);
            if (response is not null)
            {
                entry = DnsCacheEntry.Create(response, key.Name, key.Type, key.Class, _clock.GetTimestamp(), _options.CacheMaxTtl, _options.NegativeCacheMaxTtl);
                _cache.Set(key, entry);
            }
        }
        catch (Exception exception)
        {
            Interlocked.Increment(ref _counters._upstreamErrors);
            LogFetchFailed(_logger, exception.GetType().Name);
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
            source.TrySetResult(entry);
        }
    }

    private bool ServFail(
        DnsWriter writer, in DnsQuery query, ReadOnlySpan<byte> packet, int maxSize, IPAddress client, DnsTransport transport, DnsLogPayload payload, long started)
    {
        Interlocked.Increment(ref _counters._servFail);
        WriteSimple(writer, query, packet, DnsResponseCode.ServFail, maxSize);
        Record(query, client, transport, DnsDecision.ServFail, DnsResponseCode.ServFail, payload, started);
        return true;
    }

    private void Record(
        in DnsQuery query, IPAddress client, DnsTransport transport, DnsDecision decision, DnsResponseCode code, DnsLogPayload payload, long started)
    {
        _decisions.TryEnqueue(new DnsDecisionRecord(
            _clock.GetUtcNow(),
            client,
            query.Name,
            query.Type,
            transport,
            decision,
            code,
            payload.Category,
            payload.Reason,
            payload.Profile,
            payload.Person,
            _clock.GetElapsedTime(started),
            payload.School));
    }

    /// <summary>Header, then the client's question copied verbatim (it is pointer-free by construction).</summary>
    private static void Begin(DnsWriter writer, in DnsQuery query, ReadOnlySpan<byte> packet, DnsResponseCode code)
    {
        DnsHeaderFlags flags = DnsHeaderFlags.Response | DnsHeaderFlags.RecursionAvailable
            | (query.RecursionDesired ? DnsHeaderFlags.RecursionDesired : 0)
            | (query.CheckingDisabled ? DnsHeaderFlags.CheckingDisabled : 0);
        writer.WriteHeader(new DnsHeader(query.Id, DnsHeader.ComposeFlags(flags, DnsOpCode.Query, (int)code & 0xF), 1, 0, 0, 0));
        writer.WriteName(packet[DnsHeader.Size..(query.QuestionEnd - 4)], compress: false);
        writer.WriteBytes(packet[(query.QuestionEnd - 4)..query.QuestionEnd]);
    }

    /// <summary>Appends the client's OPT, sets counts and truncates (TC=1, question only) when over <paramref name="maxSize"/>.</summary>
    private void Finish(DnsWriter writer, in DnsQuery query, int answers, int authorities, DnsResponseCode code, int maxSize)
    {
        int questionEnd = query.QuestionEnd;
        int additionals = 0;
        if (query.HasEdns)
        {
            writer.WriteOpt(_options.MaxUdpResponseSize, (byte)((int)code >> 4), query.DnssecOk);
            additionals = 1;
        }

        if (writer.Position > maxSize)
        {
            Truncate(writer, query, code, questionEnd);
            return;
        }

        writer.PatchUInt16(6, (ushort)answers);
        writer.PatchUInt16(8, (ushort)authorities);
        writer.PatchUInt16(10, (ushort)additionals);
    }

    private void Truncate(DnsWriter writer, in DnsQuery query, DnsResponseCode code, int questionEnd)
    {
        Interlocked.Increment(ref _counters._truncated);
        writer.Truncate(questionEnd);
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(writer.WrittenSpan[2..]);
        writer.PatchUInt16(2, (ushort)(flags | (ushort)DnsHeaderFlags.Truncated));
        writer.PatchUInt16(6, 0);
        writer.PatchUInt16(8, 0);
        writer.PatchUInt16(10, 0);
        if (query.HasEdns)
        {
            writer.WriteOpt(_options.MaxUdpResponseSize, (byte)((int)code >> 4), query.DnssecOk);
            writer.PatchUInt16(10, 1);
        }
    }

    private static void WriteHeaderOnly(DnsWriter writer, in DnsQuery query, DnsResponseCode code)
    {
        DnsHeaderFlags flags = DnsHeaderFlags.Response | DnsHeaderFlags.RecursionAvailable
            | (query.RecursionDesired ? DnsHeaderFlags.RecursionDesired : 0);
        writer.WriteHeader(new DnsHeader(query.Id, DnsHeader.ComposeFlags(flags, DnsOpCode.Query, (int)code), 0, 0, 0, 0));
    }

    private void WriteSimple(DnsWriter writer, in DnsQuery query, ReadOnlySpan<byte> packet, DnsResponseCode code, int maxSize)
    {
        Begin(writer, query, packet, code);
        Finish(writer, query, 0, 0, code, maxSize);
    }

    /// <summary>A/AAAA answered with the given addresses; any other type (or a missing family) gets an empty NOERROR.</summary>
    private void WriteAddresses(
        DnsWriter writer, in DnsQuery query, ReadOnlySpan<byte> packet, IPAddress? ipv4, IPAddress? ipv6, uint ttl, int maxSize)
    {
        Begin(writer, query, packet, DnsResponseCode.NoError);
        int answers = 0;
        Span<byte> address = stackalloc byte[16];
        if (ipv4 is not null && query.Type is DnsRecordType.A or DnsRecordType.ANY)
        {
            WriteAddressRecord(writer, address, ipv4, DnsRecordType.A, ttl);
            answers++;
        }

        if (ipv6 is not null && query.Type is DnsRecordType.AAAA or DnsRecordType.ANY)
        {
            WriteAddressRecord(writer, address, ipv6, DnsRecordType.AAAA, ttl);
            answers++;
        }

        Finish(writer, query, answers, 0, DnsResponseCode.NoError, maxSize);
    }

    private static void WriteAddressRecord(DnsWriter writer, Span<byte> scratch, IPAddress address, DnsRecordType type, uint ttl)
    {
        writer.WriteUInt16(0xC000 | DnsHeader.Size); // owner: the question name
        writer.WriteUInt16((ushort)type);
        writer.WriteUInt16((ushort)DnsClass.IN);
        writer.WriteUInt32(ttl);
        address.TryWriteBytes(scratch, out int length);
        writer.WriteUInt16((ushort)length);
        writer.WriteBytes(scratch[..length]);
    }

    /// <summary>
    /// Replays a cache entry: copy, patch ID/flags, copy the client's question over ours (same
    /// length, only letter case can differ), lower each TTL by the seconds spent in the cache and
    /// cap it, append the client's OPT.
    /// </summary>
    private void WriteFromCache(DnsWriter writer, in DnsQuery query, ReadOnlySpan<byte> packet, DnsCacheEntry entry, uint cap, int maxSize)
    {
        writer.WriteBytes(entry.Wire);
        writer.PatchUInt16(0, query.Id);
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(entry.Wire.AsSpan(2));
        flags = (ushort)(flags & ~(ushort)(DnsHeaderFlags.RecursionDesired | DnsHeaderFlags.CheckingDisabled));
        flags |= (ushort)((query.RecursionDesired ? DnsHeaderFlags.RecursionDesired : 0) | (query.CheckingDisabled ? DnsHeaderFlags.CheckingDisabled : 0));
        writer.PatchUInt16(2, flags);
        if (entry.QuestionEnd == query.QuestionEnd)
        {
            packet[DnsHeader.Size..query.QuestionEnd].CopyTo(writer.GetWrittenSpan(DnsHeader.Size, query.QuestionEnd - DnsHeader.Size));
        }

        uint elapsed = (uint)Math.Clamp(_clock.GetElapsedTime(entry.StoredAt).TotalSeconds, 0, int.MaxValue);
        for (int i = 0; i < entry.TtlOffsets.Length; i++)
        {
            uint original = entry.OriginalTtl(i);
            uint remaining = original > elapsed ? original - elapsed : 0;
            writer.PatchUInt32(entry.TtlOffsets[i], Math.Min(remaining, cap));
        }

        int code = (int)entry.ResponseCode;
        if (query.HasEdns)
        {
            writer.WriteOpt(_options.MaxUdpResponseSize, (byte)(code >> 4), query.DnssecOk);
            ushort additional = BinaryPrimitives.ReadUInt16BigEndian(entry.Wire.AsSpan(10));
            writer.PatchUInt16(10, (ushort)(additional + 1));
        }

        if (writer.Position > maxSize)
        {
            Truncate(writer, query, entry.ResponseCode, entry.QuestionEnd);
        }
    }

    /// <summary>CNAME from the asked name to the target, then the target's answer records (TTLs decremented and capped).</summary>
    private void WriteRewrite(
        DnsWriter writer, in DnsQuery query, ReadOnlySpan<byte> packet, string target, DnsCacheEntry entry, uint cnameTtl, uint cap, int maxSize)
    {
        DnsMessage targetAnswer = DnsMessage.Parse(entry.Wire);
        uint elapsed = (uint)Math.Clamp(_clock.GetElapsedTime(entry.StoredAt).TotalSeconds, 0, int.MaxValue);
        Begin(writer, query, packet, entry.ResponseCode);
        writer.WriteUInt16(0xC000 | DnsHeader.Size);
        writer.WriteUInt16((ushort)DnsRecordType.CNAME);
        writer.WriteUInt16((ushort)DnsClass.IN);
        writer.WriteUInt32(cnameTtl);
        int lengthAt = writer.Position;
        writer.WriteUInt16(0);
        writer.WriteName(target, compress: true);
        writer.PatchUInt16(lengthAt, (ushort)(writer.Position - lengthAt - 2));
        int answers = 1;
        if (query.Type != DnsRecordType.CNAME)
        {
            foreach (DnsResourceRecord record in targetAnswer.Answers)
            {
                uint remaining = record.Ttl > elapsed ? record.Ttl - elapsed : 0;
                writer.WriteRecord(record with { Ttl = Math.Min(remaining, cap) });
                answers++;
            }
        }

        Finish(writer, query, answers, 0, entry.ResponseCode, maxSize);
    }

    [LoggerMessage(EventId = 5320, Level = LogLevel.Error, Message = "DNS query policy failed ({ExceptionType}); answered SERVFAIL")]
    private static partial void LogPolicyFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 5321, Level = LogLevel.Warning, Message = "Upstream fetch failed ({ExceptionType})")]
    private static partial void LogFetchFailed(ILogger logger, string exceptionType);
}
