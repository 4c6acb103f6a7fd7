using System.Diagnostics.CodeAnalysis;

namespace Brightline.Dns.Wire;

/// <summary>Why a DNS message was rejected by the parser.</summary>
public enum DnsFormatError
{
    Truncated,
    LabelTooLong,
    NameTooLong,
    BadPointer,
    TooManyPointers,
    ReservedLabelType,
    CountExceedsPacket,
    BadRecordData,
    BadOpt,
    BadName,
    MessageTooLarge,
}

/// <summary>A DNS message is malformed; the server answers FORMERR or drops it.</summary>
public sealed class DnsFormatException : Exception
{
    public DnsFormatException(DnsFormatError error, int offset)
        : base($"Malformed DNS message: {error} at offset {offset}.")
    {
        Error = error;
        Offset = offset;
    }

    public DnsFormatException(string message) : base(message)
    {
        Error = DnsFormatError.BadName;
    }

    public DnsFormatException(string message, Exception innerException) : base(message, innerException)
    {
        Error = DnsFormatError.BadName;
    }

    public DnsFormatException()
    {
    }

    public DnsFormatError Error { get; }

    /// <summary>Byte offset in the message at which the problem was found.</summary>
    public int Offset { get; }
}

/// <summary>Throw helpers kept out of line so the parsing hot path stays small and inlinable.</summary>
internal static class DnsThrow
{
    [DoesNotReturn]
    public static void Format(DnsFormatError error, int offset) => throw new DnsFormatException(error, offset);

    [DoesNotReturn]
    public static T Format<T>(DnsFormatError error, int offset) => throw new DnsFormatException(error, offset);

    [DoesNotReturn]
    public static void BufferTooSmall() => throw new DnsFormatException(DnsFormatError.MessageTooLarge, 0);

    [DoesNotReturn]
    public static void BadName(string name) => throw new DnsFormatException($"'{name}' is not a valid domain name.");
}
