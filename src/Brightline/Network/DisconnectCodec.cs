using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Brightline.Network;

/// <summary>
/// The RADIUS Disconnect-Request and its answers on the wire (RFC 5176, with RFC 2865's packet format, RFC 2869's
/// Event-Timestamp and RFC 3579's Message-Authenticator). Written from the RFCs: no RADIUS library is used.
/// </summary>
/// <remarks>
/// <para>The packet: Code (1 octet), Identifier (1), Length (2, big-endian, 20–4096), Authenticator (16), then
/// attributes, each Type (1), Length (2 + value, at most 255), value.</para>
/// <para>Encoding a request (RFC 5176 §3.5, RFC 3579 §3.2): the attributes are written with Message-Authenticator
/// first and its 16 value octets zero, and the Authenticator field zero; Message-Authenticator is then
/// HMAC-MD5(secret, the whole packet as it stands); last, the Request Authenticator is
/// MD5(Code + Identifier + Length + 16 zero octets + attributes + secret) over the packet that now carries the
/// Message-Authenticator (RFC 5176 §2.3 — the Accounting-Request rule of RFC 2866 §3). Message-Authenticator goes
/// first as RFC 9765's BlastRADIUS advice asks of every packet.</para>
/// <para>Reading an answer: it must be Disconnect-ACK (41) or -NAK (42), carry the request's Identifier, be no longer
/// than received, and its attributes must tile the packet exactly. Its Response Authenticator must equal
/// MD5(Code + Identifier + Length + the request's Authenticator + attributes + secret) (RFC 2865 §3); a
/// Message-Authenticator, when present, must equal HMAC-MD5(secret, the packet with the request's Authenticator in the
/// Authenticator field and its own value zeroed) (RFC 5176 §3.5). Both are compared in constant time. RFC 5176 makes
/// Message-Authenticator optional in an answer, so an answer without one is taken on its Response Authenticator alone
/// (which already covers every octet with the secret); an answer with a wrong one is refused.</para>
/// <para>Allocation: encoding writes into the caller's buffer; hashing works on spans, borrowing one pooled buffer for
/// "packet + secret". Nothing here keeps the secret.</para>
/// </remarks>
#pragma warning disable CA5351 // MD5 and HMAC-MD5 are what RADIUS (RFC 2865, RFC 3579, RFC 5176) is defined with; there is no choice to make.
public static class DisconnectCodec
{
    public const byte DisconnectRequestCode = 40;
    public const byte DisconnectAckCode = 41;
    public const byte DisconnectNakCode = 42;

    /// <summary>RFC 2865 §3: the largest RADIUS packet.</summary>
    public const int MaxPacketLength = 4096;
    public const int HeaderLength = 20;
    public const int AuthenticatorLength = 16;

    // Attribute types (IANA RADIUS registry).
    public const byte UserName = 1;
    public const byte NasIpAddress = 4;
    public const byte CallingStationId = 31;
    public const byte NasIdentifier = 32;
    public const byte AcctSessionId = 44;
    public const byte EventTimestamp = 55;
    public const byte MessageAuthenticator = 80;
    public const byte NasIpv6Address = 95;
    public const byte ErrorCause = 101;

    private const int MaxValueLength = 253;

    /// <summary>
    /// Writes a signed Disconnect-Request into <paramref name="packet"/> (at least <see cref="MaxPacketLength"/> octets)
    /// and returns its length. The Request Authenticator is octets 4–19 of the result, which <see cref="ReadReply"/> needs.
    /// </summary>
    /// <exception cref="ArgumentException">A value longer than an attribute can hold, or no secret.</exception>
    public static int EncodeRequest(Span<byte> packet, byte identifier, DisconnectRequest request, ReadOnlySpan<byte> secret)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (secret.IsEmpty)
        {
            throw new ArgumentException("A shared secret is required.", nameof(secret));
        }

        if (packet.Length < MaxPacketLength)
        {
            throw new ArgumentException($"The buffer must hold {MaxPacketLength} octets.", nameof(packet));
        }

        packet[..HeaderLength].Clear();
        packet[0] = DisconnectRequestCode;
        packet[1] = identifier;
        var at = HeaderLength;

        var messageAuthenticatorAt = at + 2;
        packet[at] = MessageAuthenticator;
        packet[at + 1] = 2 + AuthenticatorLength;
        packet.Slice(messageAuthenticatorAt, AuthenticatorLength).Clear();
        at += 2 + AuthenticatorLength;

        at = WriteText(packet, at, UserName, request.UserName);
        at = WriteText(packet, at, AcctSessionId, request.AcctSessionId);
        at = WriteText(packet, at, CallingStationId, request.CallingStationId);
        if (request.NasAddress is { } nas)
        {
            var v4 = nas.IsIPv4MappedToIPv6 ? nas.MapToIPv4() : nas;
            var type = v4.AddressFamily == AddressFamily.InterNetwork ? NasIpAddress : NasIpv6Address;
            var size = type == NasIpAddress ? 4 : 16;
            packet[at] = type;
            packet[at + 1] = (byte)(2 + size);
            v4.TryWriteBytes(packet.Slice(at + 2, size), out _);
            at += 2 + size;
        }

        at = WriteText(packet, at, NasIdentifier, request.NasIdentifier);
        packet[at] = EventTimestamp;
        packet[at + 1] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(at + 2, 4), (uint)Math.Clamp(request.EventTimestamp.ToUnixTimeSeconds(), 0, uint.MaxValue));
        at += 6;

        BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(2, 2), (ushort)at);
        HMACMD5.HashData(secret, packet[..at], packet.Slice(messageAuthenticatorAt, AuthenticatorLength));
        Md5WithSecret(packet[..at], secret, packet.Slice(4, AuthenticatorLength));
        return at;
    }

    /// <summary>
    /// Reads and verifies an answer to the request whose Identifier and Request Authenticator are given. Null when the
    /// datagram is not a well-formed, authentic answer to that request (it is then ignored, and the caller waits on).
    /// </summary>
    public static DisconnectReply? ReadReply(ReadOnlySpan<byte> datagram, byte identifier, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret)
    {
        if (datagram.Length < HeaderLength || requestAuthenticator.Length != AuthenticatorLength || secret.IsEmpty)
        {
            return null;
        }

        var code = datagram[0];
        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(2, 2));
        if (code is not (DisconnectAckCode or DisconnectNakCode) || datagram[1] != identifier
            || length < HeaderLength || length > datagram.Length || length > MaxPacketLength)
        {
            return null;
        }

        // RFC 2865 §3: octets past Length are padding and ignored.
        var packet = datagram[..length];
        int? errorCause = null;
        var messageAuthenticatorAt = -1;
        for (var at = HeaderLength; at < length;)
        {
            if (at + 2 > length || packet[at + 1] < 2 || at + packet[at + 1] > length)
            {
                return null;
            }

            var type = packet[at];
            var size = packet[at + 1];
            if (type == MessageAuthenticator)
            {
                if (size != 2 + AuthenticatorLength || messageAuthenticatorAt >= 0)
                {
                    return null;
                }

                messageAuthenticatorAt = at + 2;
            }
            else if (type == ErrorCause && size == 6)
            {
                errorCause = (int)BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(at + 2, 4));
            }

            at += size;
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var copy = rented.AsSpan(0, length);
            packet.CopyTo(copy);
            requestAuthenticator.CopyTo(copy.Slice(4, AuthenticatorLength));
            Span<byte> expected = stackalloc byte[AuthenticatorLength];
            Md5WithSecret(copy, secret, expected);
            if (!CryptographicOperations.FixedTimeEquals(expected, packet.Slice(4, AuthenticatorLength)))
            {
                return null;
            }

            if (messageAuthenticatorAt >= 0)
            {
                copy.Slice(messageAuthenticatorAt, AuthenticatorLength).Clear();
                HMACMD5.HashData(secret, copy, expected);
                if (!CryptographicOperations.FixedTimeEquals(expected, packet.Slice(messageAuthenticatorAt, AuthenticatorLength)))
                {
                    return null;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rented.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(rented);
        }

        return new DisconnectReply(code == DisconnectAckCode ? DisconnectReplyKind.Ack : DisconnectReplyKind.Nak, errorCause);
    }

    /// <summary>
    /// MD5 over <paramref name="packet"/> followed by the secret — RFC 2865's Response Authenticator and RFC 2866's
    /// Request Authenticator are both this, differing only in what the caller put in the Authenticator field.
    /// </summary>
    public static void Md5WithSecret(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> secret, Span<byte> destination)
    {
        var total = packet.Length + secret.Length;
        var rented = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            packet.CopyTo(rented);
            secret.CopyTo(rented.AsSpan(packet.Length));
            MD5.HashData(rented.AsSpan(0, total), destination);
        }
        finally
        {
            // The secret passed through a pooled buffer: leave nothing of it behind for the buffer's next borrower.
            CryptographicOperations.ZeroMemory(rented.AsSpan(0, total));
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int WriteText(Span<byte> packet, int at, byte type, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return at;
        }

        var size = Encoding.UTF8.GetByteCount(value);
        if (size > MaxValueLength)
        {
            throw new ArgumentException($"Attribute {type} is longer than {MaxValueLength} octets.", nameof(value));
        }

        packet[at] = type;
        packet[at + 1] = (byte)(2 + size);
        Encoding.UTF8.GetBytes(value, packet.Slice(at + 2, size));
        return at + 2 + size;
    }

    /// <summary>The shared secret as RADIUS uses it: its UTF-8 octets.</summary>
    public static byte[] SecretBytes(string secret) => Encoding.UTF8.GetBytes(secret);
}
#pragma warning restore CA5351
