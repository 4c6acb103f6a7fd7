using System.Globalization;
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
/// Suffix hashing: the hash runs right to left (FNV-1a over the bytes in reverse), so when the walk
/// reaches a label boundary the running value is the hash of that suffix. One pass over the name
/// therefore yields the hash of every suffix (<c>com</c>, <c>example.com</c>, <c>www.example.com</c>),
/// which is what suffix matching probes. Each suffix hash is finalised with the murmur3 mixer so the
/// high bits used for the table index are well distributed. The seed is random per process so list
/// authors cannot pre-compute colliding names.
/// </para>
/// </remarks>
internal static class HostName
{
    public const int MaxLength = 253;
    public const int MaxLabelLength = 63;
    public const int MaxLabels = 127;
    public const int BufferSize = 256;

    private const ulong FnvPrime = 0x100000001b3UL;
    private static readonly ulong s_seed = 0xcbf29ce484222325UL ^ (ulong)Random.Shared.NextInt64();
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
        for (var i = name.Length - 1; i >= 0; i--)
        {
            var b = name[i];
            if (b == (byte)'.')
            {
                // The running hash now covers name[(i + 1)..], a complete suffix.
                hashes[count] = Mix(h);
                starts[count] = (byte)(i + 1);
                count++;
            }

            h = (h ^ b) * FnvPrime;
        }

        hashes[count] = Mix(h);
        starts[count] = 0;
        return count + 1;
    }

    /// <summary>Hash of a whole normalised name; equal to the last suffix hash of <see cref="ComputeSuffixHashes"/>.</summary>
    public static ulong Hash(ReadOnlySpan<byte> name)
    {
        var h = s_seed;
        for (var i = name.Length - 1; i >= 0; i--)
        {
            h = (h ^ name[i]) * FnvPrime;
        }

        return Mix(h);
    }

    /// <summary>Creates a key for <paramref name="host"/> using caller-provided (usually stack) buffers.</summary>
    public static bool TryCreateKey(ReadOnlySpan<char> host, Span<byte> buffer, Span<ulong> hashes, Span<byte> starts, out NameKey key)
    {
        if (!TryNormalise(host, buffer, out var length))
        {
            key = default;
            return false;
        }

        var name = buffer[..length];
        var count = ComputeSuffixHashes(name, hashes, starts);
        key = new NameKey(name, hashes[..count], starts[..count]);
        return true;
    }

    /// <summary>Creates a key for an already normalised name.</summary>
    public static NameKey CreateKeyNormalised(ReadOnlySpan<byte> name, Span<ulong> hashes, Span<byte> starts)
    {
        var count = ComputeSuffixHashes(name, hashes, starts);
        return new NameKey(name, hashes[..count], starts[..count]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
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
