using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Brightline.Filtering;

/// <summary>
/// Host name normalisation and suffix hashing, shared by every table so that a query name is
/// normalised and hashed once per decision.
/// </summary>
/// <remarks>
/// Normal form: lower-case ASCII, no trailing dot, labels of 1–63 bytes drawn from
/// <c>a-z 0-9 - _</c> (underscores occur in real names such as <c>_dmarc</c>), at most 253 bytes.
/// Names with non-ASCII letters are converted to punycode (IDNA) on a cold path; on the wire and in
/// lists they already are. Anything else is not a host name and matches nothing.
/// <para>
/// Suffix hashing: the hash folds whole labels right to left (each label eight bytes at a time, see
/// <see cref="HashLabel"/>), so after each label the running value is the hash of the suffix that
/// starts there. One pass over the name therefore yields the hash of every suffix (<c>com</c>,
/// <c>example.com</c>, <c>www.example.com</c>), which is what suffix matching probes. Each step is a
/// 128-bit multiply folded to 64 bits, so the high bits used for the table index are well
/// distributed without a separate finaliser. The seed is random per process so list authors cannot
/// pre-compute colliding names; every table verifies a matching hash against the stored bytes, so a
/// collision costs a probe, never a wrong answer.
/// </para>
/// </remarks>
internal static class HostName
{
    public const int MaxLength = 253;
    public const int MaxLabelLength = 63;
    public const int MaxLabels = 127;
    public const int BufferSize = 256;

    // Odd 64-bit constants with well-spread bits (from wyhash); the seed is random per process.
    private const ulong WordKey = 0xa0761d6478bd642fUL;
    private const ulong LabelKey = 0xe7037ed1a0b428dbUL;
    private static readonly ulong s_seed = 0x8ebc6af09c88c6e3UL ^ (ulong)Random.Shared.NextInt64();
    private static readonly IdnMapping s_idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };

    /// <summary>Normalises <paramref name="input"/> into <paramref name="destination"/> (at least <see cref="BufferSize"/> bytes).</summary>
    public static bool TryNormalise(ReadOnlySpan<char> input, Span<byte> destination, out int length)
    {
        if (input.Length > 0 && input[^1] == '.')
        {
            input = input[..^1];
        }

        length = 0;
        if (input.IsEmpty || input.Length > MaxLength)
        {
            // IDNA never makes a name shorter in characters, so a long name cannot become valid.
            return false;
        }

        var labelLength = 0;
        for (var i = 0; i < input.Length; i++)
        {
            var c = input[i];
            byte b;
            if ((uint)(c - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 || c == '-' || c == '_')
            {
                b = (byte)c;
            }
            else if ((uint)(c - 'A') <= 'Z' - 'A')
            {
                b = (byte)(c | 0x20);
            }
            else if (c == '.')
            {
                if (labelLength == 0)
                {
                    return false;
                }

                destination[i] = (byte)'.';
                labelLength = 0;
                continue;
            }
            else if (c > 0x7F)
            {
                return TryNormaliseIdn(input, destination, out length);
            }
            else
            {
                return false;
            }

            if (++labelLength > MaxLabelLength)
            {
                return false;
            }

            destination[i] = b;
        }

        if (labelLength == 0)
        {
            return false;
        }

        length = input.Length;
        return true;
    }

    /// <summary>Normalises a UTF-8 or ASCII name (for example decoded from the DNS wire).</summary>
    public static bool TryNormalise(ReadOnlySpan<byte> input, Span<byte> destination, out int length)
    {
        length = 0;
        if (input.Length > 0 && input[^1] == '.')
        {
            input = input[..^1];
        }

        if (input.IsEmpty || input.Length > MaxLength * 4)
        {
            return false;
        }

        if (!Ascii.IsValid(input))
        {
            return TryNormaliseUtf8Cold(input, destination, out length);
        }

        if (input.Length > MaxLength)
        {
            return false;
        }

        Span<char> chars = stackalloc char[input.Length];
        Ascii.ToUtf16(input, chars, out _);
        return TryNormalise(chars, destination, out length);
    }

    /// <summary>Normalises to a string (cold path: list loading, rule construction). Returns null when not a host name.</summary>
    public static string? NormaliseToString(ReadOnlySpan<char> input)
    {
        Span<byte> buffer = stackalloc byte[BufferSize];
        return TryNormalise(input, buffer, out var length) ? Encoding.ASCII.GetString(buffer[..length]) : null;
    }

    /// <summary>
    /// Fills <paramref name="hashes"/> and <paramref name="starts"/> with the hash and start offset of
    /// each suffix of the normalised <paramref name="name"/>, shortest suffix first; the last entry is
    /// the whole name. Returns the number of suffixes (labels).
    /// </summary>
    public static int ComputeSuffixHashes(ReadOnlySpan<byte> name, Span<ulong> hashes, Span<byte> starts)
    {
        var h = s_seed;
        var count = 0;
        var end = name.Length;
        while (true)
        {
            var dot = name[..end].LastIndexOf((byte)'.');
            var start = dot + 1;
            h = HashLabel(h, name, start, end);
            hashes[count] = h;
            starts[count] = (byte)start;
            count++;
            if (dot < 0)
            {
                return count;
            }

            end = dot;
        }
    }

    /// <summary>Hash of a whole normalised name; equal to the last suffix hash of <see cref="ComputeSuffixHashes"/>.</summary>
    public static ulong Hash(ReadOnlySpan<byte> name)
    {
        Span<ulong> hashes = stackalloc ulong[MaxLabels];
        Span<byte> starts = stackalloc byte[MaxLabels];
        var count = ComputeSuffixHashes(name, hashes, starts);
        return hashes[count - 1];
    }

    /// <summary>Creates a key for <paramref name="host"/> using caller-provided (usually stack) buffers.</summary>
    /// <remarks>
    /// Fast path for the usual case (an ASCII name): vectorised lower-casing into
    /// <paramref name="buffer"/>, then one vectorised pass that validates every byte and collects the
    /// '.' positions as a bit mask, then the label-wise hash. Anything else (non-ASCII, a buffer
    /// smaller than <see cref="BufferSize"/>) takes the scalar <see cref="TryNormalise(ReadOnlySpan{char}, Span{byte}, out int)"/>,
    /// which produces the same normal form.
    /// </remarks>
    public static bool TryCreateKey(ReadOnlySpan<char> host, Span<byte> buffer, Span<ulong> hashes, Span<byte> starts, out NameKey key)
    {
        if (host.Length > 0 && host[^1] == '.')
        {
            host = host[..^1];
        }

        if (host.IsEmpty || host.Length > MaxLength)
        {
            key = default;
            return false;
        }

        if (buffer.Length >= BufferSize && Vector128.IsHardwareAccelerated)
        {
            var count = TryLowerValidateAndHash(host, buffer, hashes, starts);
            if (count > 0)
            {
                key = new NameKey(buffer[..host.Length], hashes[..count], starts[..count]);
                return true;
            }

            if (count == 0)
            {
                key = default;
                return false;
            }

            // Negative: not ASCII; IDNA on the scalar path below.
        }

        if (!TryNormalise(host, buffer, out var length))
        {
            key = default;
            return false;
        }

        key = CreateKeyNormalised(buffer[..length], hashes, starts);
        return true;
    }

    /// <summary>Creates a key for an already normalised name.</summary>
    public static NameKey CreateKeyNormalised(ReadOnlySpan<byte> name, Span<ulong> hashes, Span<byte> starts)
    {
        var count = ComputeSuffixHashes(name, hashes, starts);
        return new NameKey(name, hashes[..count], starts[..count]);
    }

    /// <summary>
    /// Lower-cases the ASCII <paramref name="host"/> into the start of <paramref name="buffer"/> (at
    /// least <see cref="BufferSize"/> bytes, so whole 16-byte blocks can be written), validating it in
    /// the same pass, and hashes its suffixes. Returns the number of labels; 0 when the name is not a
    /// host name (a byte outside <c>a-z 0-9 - _ .</c> after lower-casing, an empty label, a label
    /// longer than 63 bytes); -1 when it contains a non-ASCII character (the caller falls back to IDNA).
    /// </summary>
    /// <remarks>
    /// One pass, 16 characters at a time: reject non-ASCII, narrow UTF-16 to bytes, lower-case,
    /// store, check every byte and collect the '.' positions as a bit mask. The last block, if
    /// partial, is loaded so that it ends at the name's last character (overlapping the block before
    /// it; names shorter than 16 characters are copied to a zero-padded block first), so no load
    /// reads past the caller's input. Then the labels are hashed right to left from the dot mask.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int TryLowerValidateAndHash(ReadOnlySpan<char> host, Span<byte> buffer, Span<ulong> hashes, Span<byte> starts)
    {
        Span<ulong> dotBits = stackalloc ulong[4];
        dotBits.Clear();
        ref var source = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(host));
        ref var destination = ref MemoryMarshal.GetReference(buffer);
        var length = host.Length;
        if (length < 16)
        {
            Span<ushort> padded = stackalloc ushort[16];
            padded.Clear();
            MemoryMarshal.Cast<char, ushort>(host).CopyTo(padded);
            var lanes = (1u << length) - 1;
            var v = LowerBlock(ref MemoryMarshal.GetReference(padded), 0, ref destination, 0, out var bad, out var dots);
            if (bad)
            {
                return -1;
            }

            if ((v & lanes) != lanes)
            {
                return 0;
            }

            dotBits[0] = dots & lanes;
        }
        else
        {
            for (var offset = 0; offset < length; offset += 16)
            {
                // The last block ends at the name's end; its lanes before 'offset' were checked already.
                var at = Math.Min(offset, length - 16);
                var valid = LowerBlock(ref source, at, ref destination, at, out var bad, out var dots);
                if (bad)
                {
                    return -1;
                }

                if (valid != 0xFFFFu)
                {
                    return 0;
                }

                // Dot bits of an overlapping block land on positions already set; OR is idempotent.
                dotBits[at >> 6] |= (ulong)dots << (at & 63);
                if ((at & 63) > 48)
                {
                    dotBits[(at >> 6) + 1] |= (ulong)dots >> (64 - (at & 63));
                }
            }
        }

        return HashLabels(buffer[..length], dotBits, hashes, starts);
    }

    /// <summary>
    /// Lower-cases 16 UTF-16 characters at <paramref name="sourceOffset"/> into 16 bytes at
    /// <paramref name="destinationOffset"/>. Returns the lanes holding a valid name byte or a dot;
    /// <paramref name="nonAscii"/> when any character is outside ASCII; <paramref name="dots"/> the '.' lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint LowerBlock(ref ushort source, int sourceOffset, ref byte destination, int destinationOffset, out bool nonAscii, out uint dots)
    {
        var low = Vector128.LoadUnsafe(ref source, (nuint)sourceOffset);
        var high = Vector128.LoadUnsafe(ref source, (nuint)sourceOffset + 8);
        nonAscii = ((low | high) & Vector128.Create((ushort)0xFF80)) != Vector128<ushort>.Zero;
        var v = Vector128.Narrow(low, high);
        v |= Vector128.LessThanOrEqual(v - Vector128.Create((byte)'A'), Vector128.Create((byte)('Z' - 'A'))) & Vector128.Create((byte)0x20);
        v.StoreUnsafe(ref destination, (nuint)destinationOffset);
        var valid = Vector128.LessThanOrEqual(v - Vector128.Create((byte)'a'), Vector128.Create((byte)('z' - 'a')))
            | Vector128.LessThanOrEqual(v - Vector128.Create((byte)'0'), Vector128.Create((byte)9))
            | Vector128.Equals(v, Vector128.Create((byte)'-'))
            | Vector128.Equals(v, Vector128.Create((byte)'_'));
        var dotLanes = Vector128.Equals(v, Vector128.Create((byte)'.'));
        dots = dotLanes.ExtractMostSignificantBits();
        return (valid | dotLanes).ExtractMostSignificantBits();
    }

    /// <summary>
    /// Walks the labels of a validated name right to left using its dot mask and hashes every
    /// suffix. Returns the number of labels, or 0 for an empty or over-long label.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HashLabels(ReadOnlySpan<byte> name, ReadOnlySpan<ulong> dotBits, Span<ulong> hashes, Span<byte> starts)
    {
        // Walk labels right to left: the highest set bit below 'end' is the dot before the label.
        var h = s_seed;
        var count = 0;
        var end = name.Length;
        while (true)
        {
            var dot = HighestBitBelow(dotBits, end);
            var start = dot + 1;
            var labelLength = end - start;
            if (labelLength == 0 || labelLength > MaxLabelLength)
            {
                return 0;
            }

            h = HashLabel(h, name, start, end);
            hashes[count] = h;
            starts[count] = (byte)start;
            count++;
            if (dot < 0)
            {
                return count;
            }

            end = dot;
        }
    }

    /// <summary>Index of the highest set bit of <paramref name="bits"/> below <paramref name="limit"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HighestBitBelow(ReadOnlySpan<ulong> bits, int limit)
    {
        var word = limit >> 6;
        var masked = word < bits.Length ? bits[word] & ((1UL << (limit & 63)) - 1) : 0;
        while (true)
        {
            if (masked != 0)
            {
                return (word << 6) + 63 - BitOperations.LeadingZeroCount(masked);
            }

            if (--word < 0)
            {
                return -1;
            }

            masked = bits[word];
        }
    }

    /// <summary>
    /// Folds the label <c>name[start..end)</c> into the running suffix hash <paramref name="h"/>, eight
    /// bytes at a time (little-endian words, the last one zero-padded; a label never contains a zero
    /// byte, so padding cannot make two labels equal). Each word is combined with a 64×64→128-bit
    /// multiply folded to 64 bits, which mixes every input bit into the high half the table index
    /// uses, so no separate finaliser is needed. Labels are folded right to left, so after each
    /// label <paramref name="h"/> is the hash of the suffix starting there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong HashLabel(ulong h, ReadOnlySpan<byte> name, int start, int end)
    {
        // The label length separates labels and makes "ab" + "c" differ from "a" + "bc".
        h = Fold(h ^ (ulong)(end - start), LabelKey);
        var offset = start;
        while (end - offset >= 8)
        {
            h = Fold(h ^ BinaryPrimitives.ReadUInt64LittleEndian(name[offset..]), WordKey);
            offset += 8;
        }

        var rest = end - offset;
        if (rest > 0)
        {
            ulong word;
            if (offset + 8 <= name.Length)
            {
                // Read past the label (still inside the name) and keep only its bytes.
                word = BinaryPrimitives.ReadUInt64LittleEndian(name[offset..]) & (ulong.MaxValue >> ((8 - rest) * 8));
            }
            else if (end >= 8)
            {
                // The label ends the name: read the last eight bytes and shift the label's bytes down.
                word = BinaryPrimitives.ReadUInt64LittleEndian(name[(end - 8)..]) >> ((8 - rest) * 8);
            }
            else
            {
                word = 0;
                for (var i = rest - 1; i >= 0; i--)
                {
                    word = (word << 8) | name[offset + i];
                }
            }

            h = Fold(h ^ word, WordKey);
        }

        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Fold(ulong value, ulong key)
    {
        var high = Math.BigMul(value, key, out var low);
        return high ^ low;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryNormaliseUtf8Cold(ReadOnlySpan<byte> input, Span<byte> destination, out int length)
    {
        length = 0;
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(input);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        return TryNormalise(text, destination, out length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryNormaliseIdn(ReadOnlySpan<char> input, Span<byte> destination, out int length)
    {
        length = 0;
        string ascii;
        try
        {
            ascii = s_idn.GetAscii(input.ToString());
        }
        catch (ArgumentException)
        {
            // IdnMapping reports every malformed name this way; such a name is simply not a host name.
            return false;
        }

        // The IDNA output is ASCII, so this recursion cannot come back here.
        return Ascii.IsValid(ascii) && TryNormalise(ascii.AsSpan(), destination, out length);
    }
}

/// <summary>A normalised query name with the hash and start offset of each suffix, shortest first.</summary>
internal readonly ref struct NameKey
{
    public NameKey(ReadOnlySpan<byte> name, ReadOnlySpan<ulong> hashes, ReadOnlySpan<byte> starts)
    {
        Name = name;
        Hashes = hashes;
        Starts = starts;
    }

    public ReadOnlySpan<byte> Name { get; }

    public ReadOnlySpan<ulong> Hashes { get; }

    public ReadOnlySpan<byte> Starts { get; }

    /// <summary>Number of labels, which is also the number of suffixes.</summary>
    public int Count => Hashes.Length;

    /// <summary>Suffix <paramref name="index"/> (0 = top-level label, Count-1 = whole name).</summary>
    public ReadOnlySpan<byte> Suffix(int index) => Name[Starts[index]..];

    public override string ToString() => Encoding.ASCII.GetString(Name);
}
