using System.Globalization;
using System.Text;
using Brightline.Filtering;

namespace Brightline.Benchmarks;

/// <summary>
/// Deterministic benchmark data. Everything is derived from one seed with the seeded
/// <see cref="Random"/> (whose sequence for a given seed is stable across .NET versions), so two
/// runs — or two machines — produce byte-identical files.
/// </summary>
/// <remarks>
/// Listed names are <c>[cdnN.]letters+index.tld</c>: 6–14 random letters followed by the decimal
/// index (letters then digits, so every name is unique), a quarter with a <c>cdnN.</c> prefix, over
/// 8 TLDs. The 5 M list starts with exactly the 1 M list. Allowed names are
/// <c>[www.]ok-letters+index.tld</c>: a hyphen never occurs in a listed label, so an allowed name is
/// neither listed nor below a listed name. Blocked queries are listed names, half of them asked
/// as <c>www.</c> + name so suffix (subdomain) matching is exercised.
/// </remarks>
public static class BenchData
{
    public const int DefaultSeed = 20250601;
    public const int SmallList = 1_000_000;
    public const int LargeList = 5_000_000;
    public const int DnsDistinctNames = 20_000;
    public const int WarmNames = 4096;
    public const int ColdNames = 1_000_000;

    /// <summary>The TLDs the names are spread over; the DNS upstream answers every name below them.</summary>
    public static readonly string[] Tlds = ["com", "net", "org", "co.uk", "info", "io", "uk", "de"];

    public static string DataDirectory =>
        Environment.GetEnvironmentVariable("BRIGHTLINE_BENCH_DATA") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Directory.GetCurrentDirectory(), "bench", "results", "data");

    public static string BlocklistPath(string dir, int size) => Path.Combine(dir, size == SmallList ? "blocklist-1m.txt" : $"blocklist-{size / 1_000_000}m.txt");

    public static void Generate(string dir, int seed)
    {
        Directory.CreateDirectory(dir);
        var rng = new Random(seed);
        var first = new string[SmallList];
        var sb = new StringBuilder(64);

        using (var small = Writer(BlocklistPath(dir, SmallList)))
        using (var large = Writer(BlocklistPath(dir, LargeList)))
        {
            small.WriteLine($"# Brightline benchmark blocklist, seed {seed}, {SmallList} domains");
            large.WriteLine($"# Brightline benchmark blocklist, seed {seed}, {LargeList} domains");
            for (int i = 0; i < LargeList; i++)
            {
                string name = ListedName(rng, sb, i);
                large.WriteLine(name);
                if (i < SmallList)
                {
                    first[i] = name;
                    small.WriteLine(name);
                }
            }
        }

        int allowedIndex = 0;
        string NextAllowed() => AllowedName(rng, sb, allowedIndex++);
        string Blocked(int index) => rng.Next(2) == 0 ? first[index] : "www." + first[index];

        // DNS query mix: 10 000 distinct blocked + 10 000 distinct allowed names, shuffled; dnsperf loops over it.
        var dnsBlocked = new HashSet<int>();
        while (dnsBlocked.Count < DnsDistinctNames / 2)
        {
            dnsBlocked.Add(rng.Next(SmallList));
        }

        var dns = new List<string>(DnsDistinctNames);
        foreach (int index in dnsBlocked.Order())
        {
            dns.Add(Blocked(index));
        }

        for (int i = 0; i < DnsDistinctNames / 2; i++)
        {
            dns.Add(NextAllowed());
        }

        Shuffle(rng, dns);
        using (var w = Writer(Path.Combine(dir, "queries-dns.txt")))
        {
            foreach (string name in dns)
            {
                w.WriteLine($"{name} A");
            }
        }

        // Engine warm set: 4096 names, half listed; fits in cache after the first pass.
        var warm = new List<string>(WarmNames);
        for (int i = 0; i < WarmNames / 2; i++)
        {
            warm.Add(Blocked(rng.Next(SmallList)));
            warm.Add(NextAllowed());
        }

        Shuffle(rng, warm);
        WriteLines(Path.Combine(dir, "queries-warm.txt"), warm);

        // Engine cold set: 1 000 000 distinct names, half listed (every even index of the 1 M list).
        var cold = new List<string>(ColdNames);
        for (int i = 0; i < ColdNames / 2; i++)
        {
            cold.Add(Blocked(i * 2));
            cold.Add(NextAllowed());
        }

        Shuffle(rng, cold);
        WriteLines(Path.Combine(dir, "queries-cold.txt"), cold);

        // Unbound: the same 1 M list as local zones (a zone blocks its subdomains, like ours).
        using (var w = Writer(Path.Combine(dir, "unbound-blocklist-1m.conf")))
        {
            w.WriteLine("server:");
            foreach (string name in first)
            {
                w.Write("local-zone: \"");
                w.Write(name);
                w.WriteLine(".\" always_nxdomain");
            }
        }

        // The same list as an RPZ zone written by Brightline's own exporter (UNBOUND_MODE=rpz).
        var builder = new CategoryListsBuilder("bench-1m", SmallList);
        Brightline.Filtering.Lists.PlainListReader.ReadFile(BlocklistPath(dir, SmallList), builder.For(Category.Gambling));
        using (var w = Writer(Path.Combine(dir, "rpz-1m.zone")))
        {
            Brightline.Filtering.Lists.RpzWriter.Write(w, builder.Build(), CategorySet.Of(Category.Gambling),
                new Brightline.Filtering.Lists.RpzOptions { Origin = "rpz.bench", Serial = (uint)seed, Ttl = 3600 });
        }

        File.WriteAllText(Path.Combine(dir, "SEED"), seed.ToString(CultureInfo.InvariantCulture) + "\n");
    }

    public static string[] ReadNames(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0 && l[0] != '#').ToArray();

    private static string ListedName(Random rng, StringBuilder sb, int index)
    {
        sb.Clear();
        if (rng.Next(4) == 0)
        {
            sb.Append("cdn").Append(rng.Next(10)).Append('.');
        }

        Letters(rng, sb);
        sb.Append(index.ToString(CultureInfo.InvariantCulture)).Append('.').Append(Tlds[rng.Next(Tlds.Length)]);
        return sb.ToString();
    }

    private static string AllowedName(Random rng, StringBuilder sb, int index)
    {
        sb.Clear();
        if (rng.Next(2) == 0)
        {
            sb.Append("www.");
        }

        sb.Append("ok-");
        Letters(rng, sb);
        sb.Append(index.ToString(CultureInfo.InvariantCulture)).Append('.').Append(Tlds[rng.Next(Tlds.Length)]);
        return sb.ToString();
    }

    private static void Letters(Random rng, StringBuilder sb)
    {
        int length = rng.Next(6, 15);
        for (int i = 0; i < length; i++)
        {
            sb.Append((char)('a' + rng.Next(26)));
        }
    }

    private static void Shuffle(Random rng, List<string> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static StreamWriter Writer(string path) =>
        new(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 20) { NewLine = "\n" };

    private static void WriteLines(string path, List<string> lines)
    {
        using var w = Writer(path);
        foreach (string line in lines)
        {
            w.WriteLine(line);
        }
    }
}
