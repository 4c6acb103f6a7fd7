using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Brightline.Filtering;

namespace Brightline.Benchmarks;

/// <summary>
/// Warm <c>Decide</c> and <c>Contains</c> measured in thread CPU time (<c>CLOCK_THREAD_CPUTIME_ID</c>)
/// as well as wall time, in many short trials; reports the best and the median trial. On a shared,
/// loaded 2-core machine the thread's own CPU time is the closest available estimate of "per core",
/// and the best trial is the one least disturbed by cache pollution from other processes. Used to
/// compare two builds back to back (run each alternately), not as the headline table.
/// </summary>
public static partial class MicroStep
{
    private const int ThreadCpuClock = 3;

    public static int Run(string dir, int size, int trials)
    {
        EngineFixture fixture = EngineFixture.Load(BenchData.BlocklistPath(dir, size), size);
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        string[] warm = BenchData.ReadNames(Path.Combine(dir, "queries-warm.txt"));
        var at = new DateTimeOffset(2025, 6, 2, 10, 0, 0, TimeSpan.Zero);
        FilterSnapshot snapshot = fixture.Snapshot;
        DomainSet set = fixture.Domains;
        int sink = 0;
        var decideCpu = new List<double>();
        var decideWall = new List<double>();
        var containsCpu = new List<double>();
        var containsWall = new List<double>();
        var keyCpu = new List<double>();
        var keyWall = new List<double>();
        DomainSet empty = DomainSet.Empty;
        for (int trial = 0; trial < trials + 3; trial++)
        {
            (double cpu, double wall) = Measure(() =>
            {
                foreach (string name in warm)
                {
                    sink += snapshot.Decide(new FilterRequest(EngineFixture.Profile, name, at)).IsBlocked ? 1 : 0;
                }
            }, warm.Length);
            (double cpu2, double wall2) = Measure(() =>
            {
                foreach (string name in warm)
                {
                    sink += set.Contains(name) ? 1 : 0;
                }
            }, warm.Length);
            // The same call on an empty set: normalising and hashing the name, no table probe.
            // Subtracting it from Contains splits a lookup into "make the key" and "probe".
            (double cpu3, double wall3) = Measure(() =>
            {
                foreach (string name in warm)
                {
                    sink += empty.Contains(name) ? 1 : 0;
                }
            }, warm.Length);
            if (trial >= 3)
            {
                // The first trials are JIT tiering warm-up.
                decideCpu.Add(cpu);
                decideWall.Add(wall);
                containsCpu.Add(cpu2);
                containsWall.Add(wall2);
                keyCpu.Add(cpu3);
                keyWall.Add(wall3);
            }
        }

        GC.KeepAlive(sink);
        Console.WriteLine("method\tdomains\tcpu_ns_best\tcpu_ns_median\twall_ns_best\twall_ns_median\tcpu_mps_best\tcpu_mps_median");
        Print("WarmDecide", size, decideCpu, decideWall);
        Print("WarmContains", size, containsCpu, containsWall);
        Print("KeyOnly", size, keyCpu, keyWall);
        return 0;
    }

    private static void Print(string method, int size, List<double> cpu, List<double> wall)
    {
        cpu.Sort();
        wall.Sort();
        double cpuMedian = cpu[cpu.Count / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{method}\t{size}\t{cpu[0]:F1}\t{cpuMedian:F1}\t{wall[0]:F1}\t{wall[wall.Count / 2]:F1}\t{1000 / cpu[0]:F2}\t{1000 / cpuMedian:F2}"));
    }

    /// <summary>Runs <paramref name="batch"/> for ~200 ms; returns ns per operation in thread CPU time and in wall time.</summary>
    private static (double Cpu, double Wall) Measure(Action batch, int perBatch)
    {
        long operations = 0;
        long cpu0 = ThreadCpuNanoseconds();
        long wall0 = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(wall0).TotalMilliseconds < 200)
        {
            batch();
            operations += perBatch;
        }

        double wall = Stopwatch.GetElapsedTime(wall0).TotalNanoseconds;
        long cpu = ThreadCpuNanoseconds() - cpu0;
        return (cpu / (double)operations, wall / operations);
    }

    private static long ThreadCpuNanoseconds()
    {
        if (ClockGetTime(ThreadCpuClock, out TimeSpec spec) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return (spec.Seconds * 1_000_000_000L) + spec.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec spec);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
