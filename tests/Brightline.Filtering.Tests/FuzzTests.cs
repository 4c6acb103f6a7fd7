using System.Text;
using Brightline.Filtering.Lists;

namespace Brightline.Filtering.Tests;

public sealed class FuzzTests
{
    private const int Iterations = 400;

    private static readonly string[] s_fragments =
    [
        "||", "^", "$", "@@", "#", "!", "*.", ".", "..", "/", "http://", "0.0.0.0 ", "127.0.0.1\t", "::1 ", ".Include<", ">",
        "example.com", "EXAMPLE.org", "bücher.de", "xn--", "-", "_", " ", "\t", "(", ")", ";", "$ORIGIN ", "$TTL 5", " CNAME ", " IN ",
        " SOA ", "rpz-passthru.", "*", "\u0000", "\uFFFD", "\uD800", new string('a', 70), new string('b', 300),
    ];

    public static TheoryData<string> Readers => new() { "plain", "hosts", "adblock", "e2guardian", "rpz" };

    [Theory]
    [MemberData(nameof(Readers))]
    public void Read_RandomBytesAndLines_NeverThrows(string format)
    {
        var random = new Random(1729 + format.Length);
        for (var i = 0; i < Iterations; i++)
        {
            var text = i % 2 == 0 ? RandomBytesText(random) : RandomLines(random);
            var sink = new CountingSink();
            var report = ReadWith(format, text, sink);
            report.Accepted.ShouldBeGreaterThanOrEqualTo(0);
            report.Lines.ShouldBeGreaterThanOrEqualTo(0);
            report.Problems.ShouldAllBe(p => p.Line >= 1 && p.Line <= report.Lines);
        }
    }

    [Fact]
    public void Normalise_RandomStrings_NeverThrowsAndAcceptedNamesRoundTrip()
    {
        var random = new Random(99);
        var builder = new DomainSetBuilder();
        for (var i = 0; i < 5_000; i++)
        {
            var text = RandomLine(random);
            if (builder.AddDomain(text, CategorySet.Of(Category.Games)))
            {
                HostName.NormaliseToString(text).ShouldNotBeNull();
            }
        }

        var set = builder.Build();
        foreach (var entry in set.Entries())
        {
            set.Contains(entry.Name).ShouldBeTrue(entry.Name);
        }
    }

    private static ListReport ReadWith(string format, string text, IListSink sink) => format switch
    {
        "plain" => PlainListReader.Read(new StringReader(text), sink, format),
        "hosts" => HostsFileReader.Read(new StringReader(text), sink, format),
        "adblock" => AdblockListReader.Read(new StringReader(text), sink, format),
        "e2guardian" => E2GuardianListReader.Read(new StringReader(text), sink, format),
        "rpz" => RpzReader.Read(new StringReader(text), sink, format),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static string RandomBytesText(Random random)
    {
        var bytes = new byte[random.Next(0, 2000)];
        random.NextBytes(bytes);
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string RandomLines(Random random)
    {
        var builder = new StringBuilder();
        var lines = random.Next(0, 40);
        for (var i = 0; i < lines; i++)
        {
            builder.Append(RandomLine(random)).Append(random.Next(3) == 0 ? "\r\n" : "\n");
        }

        return builder.ToString();
    }

    private static string RandomLine(Random random)
    {
        var builder = new StringBuilder();
        var parts = random.Next(0, 8);
        for (var i = 0; i < parts; i++)
        {
            builder.Append(s_fragments[random.Next(s_fragments.Length)]);
        }

        return builder.ToString();
    }

    private sealed class CountingSink : IListSink
    {
        public void AddDomain(ReadOnlySpan<byte> normalisedName) => Check(normalisedName);

        public void AddExactHost(ReadOnlySpan<byte> normalisedName) => Check(normalisedName);

        public void AddUrlPrefix(ReadOnlySpan<byte> normalisedHost, string pathPrefix)
        {
            Check(normalisedHost);
            pathPrefix.ShouldStartWith("/");
        }

        private static void Check(ReadOnlySpan<byte> name)
        {
            name.Length.ShouldBeInRange(1, 253);
            foreach (var b in name)
            {
                (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.').ShouldBeTrue();
            }
        }
    }
}
