using System.Buffers.Binary;

namespace Brightline.Dns.Wire;

/// <summary>What to do with an incoming packet after a first look.</summary>
public enum DnsQueryStatus
{
    /// <summary>A well-formed standard query.</summary>
    Ok,

    /// <summary>Not worth an answer (shorter than a header, or itself a response).</summary>
    Drop,

    /// <summary>The header is readable but the rest is malformed: answer FORMERR.</summary>
    FormErr,

    /// <summary>An opcode other than QUERY: answer NOTIMP.</summary>
    NotImp,

    /// <summary>EDNS version above 0: answer BADVERS (RFC 6891 §6.1.3).</summary>
    BadVersion,
}

/// <summary>The parts of a query the server needs, read without building a <see cref="DnsMessage"/>.</summary>
public readonly record struct DnsQuery(
    ushort Id,
    ushort Flags,
    string Name,
    DnsRecordType Type,
    DnsClass Class,
    int QuestionEnd,
    bool HasEdns,
    ushort UdpPayloadSize,
    bool DnssecOk)
{
    public bool RecursionDesired => (Flags & (ushort)DnsHeaderFlags.RecursionDesired) != 0;

    public bool CheckingDisabled => (Flags & (ushort)DnsHeaderFlags.CheckingDisabled) != 0;
}

/// <summary>Reads a query's header, single question and OPT record from a span.</summary>
public static class DnsQueryReader
{
    /// <summary>
    /// Classifies <paramref name="packet"/> and, when it is a readable query, fills <paramref name="query"/>.
    /// Never throws for malformed input: a bad question or OPT yields <see cref="DnsQueryStatus.FormErr"/>.
    /// </summary>
    public static DnsQueryStatus Read(ReadOnlySpan<byte> packet, out DnsQuery query)
    {
        query = default;
        if (packet.Length < DnsHeader.Size)
        {
            return DnsQueryStatus.Drop;
        }

        DnsHeader header = DnsHeader.Read(packet);
        query = new DnsQuery(header.Id, header.Flags, string.Empty, 0, 0, DnsHeader.Size, false, 0, false);
        if (header.IsResponse)
        {
            return DnsQueryStatus.Drop;
        }

        if (header.OpCode != DnsOpCode.Query)
        {
            return DnsQueryStatus.NotImp;
        }

        if (header.QuestionCount != 1)
        {
            return DnsQueryStatus.FormErr;
        }

        try
        {
            return ReadBody(packet, header, ref query);
        }
        catch (DnsFormatException)
        {
            return DnsQueryStatus.FormErr;
        }
    }

    private static DnsQueryStatus ReadBody(ReadOnlySpan<byte> packet, DnsHeader header, ref DnsQuery query)
    {
        Span<byte> wire = stackalloc byte[DnsName.MaxWireLength];
        int position = DnsName.Read(packet, DnsHeader.Size, wire, out int nameLength);
        if (position + 4 > packet.Length)
        {
            return DnsQueryStatus.FormErr;
        }

        var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(packet[position..]);
        var @class = (DnsClass)BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 2)..]);
        position += 4;
        int questionEnd = position;
        int records = header.AnswerCount + header.AuthorityCount;
        if (position + ((records + header.AdditionalCount) * 11) > packet.Length)
        {
            return DnsQueryStatus.FormErr;
        }

        for (int i = 0; i < records; i++)
        {
            position = SkipRecord(packet, position, out _, out _, out _);
        }

        bool hasEdns = false;
        ushort payload = 0;
        bool dnssecOk = false;
        byte version = 0;
        for (int i = 0; i < header.AdditionalCount; i++)
        {
            int start = position;
            position = SkipRecord(packet, position, out DnsRecordType recordType, out ushort rawClass, out uint ttl);
            if (recordType != DnsRecordType.OPT)
            {
                continue;
            }

            if (hasEdns || packet[start] != 0)
            {
                return DnsQueryStatus.FormErr;
            }

            // Options must be well-formed TLVs that end exactly at the end of RDATA.
            int rdStart = start + 11;
            int rdEnd = position;
            int option = rdStart;
            while (option < rdEnd)
            {
                if (option + 4 > rdEnd)
                {
                    return DnsQueryStatus.FormErr;
                }

                option += 4 + BinaryPrimitives.ReadUInt16BigEndian(packet[(option + 2)..]);
            }

            if (option != rdEnd)
            {
                return DnsQueryStatus.FormErr;
            }

            hasEdns = true;
            payload = rawClass;
            version = (byte)(ttl >> 16);
            dnssecOk = (ttl & 0x8000) != 0;
        }

        query = query with
        {
            Name = DnsName.ToText(wire[..nameLength], lowercase: true),
            Type = type,
            Class = @class,
            QuestionEnd = questionEnd,
            HasEdns = hasEdns,
            UdpPayloadSize = payload,
            DnssecOk = dnssecOk,
        };
        return version == 0 ? DnsQueryStatus.Ok : DnsQueryStatus.BadVersion;
    }

    private static int SkipRecord(ReadOnlySpan<byte> packet, int position, out DnsRecordType type, out ushort rawClass, out uint ttl)
    {
        position = DnsName.Skip(packet, position);
        if (position + 10 > packet.Length)
        {
            DnsThrow.Format(DnsFormatError.Truncated, position);
        }

        type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(packet[position..]);
        rawClass = BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 2)..]);
        ttl = BinaryPrimitives.ReadUInt32BigEndian(packet[(position + 4)..]);
        int end = position + 10 + BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 8)..]);
        if (end > packet.Length)
        {
            DnsThrow.Format(DnsFormatError.Truncated, position);
        }

        return end;
    }
}
