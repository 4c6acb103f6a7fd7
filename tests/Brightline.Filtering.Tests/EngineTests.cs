namespace Brightline.Filtering.Tests;

public sealed class EngineTests
{
    private static FilterSnapshot SnapshotBlocking(string domain, string version)
    {
        var builder = new CategoryListsBuilder(version);
        builder.AddDomain(domain, Category.Gambling);
        var profile = new FilterProfile(new FilterProfileDefinition { Name = "ks2", BlockedCategories = CategorySet.Of(Category.Gambling) });
        return new FilterSnapshot(builder.Build(), [profile], new FilterSnapshotOptions { Version = version });
    }

    [Fact]
    public void Swap_NewSnapshot_TakesEffectAndReturnsPrevious()
    {
        var first = SnapshotBlocking("a.example", "v1");
        var engine = new FilterEngine(first);

        engine.Decide(new FilterRequest("ks2", "a.example", DateTimeOffset.UnixEpoch)).IsBlocked.ShouldBeTrue();
        engine.Swap(SnapshotBlocking("b.example", "v2")).ShouldBeSameAs(first);

        engine.Decide(new FilterRequest("ks2", "a.example", DateTimeOffset.UnixEpoch)).IsBlocked.ShouldBeFalse();
        engine.Decide(new FilterRequest("ks2", "b.example", DateTimeOffset.UnixEpoch)).IsBlocked.ShouldBeTrue();
        engine.Current.Options.Version.ShouldBe("v2");
    }

    [Fact]
    public async Task Decide_ConcurrentReadersDuringSwaps_EveryDecisionMatchesOneWholeSnapshot()
    {
        var v1 = SnapshotBlocking("a.example", "v1");
        var v2 = SnapshotBlocking("b.example", "v2");
        var engine = new FilterEngine(v1);
        const int iterations = 20_000;
        var failures = 0;
        var done = 0;

        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < iterations; i++)
            {
                var snapshot = engine.Current;
                var a = snapshot.Decide(new FilterRequest("ks2", "www.a.example", DateTimeOffset.UnixEpoch)).IsBlocked;
                var b = snapshot.Decide(new FilterRequest("ks2", "www.b.example", DateTimeOffset.UnixEpoch)).IsBlocked;
                if (a == b)
                {
                    Interlocked.Increment(ref failures);
                }

                if (engine.Decide(new FilterRequest("ks2", "www.c.example", DateTimeOffset.UnixEpoch)).IsBlocked)
                {
                    Interlocked.Increment(ref failures);
                }
            }

            Interlocked.Increment(ref done);
        })).ToArray();
        var swaps = 0;
        var swapper = Task.Run(() =>
        {
            while (Volatile.Read(ref done) < readers.Length)
            {
                engine.Swap(swaps++ % 2 == 0 ? v2 : v1);
            }
        });

        await Task.WhenAll(readers);
        await swapper;

        failures.ShouldBe(0);
        swaps.ShouldBeGreaterThan(0);
    }
}
