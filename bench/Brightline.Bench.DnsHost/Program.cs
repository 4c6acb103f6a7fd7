using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Brightline.Bench.DnsHost;
using Brightline.Dns.Logging;
using Brightline.Dns.Server;
using Brightline.Filtering;
using Brightline.Filtering.Lists;

// Usage: Brightline.Bench.DnsHost --list FILE [--listen 127.0.0.1:5302] [--upstream 127.0.0.1:5301] [--max-seconds 900] [--udp-loops N]
// Prints "READY ..." once the list is loaded and the sockets are bound; stops on SIGTERM/SIGINT or
// after --max-seconds (a bound so a forgotten host cannot run forever), then prints the counters.
// The same process setting `brightline dns` uses (DnsProcessTuning); before any socket opens.
DnsProcessTuning.EnableInlineSocketCompletions();
string list = Arg(args, "--list") ?? throw new ArgumentException("--list FILE is required");
string listen = Arg(args, "--listen") ?? "127.0.0.1:5302";
string upstream = Arg(args, "--upstream") ?? "127.0.0.1:5301";
int maxSeconds = int.Parse(Arg(args, "--max-seconds") ?? "900", CultureInfo.InvariantCulture);
int udpLoops = int.Parse(Arg(args, "--udp-loops") ?? "0", CultureInfo.InvariantCulture); // 0 = the server's default

var watch = Stopwatch.StartNew();
var builder = new CategoryListsBuilder(Path.GetFileName(list), capacityHint: 1_000_000);
ListReport report = PlainListReader.ReadFile(list, builder.For(Category.Gambling));
CategoryLists lists = builder.Build();
const string Profile = "bench-pupils";
var profile = new FilterProfile(new FilterProfileDefinition
{
    Name = Profile,
    BlockedCategories = Categories.DefaultPupilBlocked,
    SafeSearch = true,
    YouTube = YouTubeMode.Strict,
});
var engine = new FilterEngine(new FilterSnapshot(lists, [profile], new FilterSnapshotOptions { Version = "bench" }));
builder = null;
double loadSeconds = watch.Elapsed.TotalSeconds;

// Give the loader's transient strings and the builder's grown arrays back before serving: a host
// that loads lists once should do this too (see docs/benchmarks.md, next steps).
GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

var options = new DnsFilterOptions
{
    Listen = [listen],
    Upstreams = [upstream],
    CacheMaxEntries = 100_000,
    UdpReceiveLoops = udpLoops,
};
var sink = new CountingSink();
await using var server = new DnsFilterServer(options, new EnginePolicy(engine, Profile, TimeProvider.System), sink);
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(maxSeconds));
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
await server.StartAsync(stop.Token);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"READY pid={Environment.ProcessId} domains={lists.Domains.Count} accepted={report.Accepted} load_s={loadSeconds:F2} engine_mb={lists.MemoryBytes / 1e6:F1} heap_mb={GC.GetTotalMemory(false) / 1e6:F1} listen={server.EndPoints[0]}"));
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Stopping.
}

using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(5));
await server.StopAsync(shutdown.Token);
Console.WriteLine($"STOPPED {server.Counters.Snapshot()} decisions_logged={sink.Count} decisions_dropped={server.DecisionLogDropped}");
return 0;

static string? Arg(string[] args, string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

/// <summary>Counts decision batches instead of writing them to a database.</summary>
internal sealed class CountingSink : IDnsDecisionSink
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public ValueTask WriteAsync(IReadOnlyList<DnsDecisionRecord> batch, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _count, batch.Count);
        return ValueTask.CompletedTask;
    }
}
