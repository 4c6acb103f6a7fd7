using System.Diagnostics;
using System.Text;
using Brightline.Filtering.Lists;
using Xunit.Abstractions;

namespace Brightline.Filtering.Tests;

/// <summary>
/// Prints memory, load time and lookup rate for a generated list so we know where we stand against
/// the targets. Deliberately not an assertion: timings belong to bench/ (see DESIGN.md).
/// </summary>
public sealed class MeasurementTests(ITestOutputHelper output)
{
    [Fact]
    public void Measure_OneMillionGeneratedDomains_PrintsMemoryLoadTimeAndLookupRate()
    {
        const int count = 1_000_000;
        var text = GenerateList(count, seed: 42);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(true);

        var watch = Stopwatch.StartNew();
        var builder = new CategoryListsBuilder("generated", count);
        var report = PlainListReader.Read(new StringReader(text), builder.For(Category.Gambling), "generated");
        var lists = builder.Build();
        var loadTime = watch.Elapsed;

        text = null;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var retained = GC.GetTotalMemory(true) - heapBefore;

        var queries = new string[4096];
        var random = new Random(7);
        var names = lists.Domains.Entries().Take(100_000).Select(e => e.Name).ToArray();
        for (var i = 0; i < queries.Length; i++)
        {
            queries[i] = (i % 2) switch
            {
                0 => "www." + names[random.Next(names.Length)],
                _ => "www.unlisted" + i + ".example.org",
            };
        }

        var blocked = 0;
        foreach (var q in queries)
        {
            blocked += lists.Domains.Contains(q) ? 1 : 0;
        }

        const int lookups = 4_000_000;
        watch.Restart();
        for (var i = 0; i < lookups; i++)
        {
            blocked += lists.Domains.Contains(queries[i & (queries.Length - 1)]) ? 1 : 0;
        }

        var lookupTime = watch.Elapsed;

        var profile = new FilterProfile(new FilterProfileDefinition { Name = "ks2", BlockedCategories = Categories.DefaultPupilBlocked, SafeSearch = true });
        var snapshot = new FilterSnapshot(lists, [profile]);
        var at = DateTimeOffset.UnixEpoch;
        watch.Restart();
        for (var i = 0; i < lookups; i++)
        {
            blocked += snapshot.Decide(new FilterRequest("ks2", queries[i & (queries.Length - 1)], at)).IsBlocked ? 1 : 0;
        }

        var decideTime = watch.Elapsed;

        report.Accepted.ShouldBe(count);
        output.WriteLine($"domains: {lists.Domains.Count:N0}, load+build: {loadTime.TotalMilliseconds:N0} ms");
        output.WriteLine($"retained managed heap: {retained / 1048576.0:N1} MB (structure estimate {lists.MemoryBytes / 1048576.0:N1} MB)");
        output.WriteLine($"DomainSet.Contains (warm, half hits): {lookups / lookupTime.TotalSeconds / 1e6:N2} M lookups/s on one thread");
        output.WriteLine($"FilterSnapshot.Decide (warm, half blocked): {lookups / decideTime.TotalSeconds / 1e6:N2} M decisions/s on one thread ({blocked} blocked)");
    }

    internal static string GenerateList(int count, int seed)
    {
        var random = new Random(seed);
        string[] tlds = ["com", "net", "org", "co.uk", "info", "io", "xyz", "de"];
        var builder = new StringBuilder(count * 20);
        var chars = new char[16];
        for (var i = 0; i < count; i++)
        {
            var length = random.Next(6, 15);
            for (var j = 0; j < length; j++)
            {
                chars[j] = (char)('a' + random.Next(26));
            }

            if (random.Next(4) == 0)
            {
                builder.Append("cdn").Append(random.Next(10)).Append('.');
            }

            builder.Append(chars, 0, length).Append(i % 1000).Append('.').Append(tlds[random.Next(tlds.Length)]).Append('\n');
        }

        return builder.ToString();
    }
}
