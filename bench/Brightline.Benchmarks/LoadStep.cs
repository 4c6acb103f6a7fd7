using System.Diagnostics;
using System.Globalization;
using Brightline.Filtering;

namespace Brightline.Benchmarks;

/// <summary>
/// Load time and memory of one list size, measured in a fresh process: read + build + snapshot,
/// repeated (median reported); retained = managed heap after a full compacting GC with the engine
/// alive minus the heap before loading, plus the native memory the sealed tables hold
/// (<see cref="FilterMemory.NativeTableBytes"/>: slots and names live outside the managed heap); <c>MemoryBytes</c> is the engine's own account of its arrays;
/// the peak working set covers the transient reader strings and builder growth.
/// </summary>
public static class LoadStep
{
    private static EngineFixture? s_current;

    public static int Run(string dir, string resultsDir, int size, int repeat)
    {
        string path = BenchData.BlocklistPath(dir, size);
        var times = new List<double>();
        long retained = 0;
        long structure = 0;
        int count = 0;
        for (int i = 0; i < repeat; i++)
        {
            s_current = null;
            long before = Heap();
            s_current = EngineFixture.Load(path, size);
            times.Add(s_current.LoadTime.TotalSeconds);
            long after = Heap();
            retained = after - before;
            structure = s_current.Snapshot.Lists.MemoryBytes;
            count = s_current.Domains.Count;
        }

        (double wallRate, double cpuRate) = WarmDecideRates(dir, s_current!);
        times.Sort();
        double median = times[times.Count / 2];
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        double perMillion = retained / 1e6 / (count / 1e6);
        string all = string.Join(" ", times.Select(t => t.ToString("F2", CultureInfo.InvariantCulture)));
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{count}\t{median:F2}\t{all}\t{retained / 1e6:F1}\t{structure / 1e6:F1}\t{perMillion:F1}\t{peak / 1e6:F0}\t{wallRate / 1e6:F2}\t{cpuRate / 1e6:F2}");
        Console.WriteLine("domains\tload_s_median\tload_s_all\tretained_mb\tstructure_mb\tmb_per_million\tpeak_ws_mb\twarm_decide_wall_mps\twarm_decide_cpu_mps");
        Console.WriteLine(line);
        File.WriteAllText(Path.Combine(resultsDir, $"engine-load-{size}.tsv"), line + "\n");
        return 0;
    }

    /// <summary>
    /// Warm Decide on one thread, 7 trials of ~1.5 s: decisions per wall-clock second and per second of
    /// process CPU time (the benchmark thread is the only busy one, so CPU time ≈ that thread's time on
    /// a core). On a loaded machine the second is the closer estimate of "per core"; medians reported.
    /// </summary>
    private static (double Wall, double Cpu) WarmDecideRates(string dir, EngineFixture fixture)
    {
        string[] warm = BenchData.ReadNames(Path.Combine(dir, "queries-warm.txt"));
        var at = new DateTimeOffset(2025, 6, 2, 10, 0, 0, TimeSpan.Zero);
        var snapshot = fixture.Snapshot;
        int sink = 0;
        var walls = new List<double>();
        var cpus = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (int trial = 0; trial < 8; trial++)
        {
            process.Refresh();
            TimeSpan cpu0 = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            long decisions = 0;
            while (watch.ElapsedMilliseconds < 1500)
            {
                foreach (string name in warm)
                {
                    sink += snapshot.Decide(new FilterRequest(EngineFixture.Profile, name, at)).IsBlocked ? 1 : 0;
                }

                decisions += warm.Length;
            }

            double wall = watch.Elapsed.TotalSeconds;
            process.Refresh();
            double cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
            if (trial > 0)
            {
                // Trial 0 is JIT/tiering warm-up.
                walls.Add(decisions / wall);
                cpus.Add(decisions / Math.Max(cpu, 1e-3));
            }
        }

        GC.KeepAlive(sink);
        walls.Sort();
        cpus.Sort();
        return (walls[walls.Count / 2], cpus[cpus.Count / 2]);
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false) + FilterMemory.NativeTableBytes;
    }
}
