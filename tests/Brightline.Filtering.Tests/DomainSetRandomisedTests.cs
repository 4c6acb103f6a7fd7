namespace Brightline.Filtering.Tests;

public sealed class DomainSetRandomisedTests
{
    private static readonly string[] s_tlds = ["com", "org", "uk", "co.uk", "net", "io", "sch.uk"];

    [Fact]
    public void Match_100kRandomNames_AgreesWithNaiveHashSetReference()
    {
        var random = new Random(20250611);
        var reference = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var exact = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var builder = new DomainSetBuilder();
        var names = new List<string>();
        for (var i = 0; i < 100_000; i++)
        {
            var name = RandomName(random);
            var category = (Category)random.Next(0, 24);
            var mask = 1UL << (int)category;
            names.Add(name);
            if (random.Next(10) == 0)
            {
                builder.AddExactHost(name, new CategorySet(mask)).ShouldBeTrue();
                exact[name] = exact.GetValueOrDefault(name) | mask;
            }
            else
            {
                builder.AddDomain(name, new CategorySet(mask)).ShouldBeTrue();
                reference[name] = reference.GetValueOrDefault(name) | mask;
            }
        }

        var set = builder.Build();
        set.Count.ShouldBe(reference.Keys.Union(exact.Keys).Count());

        for (var i = 0; i < 100_000; i++)
        {
            var query = random.Next(4) switch
            {
                0 => names[random.Next(names.Count)],
                1 => RandomLabel(random) + "." + names[random.Next(names.Count)],
                2 => RandomLabel(random) + names[random.Next(names.Count)],
                _ => RandomName(random),
            };

            set.Match(query).Mask.ShouldBe(Naive(query, reference, exact), query);
        }
    }

    /// <summary>
    /// Sealed tables group slots in buckets of four and overflow into the next bucket, wrapping at
    /// the end. Tiny tables (a few buckets) overflow and wrap on almost every seed, so many small
    /// sets check that every stored name is still found and no other name is.
    /// </summary>
    [Fact]
    public void Match_ManyTinySets_FindEveryNameThroughBucketOverflowAndWrapAround()
    {
        var random = new Random(20261125);
        for (var round = 0; round < 2_000; round++)
        {
            var size = 1 + random.Next(40);
            var builder = new DomainSetBuilder(capacityHint: 1);
            var stored = new HashSet<string>(StringComparer.Ordinal);
            while (stored.Count < size)
            {
                var name = RandomLabel(random) + ".com";
                if (stored.Add(name))
                {
                    builder.AddExactHost(name, CategorySet.Of(Category.Gambling)).ShouldBeTrue();
                }
            }

            var set = builder.Build();
            set.Count.ShouldBe(size);
            foreach (var name in stored)
            {
                set.Contains(name).ShouldBeTrue($"round {round}: {name} among {size}");
            }

            for (var i = 0; i < 20; i++)
            {
                var other = RandomLabel(random) + ".com";
                set.Contains(other).ShouldBe(stored.Contains(other), $"round {round}: {other}");
            }
        }
    }

    private static ulong Naive(string query, Dictionary<string, ulong> domains, Dictionary<string, ulong> exact)
    {
        var mask = exact.GetValueOrDefault(query);
        var suffix = query;
        while (true)
        {
            mask |= domains.GetValueOrDefault(suffix);
            var dot = suffix.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                return mask;
            }

            suffix = suffix[(dot + 1)..];
        }
    }

    private static string RandomName(Random random)
    {
        var labels = random.Next(1, 4);
        var parts = Enumerable.Range(0, labels).Select(_ => RandomLabel(random));
        return string.Join('.', parts) + "." + s_tlds[random.Next(s_tlds.Length)];
    }

    private static string RandomLabel(Random random)
    {
        // A small alphabet and short labels make shared suffixes and near misses common.
        const string alphabet = "abcde-1";
        var length = random.Next(1, 6);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }
}
