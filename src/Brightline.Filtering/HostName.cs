using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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
    private static readonly ulong s_seed = 0x8ebc6af09c88c6e3UL ^ BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(sizeof(ulong)));
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

    /// <summary>
    /// Creates a key for <paramref name="host"/> in <paramref name="space"/> (caller's stack); the
    /// returned key is <see cref="NameKey.IsValid">invalid</see> when the host is not a host name.
    /// </summary>
    /// <remarks>
    /// Fast path for the usual case (an ASCII name): vectorised lower-casing into the key space,
    /// then one vectorised pass that validates every byte and collects the '.' positions as a bit
    /// mask, then the label-wise hash. Anything else (non-ASCII) takes the scalar
    /// <see cref="TryNormalise(ReadOnlySpan{char}, Span{byte}, out int)"/>, which produces the same
    /// normal form. The key is returned by value (a pointer and two counts, in registers) rather than
    /// through an <c>out</c> parameter, which forced it, and the spans around it, through memory.
    /// </remarks>
    public static unsafe NameKey CreateKey(ReadOnlySpan<char> host, NameKeySpace* space)
    {
        if (host.Length > 0 && host[^1] == '.')
        {
            host = host[..^1];
        }

        if (host.IsEmpty || host.Length > MaxLength)
        {
            return default;
        }

        if (Vector128.IsHardwareAccelerated)
        {
            // A ref, not a pinned pointer: pinning made the JIT keep 'host' in memory.
            var count = LowerValidateAndHash(ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(host)), host.Length, space);
            if (count >= 0)
            {
                return new NameKey(space, host.Length, count);
            }

            // Negative: not ASCII; IDNA on the scalar path below.
        }

        if (!TryNormalise(host, new Span<byte>(space->Name, BufferSize), out var length))
        {
            return default;
        }

        return HashNormalisedInPlace(space, length);
    }

    /// <summary>Creates a key for an already normalised name (copied into <paramref name="space"/>).</summary>
    public static unsafe NameKey CreateKeyNormalised(ReadOnlySpan<byte> name, NameKeySpace* space)
    {
        name.CopyTo(new Span<byte>(space->Name, BufferSize));
        return HashNormalisedInPlace(space, name.Length);
    }

    private static unsafe NameKey HashNormalisedInPlace(NameKeySpace* space, int length)
    {
        var count = ComputeSuffixHashes(new ReadOnlySpan<byte>(space->Name, length), new Span<ulong>(space->Hashes, MaxLabels), new Span<byte>(space->Starts, MaxLabels));
        return new NameKey(space, length, count);
    }

    /// <summary>
    /// Lower-cases the ASCII name at <paramref name="source"/> into <paramref name="name"/> (at
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
    /// The work is done on raw pointers into the caller's stack space: written with spans, the JIT
    /// copied every span argument through the stack frame (and stalled reloading it), which cost more
    /// than the hashing itself.
    /// </remarks>
    private static unsafe int LowerValidateAndHash(ref ushort source, int length, NameKeySpace* space)
    {
        var name = space->Name;
        var hashes = space->Hashes;
        var starts = space->Starts;
        var dotBits = space->DotBits;
        Vector256<ulong>.Zero.Store(dotBits);
        if (length < 16)
        {
            var padded = space->Padded;
            Vector256<ushort>.Zero.Store(padded);
            Unsafe.CopyBlockUnaligned(ref *(byte*)padded, ref Unsafe.As<ushort, byte>(ref source), (uint)(length * sizeof(char)));
            var lanes = (1u << length) - 1;
            var valid = LowerBlock(ref *padded, name, out var nonAscii, out var dots);
            if (nonAscii)
            {
                return -1;
            }

            if ((valid & lanes) != lanes)
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
                var valid = LowerBlock(ref Unsafe.Add(ref source, at), name + at, out var nonAscii, out var dots);
                if (nonAscii)
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

        // Walk labels right to left: the highest dot below 'end' is the one before the label.
        var h = s_seed;
        var count = 0;
        var end = length;
        while (true)
        {
            var dot = HighestBitBelow(dotBits, end);
            var start = dot + 1;
            if ((uint)(end - start - 1) >= MaxLabelLength)
            {
                // An empty label (0 - 1 wraps) or one longer than 63 bytes.
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

    /// <summary>
    /// Lower-cases 16 UTF-16 characters at <paramref name="source"/> into 16 bytes at
    /// <paramref name="destination"/>. Returns the lanes holding a valid name byte or a dot;
    /// <paramref name="nonAscii"/> when any character is outside ASCII; <paramref name="dots"/> the '.' lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe uint LowerBlock(ref ushort source, byte* destination, out bool nonAscii, out uint dots)
    {
        var low = Vector128.LoadUnsafe(ref source);
        var high = Vector128.LoadUnsafe(ref source, 8);
        nonAscii = ((low | high) & Vector128.Create((ushort)0xFF80)) != Vector128<ushort>.Zero;
        var v = Vector128.Narrow(low, high);
        v |= Vector128.LessThanOrEqual(v - Vector128.Create((byte)'A'), Vector128.Create((byte)('Z' - 'A'))) & Vector128.Create((byte)0x20);
        v.Store(destination);
        var valid = Vector128.LessThanOrEqual(v - Vector128.Create((byte)'a'), Vector128.Create((byte)('z' - 'a')))
            | Vector128.LessThanOrEqual(v - Vector128.Create((byte)'0'), Vector128.Create((byte)9))
            | Vector128.Equals(v, Vector128.Create((byte)'-'))
            | Vector128.Equals(v, Vector128.Create((byte)'_'));
        var dotLanes = Vector128.Equals(v, Vector128.Create((byte)'.'));
        dots = dotLanes.ExtractMostSignificantBits();
        return (valid | dotLanes).ExtractMostSignificantBits();
    }

    /// <summary>Index of the highest set bit of the four words at <paramref name="bits"/> below <paramref name="limit"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int HighestBitBelow(ulong* bits, int limit)
    {
        var word = limit >> 6;
        var masked = word < 4 ? bits[word] & ((1UL << (limit & 63)) - 1) : 0;
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
    /// <see cref="HashLabel(ulong, ReadOnlySpan{byte}, int, int)"/> on a name in a key space's buffer
    /// of <see cref="BufferSize"/> bytes, so a word may be read past the label
    /// (and past the name) as long as it stays inside the buffer. Same result for the same bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe ulong HashLabel(ulong h, byte* name, int start, int end)
    {
        var key = LabelKey;
        var offset = start;
        while (end - offset >= 8)
        {
            h = Fold(h ^ ReadWord(name + offset), key);
            key = WordKey;
            offset += 8;
        }

        var rest = end - offset;
        if (rest > 0)
        {
            var word = offset + 8 <= BufferSize
                ? ReadWord(name + offset) & (ulong.MaxValue >> ((8 - rest) * 8))

                // Only for the last label of a name longer than 248 bytes: end >= 8 there.
                : ReadWord(name + end - 8) >> ((8 - rest) * 8);
            h = Fold(h ^ word, key);
        }

        return h;
    }

    /// <summary>
    /// Folds the label <c>name[start..end)</c> into the running suffix hash <paramref name="h"/>, eight
    /// bytes at a time (little-endian words, the last one zero-padded). Each word is combined with a
    /// 64×64→128-bit multiply folded to 64 bits, which mixes every input bit into the high half the
    /// table index uses, so no separate finaliser is needed. Labels are folded right to left, so
    /// after each label <paramref name="h"/> is the hash of the suffix starting there.
    /// </summary>
    /// <remarks>
    /// The first word of a label is folded with its own key and the rest with another. That marks
    /// where each label starts, and since a label never contains a zero byte the zero padding marks
    /// where it ends, so "ab" + "c" and "a" + "bc" (or a nine-byte label and an eight-byte label
    /// followed by a one-byte one) feed different sequences. It costs no extra multiply per label,
    /// where folding the length in first did: the multiplies form one dependent chain per name.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong HashLabel(ulong h, ReadOnlySpan<byte> name, int start, int end)
    {
        var key = LabelKey;
        var offset = start;
        while (end - offset >= 8)
        {
            h = Fold(h ^ BinaryPrimitives.ReadUInt64LittleEndian(name[offset..]), key);
            key = WordKey;
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

            h = Fold(h ^ word, key);
        }

        return h;
    }

    /// <summary>Eight bytes as a little-endian word, like <see cref="BinaryPrimitives.ReadUInt64LittleEndian"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe ulong ReadWord(byte* at)
    {
        var word = Unsafe.ReadUnaligned<ulong>(at);
        return BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);
    }

    /// <summary>
    /// The 128-bit product of <paramref name="value"/> and <paramref name="key"/>, high half XOR low half.
    /// </summary>
    /// <remarks>
    /// <c>Math.BigMul(a, b, out low)</c> makes the JIT store the low half to the stack and load it
    /// back, adding a store-to-load round trip to every link of the hash's dependent multiply chain.
    /// The high half alone (<c>mulx</c>) and the ordinary 64-bit product (<c>imul</c>) instead run in
    /// parallel in registers.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Fold(ulong value, ulong key)
    {
        if (Bmi2.X64.IsSupported)
        {
            return Bmi2.X64.MultiplyNoFlags(value, key) ^ (value * key);
        }

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

/// <summary>Stack space for one <see cref="NameKey"/>: the normalised name, and the hash and start of each suffix.</summary>
/// <remarks>
/// Declared as a local (not zeroed: the module skips local initialisation) and passed by pointer.
/// The scratch space lives here too so that creating a key needs no <c>stackalloc</c>, which would
/// keep that method out of tiered (profile-guided) compilation.
/// </remarks>
internal unsafe struct NameKeySpace
{
    public fixed byte Name[HostName.BufferSize];
    public fixed ulong Hashes[HostName.MaxLabels];
    public fixed byte Starts[HostName.MaxLabels];

    /// <summary>Scratch for the key's creation: the '.' positions as bits.</summary>
    public fixed ulong DotBits[4];

    /// <summary>Scratch for the key's creation: a name shorter than one block, zero-padded to 16 characters.</summary>
    public fixed ushort Padded[16];
}

/// <summary>
/// A normalised query name with the hash and start offset of each suffix, shortest first. It points
/// into a <see cref="NameKeySpace"/> on the creator's stack, so it must never outlive that frame:
/// it is a <c>ref struct</c> so it cannot reach the heap, and no method returns one it did not
/// receive its space for (the compiler does not track pointers). Small enough to pass by value.
/// </summary>
internal readonly unsafe ref struct NameKey
{
    private readonly NameKeySpace* _space;
    private readonly int _length;
    private readonly int _count;

    public NameKey(NameKeySpace* space, int length, int count)
    {
        _space = space;
        _length = length;
        _count = count;
    }

    /// <summary>False when the name given was not a host name.</summary>
    public bool IsValid => _count > 0;

    public ReadOnlySpan<byte> Name => new(_space->Name, _length);

    public ReadOnlySpan<ulong> Hashes => new(_space->Hashes, _count);

    public ReadOnlySpan<byte> Starts => new(_space->Starts, _count);

    /// <summary>Number of labels, which is also the number of suffixes.</summary>
    public int Count => _count;

    /// <summary>Hash of suffix <paramref name="index"/> (no bounds check: 0 &lt;= index &lt; <see cref="Count"/>).</summary>
    public ulong HashAt(int index) => _space->Hashes[index];

    /// <summary>Suffix <paramref name="index"/> (0 = top-level label, Count-1 = whole name).</summary>
    public ReadOnlySpan<byte> Suffix(int index)
    {
        var start = _space->Starts[index];
        return new(_space->Name + start, _length - start);
    }

    public override string ToString() => Encoding.ASCII.GetString(Name);
}
