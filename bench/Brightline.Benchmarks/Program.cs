using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Brightline.Benchmarks;

// Verbs (bench/run.sh drives them; BRIGHTLINE_BENCH_DATA names the data directory):
//   gen [--seed N]            write the deterministic lists and query files
//   load --size N [--repeat R] load time (median of R) and memory of one list size, in a fresh process
//   micro --size N [--trials T] warm Decide/Contains in thread CPU time, best and median of T short trials
//   engine                    the BenchmarkDotNet lookup benchmarks; writes engine-bdn.tsv next to the data
//   phrases --e2g DIR --out FILE           English weighted e2guardian phrases, one per line (bench/monitoring/run.sh)
//   scan --mode raw|normalised --phrases FILE --corpus FILE [--chunk N]   phrase-matcher MB/s on one thread
//   ingest --url U --token T [--senders N] [--batches B] [--seconds S] [--batch N] [--run ID]   events/s accepted
//   decisions --server U --key K --email E [--senders N] [--seconds S] [--batch N]   the extension's decision API (bench/decisions/run.sh)
//   radius --server H:P --secret S --users FILE [--mode closed|open] ...   RADIUS Access-Requests (bench/radius/run.sh; RadiusStep)
//   pages --server U --email E --password P --pages FILE [--requests N] [--warmup W] [--seconds S] [--setup URL]   signed-in page times (bench/devices/run.sh, bench/portal/run.sh; PagesStep)
string verb = args.Length > 0 ? args[0] : "engine";
string dir = BenchData.DataDirectory;
string resultsDir = Path.GetDirectoryName(Path.GetFullPath(dir)) ?? ".";
switch (verb)
{
    case "gen":
    {
        int seed = Option(args, "--seed", BenchData.DefaultSeed);
        var watch = Stopwatch.StartNew();
        BenchData.Generate(dir, seed);
        Console.WriteLine($"generated {dir} (seed {seed}) in {watch.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    case "load":
        return LoadStep.Run(dir, resultsDir, Option(args, "--size", BenchData.SmallList), Option(args, "--repeat", 3));

    case "micro":
        return MicroStep.Run(dir, Option(args, "--size", BenchData.SmallList), Option(args, "--trials", 25));

    case "engine":
    {
        Summary summary = BenchmarkRunner.Run<EngineBenchmarks>(config: null, args: args.Skip(1).ToArray());
        var tsv = new StringBuilder("method\tdomains\tmedian_ns\tmean_ns\tp95_ns\tallocated_bytes\n");
        foreach (BenchmarkReport report in summary.Reports)
        {
            if (report.ResultStatistics is not { } stats)
            {
                continue;
            }

            string method = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            object? domains = report.BenchmarkCase.Parameters["Domains"];
            long allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
            tsv.Append(CultureInfo.InvariantCulture, $"{method}\t{domains}\t{stats.Median:F2}\t{stats.Mean:F2}\t{stats.Percentiles.P95:F2}\t{allocated}\n");
        }

        File.WriteAllText(Path.Combine(resultsDir, "engine-bdn.tsv"), tsv.ToString());
        Console.WriteLine(tsv.ToString());
        return summary.HasCriticalValidationErrors ? 1 : 0;
    }

    case "phrases":
        return MonitoringStep.Phrases(Text(args, "--e2g", "/etc/e2guardian/lists/phraselists"), Text(args, "--out", "phrases.txt"));

    case "scan":
        return MonitoringStep.Scan(Text(args, "--mode", "raw"), Text(args, "--phrases", "phrases.txt"), Text(args, "--corpus", "corpus.txt"), Option(args, "--chunk", 1 << 20));

    case "ingest":
        return await MonitoringStep.Ingest(
            Text(args, "--url", "http://127.0.0.1:5080/api/v1/monitoring/events"), Text(args, "--token", string.Empty),
            Option(args, "--senders", 8), Option(args, "--batches", 2000), Option(args, "--seconds", 30), Option(args, "--batch", 100),
            Text(args, "--run", DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture)));

    case "decisions":
        return await DecisionStep.Run(
            Text(args, "--server", "http://127.0.0.1:5080"), Text(args, "--key", string.Empty), Text(args, "--email", string.Empty),
            Option(args, "--senders", 8), Option(args, "--seconds", 15), Option(args, "--batch", 10));

    case "radius":
        return await RadiusStep.Run(args);

    case "pages":
        return await PagesStep.Run(
            Text(args, "--server", "http://127.0.0.1:5080"), Text(args, "--email", string.Empty), Text(args, "--password", string.Empty),
            Text(args, "--pages", "pages.tsv"), Option(args, "--requests", 30), Option(args, "--warmup", 3), Option(args, "--seconds", 20),
            Text(args, "--setup", string.Empty));

    default:
        Console.Error.WriteLine($"unknown verb '{verb}' (gen | load | micro | engine | phrases | scan | ingest | decisions | radius | pages)");
        return 2;
}

static string Text(string[] args, string name, string fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

static int Option(string[] args, string name, int fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
