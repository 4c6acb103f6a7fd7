using System.Buffers.Binary;
using System.Collections.Concurrent;
using Brightline.Dns.Wire;

namespace Brightline.Dns.Forwarding;

/// <summary>Cache key: the normalised name, type, class and whether DNSSEC records were asked for.</summary>
public readonly record struct DnsCacheKey(string Name, DnsRecordType Type, DnsClass Class, bool DnssecOk);

/// <summary>
/// An upstream answer ready to replay: the message re-serialised without OPT and with ID 0, the
/// offset of every TTL field and the TTLs as received. Serving copies the bytes, patches ID, flags
/// and question (so the client's letter case comes back), lowers every TTL by the time spent in the
/// cache and caps it, then appends the client's OPT — no parsing on a hit.
/// </summary>
public sealed class DnsCacheEntry
{
    internal DnsCacheEntry(byte[] wire, int questionEnd, int[] ttlOffsets, DnsResponseCode responseCode, long storedAt, TimeSpan lifetime)
    {
        Wire = wire;
        QuestionEnd = questionEnd;
        TtlOffsets = ttlOffsets;
        ResponseCode = responseCode;
        StoredAt = storedAt;
        Lifetime = lifetime;
    }

    internal byte[] Wire { get; }

    internal int QuestionEnd { get; }

    internal int[] TtlOffsets { get; }

    public DnsResponseCode ResponseCode { get; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when stored.</summary>
    internal long StoredAt { get; }

    /// <summary>How long the entry may be served; zero means "answer this once, do not store".</summary>
    public TimeSpan Lifetime { get; }

    internal uint OriginalTtl(int index) => BinaryPrimitives.ReadUInt32BigEndian(Wire.AsSpan(TtlOffsets[index]));

    /// <summary>
    /// Builds an entry from a validated upstream response. Lifetime: positive answers live for the
    /// smallest TTL in the message; NXDOMAIN and NODATA live for min(SOA TTL, SOA MINIMUM) of the
    /// authority SOA (RFC 2308 §5) and are not stored without one; other response codes are never
    /// stored. Both are bounded by the configured maxima.
    /// </summary>
    internal static DnsCacheEntry Create(
        DnsMessage response, string normalisedName, DnsRecordType type, DnsClass @class, long now, TimeSpan maxPositive, TimeSpan maxNegative)
    {
        using var writer = new DnsWriter();
        DnsHeaderFlags flags = DnsHeaderFlags.Response | DnsHeaderFlags.RecursionAvailable
            | (response.AuthenticData ? DnsHeaderFlags.AuthenticData : 0);
        int code = (int)response.ResponseCode;
        writer.WriteHeader(new DnsHeader(
            0,
            DnsHeader.ComposeFlags(flags, DnsOpCode.Query, code & 0xF),
            1,
            (ushort)response.Answers.Count,
            (ushort)response.Authorities.Count,
            (ushort)response.Additionals.Count));
        writer.WriteName(normalisedName, compress: true);
        writer.WriteUInt16((ushort)type);
        writer.WriteUInt16((ushort)@class);
        int questionEnd = writer.Position;
        int total = response.Answers.Count + response.Authorities.Count + response.Additionals.Count;
        var ttlOffsets = new int[total];
        int index = 0;
        uint minimum = uint.MaxValue;
        foreach (DnsResourceRecord record in response.Answers)
        {
            ttlOffsets[index++] = writer.WriteRecord(record);
            minimum = Math.Min(minimum, record.Ttl);
        }

        uint negative = uint.MaxValue;
        foreach (DnsResourceRecord record in response.Authorities)
        {
            ttlOffsets[index++] = writer.WriteRecord(record);
            if (record.Data is SoaRecordData soa)
            {
                negative = Math.Min(negative, Math.Min(record.Ttl, soa.Minimum));
            }
        }

        foreach (DnsResourceRecord record in response.Additionals)
        {
            ttlOffsets[index++] = writer.WriteRecord(record);
        }

        TimeSpan lifetime = TimeSpan.Zero;
        bool isNegative = response.ResponseCode == DnsResponseCode.NXDomain
            || (response.ResponseCode == DnsResponseCode.NoError && response.Answers.Count == 0);
        if (isNegative)
        {
            if (negative != uint.MaxValue)
            {
                lifetime = Min(TimeSpan.FromSeconds(negative), maxNegative);
            }
        }
        else if (response.ResponseCode == DnsResponseCode.NoError && minimum != uint.MaxValue)
        {
            lifetime = Min(TimeSpan.FromSeconds(minimum), maxPositive);
        }

        return new DnsCacheEntry(writer.ToArray(), questionEnd, ttlOffsets, response.ResponseCode, now, lifetime);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

/// <summary>
/// A bounded answer cache. Expired entries are removed when met; when the cache is full, a sweep
/// removes expired entries and, if that is not enough, an arbitrary tenth of the rest (cheap and
/// good enough for DNS, where popular names are re-fetched at once).
/// </summary>
public sealed class DnsCache
{
    private readonly ConcurrentDictionary<DnsCacheKey, DnsCacheEntry> _entries = new();
    private readonly TimeProvider _clock;
    private readonly int _maxEntries;
    private int _sweeping;

    public DnsCache(TimeProvider clock, int maxEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _clock = clock;
        _maxEntries = maxEntries;
    }

    public int Count => _entries.Count;

    public bool TryGet(in DnsCacheKey key, out DnsCacheEntry entry)
    {
        if (_entries.TryGetValue(key, out DnsCacheEntry? found))
        {
            if (_clock.GetElapsedTime(found.StoredAt) < found.Lifetime)
            {
                entry = found;
                return true;
            }

            _entries.TryRemove(new KeyValuePair<DnsCacheKey, DnsCacheEntry>(key, found));
        }

        entry = null!;
        return false;
    }

    public void Set(in DnsCacheKey key, DnsCacheEntry entry)
    {
        if (entry.Lifetime <= TimeSpan.Zero)
        {
            return;
        }

        if (_entries.Count >= _maxEntries)
        {
            Sweep();
        }

        _entries[key] = entry;
    }

    public void Clear() => _entries.Clear();

    private void Sweep()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            foreach (KeyValuePair<DnsCacheKey, DnsCacheEntry> pair in _entries)
            {
                if (_clock.GetElapsedTime(pair.Value.StoredAt) >= pair.Value.Lifetime)
                {
                    _entries.TryRemove(pair);
                }
            }

            int excess = _entries.Count - (_maxEntries - Math.Max(1, _maxEntries / 10));
            if (excess > 0)
            {
                foreach (KeyValuePair<DnsCacheKey, DnsCacheEntry> pair in _entries)
                {
                    if (excess-- <= 0)
                    {
                        break;
                    }

                    _entries.TryRemove(pair);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
