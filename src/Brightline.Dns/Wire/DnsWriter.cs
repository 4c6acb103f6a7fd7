using System.Buffers;
using System.Buffers.Binary;

namespace Brightline.Dns.Wire;

/// <summary>
/// Writes DNS messages into a pooled, growable buffer (at most 65 535 bytes) with name compression.
/// Reuse one instance through <see cref="Reset"/>; dispose it to return the buffer to the pool.
/// </summary>
/// <remarks>
/// Compression (RFC 1035 §4.1.4) without allocating: the writer remembers the offset of every label
/// it wrote (up to <see cref="MaxRemembered"/>). To write a name it first encodes it uncompressed on
/// the stack, then, for each suffix from the longest down, compares it label by label (ASCII
/// case-insensitively, following pointers already in the buffer) with each remembered offset. The
/// first hit gives the longest reusable suffix: the labels before it are written out and a pointer
/// to the hit ends the name. Only offsets below 0x4000 can be pointed to.
/// </remarks>
public sealed class DnsWriter : IDisposable
{
    private const int MaxRemembered = 128;
    public const int MaxMessageSize = ushort.MaxValue;

    private readonly int[] _labelOffsets = new int[MaxRemembered];
    private byte[] _buffer;
    private int _labelCount;

    public DnsWriter(int initialCapacity = 512)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    public int Position { get; private set; }

    /// <summary>Size of the underlying buffer.</summary>
    public int Capacity => _buffer.Length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Position);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, Position);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Reset()
    {
        Position = 0;
        _labelCount = 0;
    }

    /// <summary>Forgets compression targets at or beyond <paramref name="position"/> and rewinds there.</summary>
    public void Truncate(int position)
    {
        Position = position;
        int kept = 0;
        for (int i = 0; i < _labelCount; i++)
        {
            if (_labelOffsets[i] < position)
            {
                _labelOffsets[kept++] = _labelOffsets[i];
            }
        }

        _labelCount = kept;
    }

    public void WriteHeader(in DnsHeader header) => header.Write(Reserve(DnsHeader.Size));

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    public void PatchUInt16(int offset, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(offset), value);

    public void PatchUInt32(int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(offset), value);

    /// <summary>Writes a text-form name.</summary>
    public void WriteName(string name, bool compress)
    {
        Span<byte> wire = stackalloc byte[DnsName.MaxWireLength];
        int length = DnsName.Encode(name, wire);
        WriteName(wire[..length], compress);
    }

    /// <summary>Writes an uncompressed wire name, compressing it against earlier names if asked.</summary>
    public void WriteName(ReadOnlySpan<byte> wire, bool compress)
    {
        int suffix = 0;
        while (wire[suffix] != 0)
        {
            if (compress)
            {
                int target = FindSuffix(wire[suffix..]);
                if (target >= 0)
                {
                    WriteLabels(wire[..suffix]);
                    WriteUInt16((ushort)(0xC000 | target));
                    return;
                }
            }

            suffix += wire[suffix] + 1;
        }

        WriteLabels(wire[..suffix]);
        WriteByte(0);
    }

    /// <summary>Writes a resource record and returns the offset of its TTL field.</summary>
    public int WriteRecord(DnsResourceRecord record)
    {
        WriteName(record.Name, compress: true);
        WriteUInt16((ushort)record.Type);
        WriteUInt16((ushort)record.Class);
        int ttlOffset = Position;
        WriteUInt32(record.Ttl);
        int lengthOffset = Position;
        WriteUInt16(0);
        record.Data.Write(this);
        PatchUInt16(lengthOffset, (ushort)(Position - lengthOffset - 2));
        return ttlOffset;
    }

    /// <summary>Writes an OPT pseudo-record (owner is the root; class carries the payload size).</summary>
    public void WriteOpt(DnsEdns edns)
    {
        WriteByte(0);
        WriteUInt16((ushort)DnsRecordType.OPT);
        WriteUInt16(edns.UdpPayloadSize);
        WriteByte(edns.ExtendedRcodeHigh);
        WriteByte(edns.Version);
        WriteUInt16((ushort)((edns.DnssecOk ? 0x8000 : 0) | (edns.OtherFlags & 0x7FFF)));
        WriteUInt16((ushort)edns.Options.Length);
        WriteBytes(edns.Options);
    }

    /// <summary>Writes an OPT pseudo-record with no options.</summary>
    public void WriteOpt(ushort udpPayloadSize, byte extendedRcodeHigh, bool dnssecOk)
    {
        Span<byte> opt = Reserve(11);
        opt[0] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(opt[1..], (ushort)DnsRecordType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(opt[3..], udpPayloadSize);
        opt[5] = extendedRcodeHigh;
        opt[6] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(opt[7..], (ushort)(dnssecOk ? 0x8000 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(opt[9..], 0);
    }

    /// <summary>Writable view of already written bytes (for patching).</summary>
    internal Span<byte> GetWrittenSpan(int offset, int length) => _buffer.AsSpan(offset, length);

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void WriteLabels(ReadOnlySpan<byte> labels)
    {
        int position = 0;
        while (position < labels.Length)
        {
            if (Position < 0x4000 && _labelCount < MaxRemembered)
            {
                _labelOffsets[_labelCount++] = Position;
            }

            int length = labels[position] + 1;
            WriteBytes(labels.Slice(position, length));
            position += length;
        }
    }

    private int FindSuffix(ReadOnlySpan<byte> suffix)
    {
        for (int i = 0; i < _labelCount; i++)
        {
            if (NameAtEquals(_labelOffsets[i], suffix))
            {
                return _labelOffsets[i];
            }
        }

        return -1;
    }

    private bool NameAtEquals(int offset, ReadOnlySpan<byte> name)
    {
        int position = offset;
        int index = 0;
        for (int guard = 0; guard < 256; guard++)
        {
            byte length = _buffer[position];
            if ((length & 0xC0) == 0xC0)
            {
                position = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(position)) & 0x3FFF;
                continue;
            }

            if (index >= name.Length || name[index] != length)
            {
                return false;
            }

            if (length == 0)
            {
                return true;
            }

            for (int j = 1; j <= length; j++)
            {
                if (DnsName.ToLower(_buffer[position + j]) != DnsName.ToLower(name[index + j]))
                {
                    return false;
                }
            }

            position += length + 1;
            index += length + 1;
        }

        return false;
    }

    private Span<byte> Reserve(int count)
    {
        int needed = Position + count;
        if (needed > _buffer.Length)
        {
            Grow(needed);
        }

        Span<byte> span = _buffer.AsSpan(Position, count);
        Position = needed;
        return span;
    }

    private void Grow(int needed)
    {
        if (needed > MaxMessageSize)
        {
            DnsThrow.BufferTooSmall();
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxMessageSize, Math.Max(needed, _buffer.Length * 2)));
        _buffer.AsSpan(0, Position).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }
}
