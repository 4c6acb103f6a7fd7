using System.Diagnostics;
using System.Globalization;
using System.Net;
using Brightline.Data;
using Brightline.Dns.Logging;
using Brightline.Dns.Wire;
using Brightline.DnsFiltering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: Brightline.Bench.DecisionLog --provider postgres|sqlite --connection CS [--rows 1000000] [--batch 500] [--schools 50]
//   [--names cycle|skewed]
// Migrates the database, then queues --rows decision records as fast as the DNS server would (DnsDecisionLog, the
// server's queue, with --batch as its batch size) into the host's DnsDecisionStore, and prints one line:
// rows=… batch=… seconds=… rows_per_s=… dropped=… failures=…. Records are spread over --schools schools and a
// quarter of them name a person, a fifth are blocked with a category, as a school day's log looks. Names: "cycle" (the
// default, as before issue 18 part 4's summaries) takes 50,000 names in turn, so no name repeats within a batch, the
// worst case for the daily names summary the store now keeps; "skewed" draws each school's name from 30,000 with the
// k-th about 1/k as likely (real DNS repeats names heavily), seeded, so every run sends the same records.
var provider = Arg("--provider") == "sqlite" ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres;
var connection = Arg("--connection") ?? throw new ArgumentException("--connection is required");
var rows = int.Parse(Arg("--rows") ?? "1000000", CultureInfo.InvariantCulture);
var batch = int.Parse(Arg("--batch") ?? "500", CultureInfo.InvariantCulture);
var schools = int.Parse(Arg("--schools") ?? "50", CultureInfo.InvariantCulture);
var skewed = Arg("--names") == "skewed";

var services = new ServiceCollection();
services.AddDbContext<BrightlineDbContext>(o => BrightlineDbContextOptions.Configure(o, provider, connection));
await using var sp = services.BuildServiceProvider();
await using (var scope = sp.CreateAsyncScope())
{
    await DatabaseMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>(), provider, CancellationToken.None);
}

var store = new DnsDecisionStore(sp.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System);
var people = Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid().ToString()).ToArray();
var schoolIds = Enumerable.Range(0, schools).Select(i => $"bench-school-{i:000}").ToArray();
var start = DateTimeOffset.UtcNow;
var random = new Random(18);
// Log-uniform over 1..30,000: P(k) about 1/k (the same draw as bench/decisions/log.sh's generated log).
string Name(int i) => skewed && (int)Math.Exp(random.NextDouble() * Math.Log(30_000)) is var k
    ? k <= 2000 ? $"n{k}.site{k % 97}.test" : $"n{k}.site{k % 97}.s{i % schools}.test"
    : $"host{i % 50_000}.example{i % 97}.test";
DnsDecisionRecord Make(int i)
{
    var blocked = i % 5 == 0;
    return new DnsDecisionRecord(
        start.AddTicks(i * 10L), new IPAddress([10, (byte)(i % 200), (byte)(i / 200 % 250), (byte)(1 + i % 250)]), Name(i),
        DnsRecordType.A, DnsTransport.Udp, blocked ? DnsDecision.Blocked : DnsDecision.Forwarded, blocked ? DnsResponseCode.NXDomain : DnsResponseCode.NoError,
        blocked ? "social-networking" : null, blocked ? "category social-networking blocked for pupils" : null, "pupils",
        i % 4 == 0 ? people[i % people.Length] : null, TimeSpan.FromMilliseconds(1), schoolIds[i % schoolIds.Length]);
}

// Warm up (JIT, connection pool, partitions for today) with one batch outside the timing.
await store.WriteAsync(Enumerable.Range(0, batch).Select(Make).ToList(), CancellationToken.None);

// On a shared machine the wall-clock rate says as much about the neighbours as about the log, so the CPU time spent
// is measured too: this process's, and (PostgreSQL on this machine) that of the database's server processes for
// this database, read from /proc. Rows per CPU-second of each is what an otherwise idle machine would approach.
var backends = provider == DatabaseProvider.Postgres ? await BackendsAsync(connection) : [];
var serverCpuBefore = backends.Sum(CpuSeconds);
var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
var log = new DnsDecisionLog(store, NullLogger.Instance, capacity: 50_000, batchSize: batch);
log.Start();
var watch = Stopwatch.StartNew();
for (var i = 0; i < rows; i++)
{
    var record = Make(i);
    // The DNS server drops a record when the queue is full; the bench waits instead, so it measures the sink's rate.
    while (!log.TryEnqueue(record))
    {
        await Task.Delay(1);
    }
}

await log.StopAsync(CancellationToken.None);
watch.Stop();
var clientCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - clientCpuBefore;
var serverCpu = backends.Sum(CpuSeconds) - serverCpuBefore;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"rows={log.Written} batch={batch} seconds={watch.Elapsed.TotalSeconds:0.00} rows_per_s={log.Written / watch.Elapsed.TotalSeconds:0} dropped_while_full={log.Dropped} failures={log.SinkFailures} ")
    + string.Create(CultureInfo.InvariantCulture,
    $"client_cpu_s={clientCpu:0.00} server_cpu_s={serverCpu:0.00} rows_per_server_cpu_s={(serverCpu > 0 ? log.Written / serverCpu : 0):0}"));

// The server processes connected to this database (the pool's connections, opened by the warm-up).
static async Task<List<int>> BackendsAsync(string connectionString)
{
    // Outside the pool: a pooled connection here would be the sink's own (idle since the warm-up) and exclude itself.
    await using var c = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
    await c.OpenAsync();
    await using var cmd = new Npgsql.NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", c);
    var pids = new List<int>();
    await using var reader = await cmd.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        pids.Add(reader.GetInt32(0));
    }

    return pids;
}

// utime + stime of a process (fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s on Linux); 0 if unreadable.
static double CpuSeconds(int pid)
{
    try
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
    catch (IOException)
    {
        return 0;
    }
}

string? Arg(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
