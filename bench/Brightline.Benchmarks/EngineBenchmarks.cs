using BenchmarkDotNet.Attributes;
using Brightline.Filtering;

namespace Brightline.Benchmarks;

/// <summary>
/// Single-threaded lookups against a loaded list (so "per second" is per core).
/// Warm: the same 4096 names (half listed) over and over — the table slots and name bytes they touch
/// stay in CPU cache. Cold: 1 000 000 distinct names (half listed) walked in order, 65 536 per
/// invocation, so nearly every probe misses the CPU cache.
/// <c>Contains</c> is the bare domain set; <c>Decide</c> is the full profile evaluation the DNS filter runs.
/// </summary>
[Config(typeof(EngineBenchmarkConfig))]
public class EngineBenchmarks
{
    private const int ColdBatch = 65_536;

    private static readonly Dictionary<int, EngineFixture> s_fixtures = [];

    private readonly DateTimeOffset _at = new(2025, 6, 2, 10, 0, 0, TimeSpan.Zero);
    private EngineFixture _fixture = null!;
    private string[] _warm = [];
    private string[] _cold = [];
    private int _cursor;

    [Params(BenchData.SmallList, BenchData.LargeList)]
    public int Domains { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string dir = BenchData.DataDirectory;
        if (!s_fixtures.TryGetValue(Domains, out EngineFixture? fixture))
        {
            // Keep at most one fixture alive so the 5 M run is not measured next to a 1 M heap.
            s_fixtures.Clear();
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            fixture = EngineFixture.Load(BenchData.BlocklistPath(dir, Domains), Domains);
            s_fixtures[Domains] = fixture;
        }

        _fixture = fixture;
        _warm = BenchData.ReadNames(Path.Combine(dir, "queries-warm.txt"));
        _cold = BenchData.ReadNames(Path.Combine(dir, "queries-cold.txt"));
        int hits = _warm.Count(n => _fixture.Domains.Contains(n));
        if (hits != _warm.Length / 2)
        {
            throw new InvalidOperationException($"Expected {_warm.Length / 2} warm hits, got {hits}: the data does not match the list.");
        }
    }

    [Benchmark(OperationsPerInvoke = BenchData.WarmNames)]
    public int WarmContains()
    {
        DomainSet set = _fixture.Domains;
        int hits = 0;
        foreach (string name in _warm)
        {
            if (set.Contains(name))
            {
                hits++;
            }
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = BenchData.WarmNames)]
    public int WarmDecide()
    {
        FilterSnapshot snapshot = _fixture.Snapshot;
        int blocked = 0;
        foreach (string name in _warm)
        {
            if (snapshot.Decide(new FilterRequest(EngineFixture.Profile, name, _at)).IsBlocked)
            {
                blocked++;
            }
        }

        return blocked;
    }

    [Benchmark(OperationsPerInvoke = ColdBatch)]
    public int ColdContains()
    {
        DomainSet set = _fixture.Domains;
        string[] names = _cold;
        int start = NextBatch();
        int hits = 0;
        for (int i = 0; i < ColdBatch; i++)
        {
            if (set.Contains(names[start + i]))
            {
                hits++;
            }
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = ColdBatch)]
    public int ColdDecide()
    {
        FilterSnapshot snapshot = _fixture.Snapshot;
        string[] names = _cold;
        int start = NextBatch();
        int blocked = 0;
        for (int i = 0; i < ColdBatch; i++)
        {
            if (snapshot.Decide(new FilterRequest(EngineFixture.Profile, names[start + i], _at)).IsBlocked)
            {
                blocked++;
            }
        }

        return blocked;
    }

    private int NextBatch()
    {
        int start = _cursor;
        _cursor = start + (2 * ColdBatch) > _cold.Length ? 0 : start + ColdBatch;
        return start;
    }
}
