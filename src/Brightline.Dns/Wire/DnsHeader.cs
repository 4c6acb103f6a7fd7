using System.Buffers.Binary;

namespace Brightline.Dns.Wire;

/// <summary>Bits of the 16-bit header flags word (RFC 1035 §4.1.1, RFC 4035 §3.2 for AD/CD).</summary>
[Flags]
public enum DnsHeaderFlags : ushort
{
    None = 0,
    CheckingDisabled = 0x0010,
    AuthenticData = 0x0020,
    RecursionAvailable = 0x0080,
    RecursionDesired = 0x0100,
    Truncated = 0x0200,
    Authoritative = 0x0400,
    Response = 0x8000,
}

/// <summary>The fixed 12-byte message header.</summary>
public readonly record struct DnsHeader(
    ushort Id,
    ushort Flags,
    ushort QuestionCount,
    ushort AnswerCount,
    ushort AuthorityCount,
    ushort AdditionalCount)
{
    public const int Size = 12;

    public bool IsResponse => (Flags & (ushort)DnsHeaderFlags.Response) != 0;

    public DnsOpCode OpCode => (DnsOpCode)((Flags >> 11) & 0xF);

    /// <summary>The low four bits of the response code (the rest live in OPT).</summary>
    public int ResponseCodeLow => Flags & 0xF;

    public bool Has(DnsHeaderFlags flag) => (Flags & (ushort)flag) == (ushort)flag;

    public static DnsHeader Read(ReadOnlySpan<byte> message)
    {
        if (message.Length < Size)
        {
            DnsThrow.Format(DnsFormatError.Truncated, message.Length);
        }

        return new DnsHeader(
            BinaryPrimitives.ReadUInt16BigEndian(message),
            BinaryPrimitives.ReadUInt16BigEndian(message[2..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[6..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[10..]));
    }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Id);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Flags);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], QuestionCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], AnswerCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], AuthorityCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], AdditionalCount);
    }

    /// <summary>Composes a flags word.</summary>
    public static ushort ComposeFlags(DnsHeaderFlags flags, DnsOpCode opCode, int responseCodeLow)
        => (ushort)((ushort)flags | (((int)opCode & 0xF) << 11) | (responseCodeLow & 0xF));
}
