using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Brightline.Monitoring;

namespace Brightline.Benchmarks;

/// <summary>
/// Monitoring benchmarks (bench/monitoring/run.sh drives them):
/// <list type="bullet">
/// <item><c>phrases --e2g DIR --out FILE</c>: every English weighted e2guardian phrase (each term of a
/// combination too), imported with <see cref="E2GuardianImporter.ImportTree"/>, lower-cased, one per line,
/// distinct, ordinal order: the one phrase set every tool in the comparison reads.</item>
/// <item><c>scan --mode raw|normalised --phrases FILE|builtin --corpus FILE [--chunk N]</c>: streams the corpus
/// in chunks (cut at a line end) through <see cref="PhraseMatcher.CountMatches"/>; every phrase is a
/// substring rule (no whole-word ends), like <c>rg -F</c>. Prints matches and MB/s from thread CPU and wall time.</item>
/// <item><c>ingest --url U --token T [--senders N] [--batches B] [--seconds S] [--batch 100]</c>: N concurrent
/// senders post batches of distinct events until B batches in total or S seconds; counts accepted events/s.</item>
/// </list>
/// </summary>
public static partial class MonitoringStep
{
    private const int ThreadCpuClock = 3;

    public static int Phrases(string root, string output)
    {
        E2GuardianImportResult import = E2GuardianImporter.ImportTree(root);
        var phrases = new SortedSet<string>(StringComparer.Ordinal);
        foreach (PhraseRule rule in import.Library.Rules)
        {
            string file = Path.GetFileName(rule.Source.Split(':')[0]);
            if (rule.Weight <= 0 || !string.Equals(rule.Language, "en", StringComparison.Ordinal) || !file.StartsWith("weighted", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (PhraseTerm term in rule.Terms)
            {
                string text = term.Text.Trim().ToLowerInvariant();
                if (text.Length > 0 && !text.Contains('\n', StringComparison.Ordinal) && text.All(c => c < 128))
                {
                    phrases.Add(text);
                }
            }
        }

        File.WriteAllLines(output, phrases);
        Console.WriteLine($"{phrases.Count} phrases from {import.FilesRead} files ({import.Library.Rules.Count} rules imported) -> {output}");
        return phrases.Count > 0 ? 0 : 1;
    }

    public static int Scan(string mode, string phraseFile, string corpus, int chunkChars)
    {
        MatchMode matchMode = mode switch
        {
            "raw" => MatchMode.Raw,
            "normalised" => MatchMode.Normalised,
            _ => throw new ArgumentException($"--mode raw|normalised, not '{mode}'"),
        };
        // "--phrases builtin": the shipped libraries as the portal scans with them (issue 16's bulk-scanning target).
        PhraseLibrary library = string.Equals(phraseFile, "builtin", StringComparison.Ordinal)
            ? PhraseLibrary.BuiltIn()
            : new PhraseLibrary(File.ReadLines(phraseFile)
                .Where(l => l.Length > 0)
                .Select(l => new PhraseRule(MonitoringCategories.Other, [new PhraseTerm(l, WholeWordStart: false, WholeWordEnd: false)], 10, Severity.Low, source: phraseFile))
                .ToList());
        var compileWatch = Stopwatch.StartNew();
        PhraseMatcher matcher = PhraseMatcher.Compile(library, matchMode);
        compileWatch.Stop();

        // Warm-up on the first chunk (JIT, per-thread buffers), not timed.
        char[] buffer = new char[chunkChars + 4096];
        using (var warm = new StreamReader(corpus, Encoding.UTF8, false, 1 << 20))
        {
            int n = warm.ReadBlock(buffer, 0, Math.Min(chunkChars, 1 << 20));
            matcher.CountMatches(buffer.AsSpan(0, n));
        }

        long bytes = new FileInfo(corpus).Length;
        long matches = 0;
        long cpu0 = ThreadCpuNanoseconds();
        var wall = Stopwatch.StartNew();
        using (var reader = new StreamReader(corpus, Encoding.UTF8, false, 1 << 20))
        {
            int carry = 0;
            while (true)
            {
                int read = reader.ReadBlock(buffer, carry, chunkChars);
                int length = carry + read;
                if (length == 0)
                {
                    break;
                }

                // Cut at the last line end so no phrase is split across chunks; the tail is carried over.
                int cut = read == 0 ? length : buffer.AsSpan(0, length).LastIndexOf('\n') + 1;
                if (cut <= 0)
                {
                    cut = length;
                }

                matches += matcher.CountMatches(buffer.AsSpan(0, cut));
                carry = length - cut;
                buffer.AsSpan(cut, carry).CopyTo(buffer);
                if (read == 0 && carry == 0)
                {
                    break;
                }
            }
        }

        wall.Stop();
        double cpu = (ThreadCpuNanoseconds() - cpu0) / 1e9;
        double mb = bytes / 1e6;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mode={mode}\tphrases={library.Rules.Count}\tpatterns={matcher.PatternCount}\tstates={matcher.StateCount}\tcompile_s={compileWatch.Elapsed.TotalSeconds:F2}\tmatches={matches}\tcpu_s={cpu:F3}\twall_s={wall.Elapsed.TotalSeconds:F3}\tcpu_mbps={mb / cpu:F1}\twall_mbps={mb / wall.Elapsed.TotalSeconds:F1}"));
        return 0;
    }

    public static async Task<int> Ingest(string url, string token, int senders, int maxBatches, double seconds, int batchSize, string runId)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = senders, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        string[] benign =
        [
            "homework on the water cycle for year eight science due friday",
            "how to cite a website in harvard referencing",
            "best recipes for a quick vegetarian dinner",
            "minecraft redstone tutorial automatic door",
            "what time does the library close on saturday",
            "photosynthesis diagram labelled gcse biology",
            "premier league table and fixtures this weekend",
            "revision timetable template for mock exams",
        ];
        string[] flagged = ["i want to die", "where can i buy a knife", "send me nudes and keep it secret"];

        int nextBatch = -1;
        long accepted = 0, duplicates = 0, rejected = 0, failedRequests = 0, batchesSent = 0;
        var deadline = Stopwatch.StartNew();
        var latencies = new List<double>[senders];

        async Task Sender(int index)
        {
            var lat = latencies[index] = [];
            while (deadline.Elapsed.TotalSeconds < seconds)
            {
                int batch = Interlocked.Increment(ref nextBatch);
                if (batch >= maxBatches)
                {
                    return;
                }

                string body = BuildBatch(runId, batch, batchSize, benign, flagged);
                var started = Stopwatch.GetTimestamp();
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                try
                {
                    using HttpResponseMessage response = await http.PostAsync(url, content).ConfigureAwait(false);
                    string answer = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    lat.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (!response.IsSuccessStatusCode)
                    {
                        if (Interlocked.Increment(ref failedRequests) <= 3)
                        {
                            Console.Error.WriteLine($"HTTP {(int)response.StatusCode}: {answer[..Math.Min(300, answer.Length)]}");
                        }

                        continue;
                    }

                    using JsonDocument doc = JsonDocument.Parse(answer);
                    Interlocked.Add(ref accepted, doc.RootElement.GetProperty("accepted").GetInt64());
                    Interlocked.Add(ref duplicates, doc.RootElement.GetProperty("duplicates").GetInt64());
                    Interlocked.Add(ref rejected, doc.RootElement.GetProperty("rejected").GetInt64());
                    Interlocked.Increment(ref batchesSent);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
                {
                    if (Interlocked.Increment(ref failedRequests) <= 3)
                    {
                        Console.Error.WriteLine($"request failed: {ex.Message}");
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, senders).Select(i => Task.Run(() => Sender(i)))).ConfigureAwait(false);
        double elapsed = deadline.Elapsed.TotalSeconds;
        double[] all = latencies.SelectMany(l => l).Order().ToArray();
        double P(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"senders={senders}\tbatch={batchSize}\tbatches={batchesSent}\taccepted={accepted}\tduplicates={duplicates}\trejected={rejected}\tfailed_requests={failedRequests}\tseconds={elapsed:F2}\tevents_per_s={accepted / elapsed:F0}\tp50_ms={P(0.5):F1}\tp99_ms={P(0.99):F1}"));
        return failedRequests == 0 && accepted > 0 ? 0 : 1;
    }

    private static string BuildBatch(string runId, int batch, int size, string[] benign, string[] flagged)
    {
        var rng = new Random(batch);
        string at = DateTimeOffset.UtcNow.AddSeconds(-5).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var sb = new StringBuilder(size * 160);
        sb.Append("{\"events\":[");
        for (int i = 0; i < size; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            // About 2 % of events carry a phrase (an alert candidate); the rest is ordinary activity.
            string text = rng.Next(50) == 0
                ? flagged[rng.Next(flagged.Length)]
                : benign[rng.Next(benign.Length)] + " " + benign[rng.Next(benign.Length)];
            string id = string.Create(CultureInfo.InvariantCulture, $"{runId}-{batch}-{i}");
            if (i % 2 == 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{{\"id\":\"{id}\",\"kind\":\"typed-text\",\"occurredAt\":\"{at}\",\"text\":{JsonSerializer.Serialize(text)}}}");
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"{{\"id\":\"{id}\",\"kind\":\"url\",\"occurredAt\":\"{at}\",\"url\":\"https://example.org/page/{batch}/{i}\",\"title\":{JsonSerializer.Serialize(text)}}}");
            }
        }

        return sb.Append("]}").ToString();
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
