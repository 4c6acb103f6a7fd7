using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Brightline.Dns.Wire;

/// <summary>Typed RDATA. Types the filter does not interpret travel as <see cref="OpaqueRecordData"/>.</summary>
public abstract record DnsRecordData
{
    /// <summary>Writes the RDATA (without RDLENGTH).</summary>
    internal abstract void Write(DnsWriter writer);
}

/// <summary>An IPv4 address (type A).</summary>
public sealed record ARecordData(IPAddress Address) : DnsRecordData
{
    internal override void Write(DnsWriter writer)
    {
        if (Address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new DnsFormatException("An A record needs an IPv4 address.");
        }

        Span<byte> bytes = stackalloc byte[4];
        Address.TryWriteBytes(bytes, out _);
        writer.WriteBytes(bytes);
    }
}

/// <summary>An IPv6 address (type AAAA).</summary>
public sealed record AaaaRecordData(IPAddress Address) : DnsRecordData
{
    internal override void Write(DnsWriter writer)
    {
        if (Address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new DnsFormatException("An AAAA record needs an IPv6 address.");
        }

        Span<byte> bytes = stackalloc byte[16];
        Address.TryWriteBytes(bytes, out _);
        writer.WriteBytes(bytes);
    }
}

/// <summary>A single domain name: CNAME, NS or PTR.</summary>
public sealed record NameRecordData(string Target) : DnsRecordData
{
    internal override void Write(DnsWriter writer) => writer.WriteName(Target, compress: true);
}

/// <summary>Mail exchange (type MX).</summary>
public sealed record MxRecordData(ushort Preference, string Exchange) : DnsRecordData
{
    internal override void Write(DnsWriter writer)
    {
        writer.WriteUInt16(Preference);
        writer.WriteName(Exchange, compress: true);
    }
}

/// <summary>Start of authority (type SOA); <see cref="Minimum"/> bounds negative caching (RFC 2308).</summary>
public sealed record SoaRecordData(
    string PrimaryServer,
    string ResponsiblePerson,
    uint Serial,
    uint Refresh,
    uint Retry,
    uint Expire,
    uint Minimum) : DnsRecordData
{
    internal override void Write(DnsWriter writer)
    {
        writer.WriteName(PrimaryServer, compress: true);
        writer.WriteName(ResponsiblePerson, compress: true);
        writer.WriteUInt32(Serial);
        writer.WriteUInt32(Refresh);
        writer.WriteUInt32(Retry);
        writer.WriteUInt32(Expire);
        writer.WriteUInt32(Minimum);
    }
}

/// <summary>Character strings (type TXT), each at most 255 bytes, decoded byte-for-byte as Latin-1.</summary>
public sealed record TxtRecordData(IReadOnlyList<string> Strings) : DnsRecordData
{
    internal override void Write(DnsWriter writer)
    {
        Span<byte> bytes = stackalloc byte[256];
        foreach (string text in Strings)
        {
            int count = Encoding.Latin1.GetByteCount(text);
            if (count > 255)
            {
                throw new DnsFormatException("A TXT character-string is longer than 255 bytes.");
            }

            bytes[0] = (byte)count;
            Encoding.Latin1.GetBytes(text, bytes[1..]);
            writer.WriteBytes(bytes[..(count + 1)]);
        }
    }

    public bool Equals(TxtRecordData? other) => other is not null && Strings.SequenceEqual(other.Strings, StringComparer.Ordinal);

    public override int GetHashCode() => Strings.Count;
}

/// <summary>Service location (type SRV, RFC 2782); its target is never compressed.</summary>
public sealed record SrvRecordData(ushort Priority, ushort Weight, ushort Port, string Target) : DnsRecordData
{
    internal override void Write(DnsWriter writer)
    {
        writer.WriteUInt16(Priority);
        writer.WriteUInt16(Weight);
        writer.WriteUInt16(Port);
        writer.WriteName(Target, compress: false);
    }
}

/// <summary>RDATA passed through untouched (HTTPS, SVCB, DNSSEC types and anything unknown).</summary>
public sealed record OpaqueRecordData(byte[] Data) : DnsRecordData
{
    internal override void Write(DnsWriter writer) => writer.WriteBytes(Data);

    public bool Equals(OpaqueRecordData? other) => other is not null && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => Data.Length;
}

/// <summary>A question: name (text form, as received), type and class.</summary>
public sealed record DnsQuestion(string Name, DnsRecordType Type, DnsClass Class = DnsClass.IN);

/// <summary>A resource record of the answer, authority or additional section (never OPT).</summary>
public sealed record DnsResourceRecord(string Name, DnsRecordType Type, DnsClass Class, uint Ttl, DnsRecordData Data);

/// <summary>
/// The EDNS(0) pseudo-record (RFC 6891 §6): the requester's UDP payload size, the upper eight bits
/// of the response code, the version, the DO bit and the raw options (well-formed TLVs).
/// </summary>
public sealed record DnsEdns(ushort UdpPayloadSize, byte ExtendedRcodeHigh = 0, byte Version = 0, bool DnssecOk = false)
{
    /// <summary>Raw option TLVs (code, length, data), validated on parse.</summary>
    public byte[] Options { get; init; } = [];

    /// <summary>The remaining 15 flag bits after DO, preserved.</summary>
    public ushort OtherFlags { get; init; }

    public bool Equals(DnsEdns? other) => other is not null
        && UdpPayloadSize == other.UdpPayloadSize && ExtendedRcodeHigh == other.ExtendedRcodeHigh
        && Version == other.Version && DnssecOk == other.DnssecOk && OtherFlags == other.OtherFlags
        && Options.AsSpan().SequenceEqual(other.Options);

    public override int GetHashCode() => HashCode.Combine(UdpPayloadSize, Version, DnssecOk);
}
