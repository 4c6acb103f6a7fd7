using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Brightline.Dns.Wire;

/// <summary>
/// A whole DNS message as objects: used to build synthesised answers, to validate and cache upstream
/// answers, and by tests. The query hot path uses <see cref="DnsQueryReader"/> instead.
/// </summary>
public sealed class DnsMessage
{
    public ushort Id { get; set; }

    public bool IsResponse { get; set; }

    public DnsOpCode OpCode { get; set; }

    public bool IsAuthoritative { get; set; }

    public bool IsTruncated { get; set; }

    public bool RecursionDesired { get; set; }

    public bool RecursionAvailable { get; set; }

    public bool AuthenticData { get; set; }

    public bool CheckingDisabled { get; set; }

    /// <summary>The full (up to 12-bit) response code; values above 15 need <see cref="Edns"/>.</summary>
    public DnsResponseCode ResponseCode { get; set; }

    public List<DnsQuestion> Questions { get; } = [];

    public List<DnsResourceRecord> Answers { get; } = [];

    public List<DnsResourceRecord> Authorities { get; } = [];

    /// <summary>Additional records other than OPT (which is <see cref="Edns"/>).</summary>
    public List<DnsResourceRecord> Additionals { get; } = [];

    public DnsEdns? Edns { get; set; }

    /// <summary>
    /// Parses a message. Every count is checked against the bytes that remain, every read is bounds
    /// checked, and anything malformed throws <see cref="DnsFormatException"/>.
    /// </summary>
    public static DnsMessage Parse(ReadOnlySpan<byte> packet)
    {
        DnsHeader header = DnsHeader.Read(packet);
        int minimum = DnsHeader.Size + (header.QuestionCount * 5)
            + ((header.AnswerCount + header.AuthorityCount + header.AdditionalCount) * 11);
        if (minimum > packet.Length)
        {
            DnsThrow.Format(DnsFormatError.CountExceedsPacket, DnsHeader.Size);
        }

        var message = new DnsMessage
        {
            Id = header.Id,
            IsResponse = header.IsResponse,
            OpCode = header.OpCode,
            IsAuthoritative = header.Has(DnsHeaderFlags.Authoritative),
            IsTruncated = header.Has(DnsHeaderFlags.Truncated),
            RecursionDesired = header.Has(DnsHeaderFlags.RecursionDesired),
            RecursionAvailable = header.Has(DnsHeaderFlags.RecursionAvailable),
            AuthenticData = header.Has(DnsHeaderFlags.AuthenticData),
            CheckingDisabled = header.Has(DnsHeaderFlags.CheckingDisabled),
        };

        Span<byte> wire = stackalloc byte[DnsName.MaxWireLength];
        int position = DnsHeader.Size;
        for (int i = 0; i < header.QuestionCount; i++)
        {
            position = DnsName.Read(packet, position, wire, out int length);
            if (position + 4 > packet.Length)
            {
                DnsThrow.Format(DnsFormatError.Truncated, position);
            }

            message.Questions.Add(new DnsQuestion(
                DnsName.ToText(wire[..length], lowercase: false),
                (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(packet[position..]),
                (DnsClass)BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 2)..])));
            position += 4;
        }

        position = ReadSection(packet, position, header.AnswerCount, message.Answers, message, allowOpt: false);
        position = ReadSection(packet, position, header.AuthorityCount, message.Authorities, message, allowOpt: false);
        ReadSection(packet, position, header.AdditionalCount, message.Additionals, message, allowOpt: true);
        int high = message.Edns?.ExtendedRcodeHigh ?? 0;
        message.ResponseCode = (DnsResponseCode)((high << 4) | header.ResponseCodeLow);
        return message;
    }

    /// <summary>Serialises the message with name compression.</summary>
    public byte[] ToArray()
    {
        using var writer = new DnsWriter();
        WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>Serialises into <paramref name="writer"/> from its current position.</summary>
    public void WriteTo(DnsWriter writer)
    {
        int code = (int)ResponseCode;
        DnsEdns? edns = Edns;
        if (code > 15)
        {
            edns = (edns ?? new DnsEdns(1232)) with { ExtendedRcodeHigh = (byte)(code >> 4) };
        }

        DnsHeaderFlags flags = (IsResponse ? DnsHeaderFlags.Response : 0)
            | (IsAuthoritative ? DnsHeaderFlags.Authoritative : 0)
            | (IsTruncated ? DnsHeaderFlags.Truncated : 0)
            | (RecursionDesired ? DnsHeaderFlags.RecursionDesired : 0)
            | (RecursionAvailable ? DnsHeaderFlags.RecursionAvailable : 0)
            | (AuthenticData ? DnsHeaderFlags.AuthenticData : 0)
            | (CheckingDisabled ? DnsHeaderFlags.CheckingDisabled : 0);
        writer.WriteHeader(new DnsHeader(
            Id,
            DnsHeader.ComposeFlags(flags, OpCode, code & 0xF),
            (ushort)Questions.Count,
            (ushort)Answers.Count,
            (ushort)Authorities.Count,
            (ushort)(Additionals.Count + (edns is null ? 0 : 1))));
        foreach (DnsQuestion question in Questions)
        {
            writer.WriteName(question.Name, compress: true);
            writer.WriteUInt16((ushort)question.Type);
            writer.WriteUInt16((ushort)question.Class);
        }

        foreach (DnsResourceRecord record in Answers)
        {
            writer.WriteRecord(record);
        }

        foreach (DnsResourceRecord record in Authorities)
        {
            writer.WriteRecord(record);
        }

        foreach (DnsResourceRecord record in Additionals)
        {
            writer.WriteRecord(record);
        }

        if (edns is not null)
        {
            writer.WriteOpt(edns);
        }
    }

    private static int ReadSection(
        ReadOnlySpan<byte> packet, int position, int count, List<DnsResourceRecord> into, DnsMessage message, bool allowOpt)
    {
        Span<byte> wire = stackalloc byte[DnsName.MaxWireLength];
        for (int i = 0; i < count; i++)
        {
            int start = position;
            position = DnsName.Read(packet, position, wire, out int nameLength);
            if (position + 10 > packet.Length)
            {
                DnsThrow.Format(DnsFormatError.Truncated, position);
            }

            var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(packet[position..]);
            ushort rawClass = BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 2)..]);
            uint ttl = BinaryPrimitives.ReadUInt32BigEndian(packet[(position + 4)..]);
            int rdLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(position + 8)..]);
            position += 10;
            if (position + rdLength > packet.Length)
            {
                DnsThrow.Format(DnsFormatError.Truncated, position);
            }

            if (type == DnsRecordType.OPT)
            {
                // RFC 6891 §6.1.1: one OPT, in the additional section, owned by the root.
                if (!allowOpt || message.Edns is not null || nameLength != 1)
                {
                    DnsThrow.Format(DnsFormatError.BadOpt, start);
                }

                message.Edns = ReadOpt(packet.Slice(position, rdLength), rawClass, ttl, position);
            }
            else
            {
                DnsRecordData data = ReadData(packet, position, rdLength, type);
                into.Add(new DnsResourceRecord(DnsName.ToText(wire[..nameLength], lowercase: false), type, (DnsClass)rawClass, ttl, data));
            }

            position += rdLength;
        }

        return position;
    }

    private static DnsEdns ReadOpt(ReadOnlySpan<byte> rdata, ushort payloadSize, uint ttl, int offset)
    {
        int position = 0;
        while (position < rdata.Length)
        {
            if (position + 4 > rdata.Length)
            {
                DnsThrow.Format(DnsFormatError.BadOpt, offset + position);
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(rdata[(position + 2)..]);
            position += 4 + length;
            if (position > rdata.Length)
            {
                DnsThrow.Format(DnsFormatError.BadOpt, offset + position);
            }
        }

        ushort flags = (ushort)(ttl & 0xFFFF);
        return new DnsEdns(payloadSize, (byte)(ttl >> 24), (byte)(ttl >> 16), (flags & 0x8000) != 0)
        {
            Options = rdata.ToArray(),
            OtherFlags = (ushort)(flags & 0x7FFF),
        };
    }

    /// <summary>Decodes typed RDATA; names inside may point anywhere earlier in the message.</summary>
    private static DnsRecordData ReadData(ReadOnlySpan<byte> packet, int start, int length, DnsRecordType type)
    {
        int end = start + length;
        ReadOnlySpan<byte> rdata = packet.Slice(start, length);
        switch (type)
        {
            case DnsRecordType.A:
                return length == 4 ? new ARecordData(new IPAddress(rdata)) : DnsThrow.Format<DnsRecordData>(DnsFormatError.BadRecordData, start);
            case DnsRecordType.AAAA:
                return length == 16 ? new AaaaRecordData(new IPAddress(rdata)) : DnsThrow.Format<DnsRecordData>(DnsFormatError.BadRecordData, start);
            case DnsRecordType.CNAME:
            case DnsRecordType.NS:
            case DnsRecordType.PTR:
            {
                string name = ReadNameWithin(packet, start, end, out int after);
                ExpectEnd(after, end);
                return new NameRecordData(name);
            }

            case DnsRecordType.MX:
            {
                if (length < 3)
                {
                    DnsThrow.Format(DnsFormatError.BadRecordData, start);
                }

                string name = ReadNameWithin(packet, start + 2, end, out int after);
                ExpectEnd(after, end);
                return new MxRecordData(BinaryPrimitives.ReadUInt16BigEndian(rdata), name);
            }

            case DnsRecordType.SRV:
            {
                if (length < 7)
                {
                    DnsThrow.Format(DnsFormatError.BadRecordData, start);
                }

                string name = ReadNameWithin(packet, start + 6, end, out int after);
                ExpectEnd(after, end);
                return new SrvRecordData(
                    BinaryPrimitives.ReadUInt16BigEndian(rdata),
                    BinaryPrimitives.ReadUInt16BigEndian(rdata[2..]),
                    BinaryPrimitives.ReadUInt16BigEndian(rdata[4..]),
                    name);
            }

            case DnsRecordType.SOA:
            {
                string primary = ReadNameWithin(packet, start, end, out int after);
                string person = ReadNameWithin(packet, after, end, out after);
                if (end - after != 20)
                {
                    DnsThrow.Format(DnsFormatError.BadRecordData, after);
                }

                ReadOnlySpan<byte> numbers = packet.Slice(after, 20);
                return new SoaRecordData(
                    primary,
                    person,
                    BinaryPrimitives.ReadUInt32BigEndian(numbers),
                    BinaryPrimitives.ReadUInt32BigEndian(numbers[4..]),
                    BinaryPrimitives.ReadUInt32BigEndian(numbers[8..]),
                    BinaryPrimitives.ReadUInt32BigEndian(numbers[12..]),
                    BinaryPrimitives.ReadUInt32BigEndian(numbers[16..]));
            }

            case DnsRecordType.TXT:
            {
                var strings = new List<string>();
                int position = 0;
                while (position < length)
                {
                    int count = rdata[position];
                    if (position + 1 + count > length)
                    {
                        DnsThrow.Format(DnsFormatError.BadRecordData, start + position);
                    }

                    strings.Add(Encoding.Latin1.GetString(rdata.Slice(position + 1, count)));
                    position += 1 + count;
                }

                return new TxtRecordData(strings);
            }

            case DnsRecordType.HINFO:
            case DnsRecordType.DNAME:
            case DnsRecordType.OPT:
            case DnsRecordType.DS:
            case DnsRecordType.RRSIG:
            case DnsRecordType.NSEC:
            case DnsRecordType.DNSKEY:
            case DnsRecordType.SVCB:
            case DnsRecordType.HTTPS:
            case DnsRecordType.IXFR:
            case DnsRecordType.AXFR:
            case DnsRecordType.ANY:
            case DnsRecordType.CAA:
            default:
                return new OpaqueRecordData(rdata.ToArray());
        }
    }

    private static string ReadNameWithin(ReadOnlySpan<byte> packet, int start, int end, out int after)
    {
        Span<byte> wire = stackalloc byte[DnsName.MaxWireLength];
        after = DnsName.Read(packet[..end], start, wire, out int length);
        return DnsName.ToText(wire[..length], lowercase: false);
    }

    private static void ExpectEnd(int after, int end)
    {
        if (after != end)
        {
            DnsThrow.Format(DnsFormatError.BadRecordData, after);
        }
    }
}
