using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Brightline.Benchmarks;

/// <summary>
/// The browser extension's decision API under load (bench/decisions/run.sh drives it; issue 12's performance
/// target: ≥ 20,000 decisions/s on two cores, p99 &lt; 5 ms for batches of 10):
/// <c>decisions --server U --key K --email E [--senders N] [--seconds S] [--batch 10]</c> enrols once with the
/// enrolment key and the email (as the extension does), then N concurrent senders post batches of URLs (a fixed
/// mix of allowed and blocked sites, with paths) until S seconds have passed. Prints decisions/s, the allowed and
/// blocked counts, and p50/p99 of each batch's round trip.
/// </summary>
public static class DecisionStep
{
    /// <summary>Sites of the example policy's lists and ordinary ones: answers allow and block (and a safe-search rewrite).</summary>
    private static readonly string[] s_urls =
    [
        "https://www.bbc.co.uk/news", "https://www.bbc.co.uk/bitesize/subjects", "https://scratch.mit.edu/projects/1",
        "https://www.google.com/search?q=volcano", "https://www.youtube.com/watch?v=abc", "https://en.wikipedia.org/wiki/Photosynthesis",
        "https://www.bet365.com/", "https://www.facebook.com/", "https://discord.com/channels", "https://www.topmarks.co.uk/maths-games",
        "https://docs.google.com/document/d/1", "https://www.theguardian.com/uk", "https://www.minecraft.net/", "https://outlook.live.com/mail",
        "https://www.instagram.com/", "https://www.gov.uk/school-term-holiday-dates", "https://www.amazon.co.uk/", "https://www.reddit.com/r/science",
        "https://www.tiktok.com/", "https://www.nationalgeographic.com/animals",
    ];

    public static async Task<int> Run(string server, string key, string email, int senders, double seconds, int batchSize)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = senders, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        server = server.TrimEnd('/');
        using (var enrol = await http.PostAsJsonAsync($"{server}/api/v1/extension/enrol", new { enrolmentKey = key, email, deviceId = "bench-device", deviceName = "Benchmark" }).ConfigureAwait(false))
        {
            string text = await enrol.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!enrol.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"enrolment refused: HTTP {(int)enrol.StatusCode} {text}");
                return 1;
            }

            using JsonDocument doc = JsonDocument.Parse(text);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", doc.RootElement.GetProperty("token").GetString());
        }

        string url = $"{server}/api/v1/decisions";
        // A few distinct batches (each a rotation of the list), serialised once: the client's own work stays small.
        byte[][] bodies = [.. Enumerable.Range(0, s_urls.Length).Select(i =>
            JsonSerializer.SerializeToUtf8Bytes(new { urls = Enumerable.Range(0, batchSize).Select(j => s_urls[(i + j) % s_urls.Length]).ToArray() }))];

        // Warm-up (JIT, the token and gate caches, connections): 2 seconds, not counted.
        await Load(http, url, bodies, senders, 2, null).ConfigureAwait(false);
        var counts = new Counts();
        var watch = Stopwatch.StartNew();
        var latencies = await Load(http, url, bodies, senders, seconds, counts).ConfigureAwait(false);
        double elapsed = watch.Elapsed.TotalSeconds;
        double[] all = [.. latencies.Order()];
        double P(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        long decisions = counts.Allowed + counts.Blocked;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"senders={senders}\tbatch={batchSize}\tbatches={all.Length}\tdecisions={decisions}\tallowed={counts.Allowed}\tblocked={counts.Blocked}\tfailed_requests={counts.Failed}\tseconds={elapsed:F2}\tdecisions_per_s={decisions / elapsed:F0}\tp50_ms={P(0.5):F2}\tp99_ms={P(0.99):F2}"));
        return counts.Failed == 0 && decisions > 0 ? 0 : 1;
    }

    private sealed class Counts
    {
        public long Allowed;
        public long Blocked;
        public long Failed;
    }

    private static async Task<List<double>> Load(HttpClient http, string url, byte[][] bodies, int senders, double seconds, Counts? counts)
    {
        var deadline = Stopwatch.StartNew();
        var latencies = new List<double>[senders];

        async Task Sender(int index)
        {
            var lat = latencies[index] = [];
            for (int n = index; deadline.Elapsed.TotalSeconds < seconds; n += senders)
            {
                using var content = new ByteArrayContent(bodies[n % bodies.Length]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                long started = Stopwatch.GetTimestamp();
                try
                {
                    using HttpResponseMessage response = await http.PostAsync(url, content).ConfigureAwait(false);
                    byte[] answer = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    lat.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (counts is null)
                    {
                        continue;
                    }

                    if (!response.IsSuccessStatusCode)
                    {
                        if (Interlocked.Increment(ref counts.Failed) <= 3)
                        {
                            Console.Error.WriteLine($"HTTP {(int)response.StatusCode}: {Encoding.UTF8.GetString(answer)}");
                        }

                        continue;
                    }

                    using JsonDocument doc = JsonDocument.Parse(answer);
                    foreach (JsonElement decision in doc.RootElement.GetProperty("decisions").EnumerateArray())
                    {
                        if (decision.GetProperty("action").GetString() == "block")
                        {
                            Interlocked.Increment(ref counts.Blocked);
                        }
                        else
                        {
                            Interlocked.Increment(ref counts.Allowed);
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
                {
                    if (counts is not null && Interlocked.Increment(ref counts.Failed) <= 3)
                    {
                        Console.Error.WriteLine($"request failed: {ex.Message}");
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, senders).Select(i => Task.Run(() => Sender(i)))).ConfigureAwait(false);
        return [.. latencies.SelectMany(l => l)];
    }
}
