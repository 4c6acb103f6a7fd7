using System.Buffers.Binary;

namespace Brightline.Dns.Wire;

/// <summary>
/// Domain names between three forms: wire (length-prefixed labels, possibly compressed), uncompressed
/// wire (at most 255 bytes, ending with the root label) and text (labels joined by '.', no trailing
/// dot, the root is the empty string; '.', '\' and bytes outside printable ASCII escaped as \. \\ \DDD,
/// so a label containing a dot can never masquerade as two labels when a policy matches on the text).
/// </summary>
public static class DnsName
{
    /// <summary>Longest name on the wire, root label included (RFC 1035 §2.3.4).</summary>
    public const int MaxWireLength = 255;

    /// <summary>Longest label (RFC 1035 §2.3.4).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>More jumps than this cannot occur in an honest message of at most 64 KiB.</summary>
    internal const int MaxPointerJumps = 126;

    /// <summary>
    /// Reads a possibly compressed name at <paramref name="offset"/> into <paramref name="wire"/>
    /// (uncompressed) and returns the offset just past the name in the original position.
    /// </summary>
    /// <remarks>
    /// Loop safety: each compression pointer must point strictly before the lowest offset read so far
    /// for this name (and not into the 12-byte header). Targets therefore strictly decrease, so
    /// decompression always ends; the jump count and the 255-byte output bound are a second guard.
    /// Every read is bounds-checked against the message and throws <see cref="DnsFormatException"/>.
    /// </remarks>
    public static int Read(ReadOnlySpan<byte> message, int offset, Span<byte> wire, out int wireLength)
    {
        int position = offset;
        int limit = offset;
        int end = -1;
        int written = 0;
        int jumps = 0;
        while (true)
        {
            if ((uint)position >= (uint)message.Length)
            {
                DnsThrow.Format(DnsFormatError.Truncated, position);
            }

            byte length = message[position];
            switch (length & 0xC0)
            {
                case 0x00:
                    if (length == 0)
                    {
                        if (written + 1 > MaxWireLength)
                        {
                            DnsThrow.Format(DnsFormatError.NameTooLong, position);
                        }

                        wire[written++] = 0;
                        wireLength = written;
                        return end < 0 ? position + 1 : end;
                    }

                    if (position + 1 + length > message.Length)
                    {
                        DnsThrow.Format(DnsFormatError.Truncated, position);
                    }

                    // +1 for the length byte, +1 reserved for the root label that must still follow.
                    if (written + 1 + length + 1 > MaxWireLength)
                    {
                        DnsThrow.Format(DnsFormatError.NameTooLong, position);
                    }

                    wire[written] = length;
                    message.Slice(position + 1, length).CopyTo(wire[(written + 1)..]);
                    written += length + 1;
                    position += length + 1;
                    break;
                case 0xC0:
                    if (position + 1 >= message.Length)
                    {
                        DnsThrow.Format(DnsFormatError.Truncated, position);
                    }

                    int target = BinaryPrimitives.ReadUInt16BigEndian(message[position..]) & 0x3FFF;
                    if (target >= limit || target < DnsHeader.Size)
                    {
                        DnsThrow.Format(DnsFormatError.BadPointer, position);
                    }

                    if (++jumps > MaxPointerJumps)
                    {
                        DnsThrow.Format(DnsFormatError.TooManyPointers, position);
                    }

                    if (end < 0)
                    {
                        end = position + 2;
                    }

                    limit = target;
                    position = target;
                    break;
                default:
                    // 0x40 and 0x80 are the obsolete extended label types (RFC 6891 §5).
                    DnsThrow.Format(DnsFormatError.ReservedLabelType, position);
                    break;
            }
        }
    }

    /// <summary>Skips a name without copying it, with the same checks as <see cref="Read"/>.</summary>
    public static int Skip(ReadOnlySpan<byte> message, int offset)
    {
        Span<byte> scratch = stackalloc byte[MaxWireLength];
        return Read(message, offset, scratch, out _);
    }

    /// <summary>Text form of an uncompressed wire name; <paramref name="lowercase"/> folds ASCII A–Z.</summary>
    public static string ToText(ReadOnlySpan<byte> wire, bool lowercase)
    {
        Span<char> chars = stackalloc char[MaxWireLength * 4];
        int count = 0;
        int position = 0;
        while (position < wire.Length && wire[position] != 0)
        {
            int length = wire[position++];
            if (count > 0)
            {
                chars[count++] = '.';
            }

            for (int i = 0; i < length; i++)
            {
                byte b = wire[position++];
                if (b is (byte)'.' or (byte)'\\')
                {
                    chars[count++] = '\\';
                    chars[count++] = (char)b;
                }
                else if (b is < 0x21 or > 0x7E)
                {
                    chars[count++] = '\\';
                    chars[count++] = (char)('0' + (b / 100));
                    chars[count++] = (char)('0' + (b / 10 % 10));
                    chars[count++] = (char)('0' + (b % 10));
                }
                else
                {
                    chars[count++] = lowercase && b is >= (byte)'A' and <= (byte)'Z' ? (char)(b | 0x20) : (char)b;
                }
            }
        }

        return count == 0 ? string.Empty : new string(chars[..count]);
    }

    /// <summary>
    /// Encodes a text name (escapes allowed, trailing dot optional, "" or "." for the root) as
    /// uncompressed wire into <paramref name="destination"/>; returns the number of bytes written.
    /// </summary>
    public static int Encode(ReadOnlySpan<char> name, Span<byte> destination)
    {
        if (!TryEncode(name, destination, out int written))
        {
            DnsThrow.BadName(name.ToString());
        }

        return written;
    }

    /// <summary>Non-throwing <see cref="Encode"/>.</summary>
    public static bool TryEncode(ReadOnlySpan<char> name, Span<byte> destination, out int written)
    {
        written = 0;
        if (name.Length == 1 && name[0] == '.')
        {
            name = [];
        }
        else if (name.Length > 1 && name[^1] == '.' && name[^2] != '\\')
        {
            name = name[..^1];
        }

        int total = 0;
        int i = 0;
        while (i < name.Length)
        {
            int lengthAt = total;
            if (lengthAt >= destination.Length)
            {
                return false;
            }

            total++;
            int labelLength = 0;
            while (i < name.Length && name[i] != '.')
            {
                int value = name[i];
                if (value == '\\')
                {
                    if (i + 1 >= name.Length)
                    {
                        return false;
                    }

                    if (char.IsAsciiDigit(name[i + 1]))
                    {
                        if (i + 3 >= name.Length)
                        {
                            return false;
                        }

                        if (!char.IsAsciiDigit(name[i + 2]) || !char.IsAsciiDigit(name[i + 3]))
                        {
                            return false;
                        }

                        value = ((name[i + 1] - '0') * 100) + ((name[i + 2] - '0') * 10) + (name[i + 3] - '0');
                        if (value > 255)
                        {
                            return false;
                        }

                        i += 4;
                    }
                    else
                    {
                        value = name[i + 1];
                        i += 2;
                    }
                }
                else
                {
                    i++;
                }

                if (value > 0xFF || total >= destination.Length || total >= MaxWireLength - 1)
                {
                    return false;
                }

                destination[total++] = (byte)value;
                labelLength++;
            }

            if (labelLength is 0 or > MaxLabelLength)
            {
                return false;
            }

            destination[lengthAt] = (byte)labelLength;
            if (i < name.Length)
            {
                i++; // the dot
                if (i == name.Length)
                {
                    return false; // "a.." style empty label
                }
            }
        }

        if (total >= destination.Length || total + 1 > MaxWireLength)
        {
            return false;
        }

        destination[total++] = 0;
        written = total;
        return true;
    }

    /// <summary>Case-insensitive comparison of two uncompressed wire names (ASCII folding, RFC 4343).</summary>
    public static bool WireEquals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        for (int i = 0; i < left.Length; i++)
        {
            if (ToLower(left[i]) != ToLower(right[i]))
            {
                return false;
            }
        }

        return true;
    }

    internal static byte ToLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
}
