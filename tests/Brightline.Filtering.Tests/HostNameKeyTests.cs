namespace Brightline.Filtering.Tests;

/// <summary>
/// The vectorised key path (<see cref="HostName.CreateKey"/>) must agree exactly with the scalar
/// normaliser plus <see cref="HostName.ComputeSuffixHashes"/>, which list building uses: any
/// disagreement would make a listed name unmatchable.
/// </summary>
public sealed unsafe class HostNameKeyTests
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";

    [Theory]
    [InlineData("example.com")]
    [InlineData("WWW.Example.COM.")]
    [InlineData("a")]
    [InlineData("_dmarc.example.org")]
    [InlineData("abcdefgh.abcdefgh.abcdefgh")]
    [InlineData("abcdefghijklmnop.q")]
    [InlineData("x.abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk")]
    public void TryCreateKey_ValidNames_MatchesScalarNormaliseAndHash(string host) => AssertAgrees(host);

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(".example.com")]
    [InlineData("a..b")]
    [InlineData("exa mple.com")]
    [InlineData("example.com/path")]
    [InlineData("*.example.com")]
    [InlineData("x.abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl")]
    public void TryCreateKey_InvalidNames_Rejected(string host) => AssertAgrees(host);

    [Fact]
    public void TryCreateKey_MaximumLengthName_AgreesAtBufferEnd()
    {
        // 253 bytes: four 63-byte labels and a 1-byte label; the vector loop reads the last block at offset 240.
        var label = new string('k', 63);
        AssertAgrees($"{label}.{label}.{label}.{label}.z");
        AssertAgrees($"{label}.{label}.{label}.{label}.zz");
    }

    [Fact]
    public void TryCreateKey_100kRandomStrings_AgreesWithScalarPath()
    {
        var random = new Random(20261125);
        for (var i = 0; i < 100_000; i++)
        {
            var length = random.Next(1, i % 10 == 0 ? 260 : 40);
            var chars = new char[length];
            for (var j = 0; j < length; j++)
            {
                // Rarely a stray printable character or a non-ASCII letter (IDNA fallback), anywhere in a 16-character block.
                chars[j] = random.Next(400) switch
                {
                    0 => (char)random.Next(0x20, 0x7F),
                    1 => "éüßЖ"[random.Next(4)],
                    _ => Alphabet[random.Next(Alphabet.Length)],
                };
            }

            AssertAgrees(new string(chars));
        }
    }

    [Fact]
    public void Hash_EqualsWholeNameSuffixHash_AndSuffixHashesEqualHashOfSuffix()
    {
        NameKeySpace space;
        var key = HostName.CreateKey("cdn7.abcdefghijkl12345.co.uk", &space);
        key.IsValid.ShouldBeTrue();
        key.Count.ShouldBe(4);
        for (var i = 0; i < key.Count; i++)
        {
            key.Hashes[i].ShouldBe(HostName.Hash(key.Suffix(i)), $"suffix {i}");
        }
    }

    [Fact]
    public void Hash_NamesDifferingOnlyInLabelSplit_Differ()
    {
        HostName.Hash("ab.c"u8).ShouldNotBe(HostName.Hash("a.bc"u8));
        HostName.Hash("abcdefgh.i"u8).ShouldNotBe(HostName.Hash("abcdefghi"u8));
    }

    private static void AssertAgrees(string host)
    {
        NameKeySpace space;
        var key = HostName.CreateKey(host, &space);
        var fast = key.IsValid;

        Span<byte> scalarBuffer = stackalloc byte[HostName.BufferSize];
        var scalar = HostName.TryNormalise(host, scalarBuffer, out var length);
        fast.ShouldBe(scalar, $"'{host}' valid");
        if (!fast)
        {
            return;
        }

        key.Name.SequenceEqual(scalarBuffer[..length]).ShouldBeTrue($"'{host}' normal form");
        Span<ulong> scalarHashes = stackalloc ulong[HostName.MaxLabels];
        Span<byte> scalarStarts = stackalloc byte[HostName.MaxLabels];
        var count = HostName.ComputeSuffixHashes(scalarBuffer[..length], scalarHashes, scalarStarts);
        key.Count.ShouldBe(count, $"'{host}' labels");
        key.Hashes.SequenceEqual(scalarHashes[..count]).ShouldBeTrue($"'{host}' suffix hashes");
        key.Starts.SequenceEqual(scalarStarts[..count]).ShouldBeTrue($"'{host}' suffix starts");
        key.Hashes[^1].ShouldBe(HostName.Hash(key.Name));
    }
}
