using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Brightline.Benchmarks;

/// <summary>
/// Portal pages' server time for a signed-in user (bench/devices/run.sh drives it; issue 14's target: the device and
/// loan pages stay under 300 ms with 5,000 devices and 50,000 loans):
/// <c>pages --server U --email E --password P --pages FILE [--requests N] [--warmup W] [--seconds S]</c>.
/// Signs in through the real login form (antiforgery token and cookie, as a browser does), then for each
/// "label TAB path" line of FILE: W warm-up GETs (not counted), then N GETs one after another on one kept-alive
/// connection, stopping early after S seconds (at least 3 counted). Each time is from sending the request to the last
/// byte of the body on loopback: the server's time plus the loopback transfer, an upper bound of the server time.
/// Prints one tab-separated line per page: label, path, status, bytes, count, p50_ms, p95_ms, max_ms, load average.
/// </summary>
public static partial class PagesStep
{
    public static async Task<int> Run(string server, string email, string password, string pagesFile, int requests, int warmup, double seconds)
    {
        server = server.TrimEnd('/');
        var cookies = new CookieContainer();
        using var http = new HttpClient(new SocketsHttpHandler
        {
            CookieContainer = cookies,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = 1,
            PooledConnectionLifetime = TimeSpan.FromMinutes(30),
        })
        {
            Timeout = TimeSpan.FromSeconds(120),
        };

        if (!await SignInAsync(http, server, email, password).ConfigureAwait(false))
        {
            return 1;
        }

        var pages = File.ReadAllLines(pagesFile).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t')).ToList();
        var failed = false;
        foreach (var page in pages)
        {
            string label = page[0], path = page[1];
            string url = server + path;
            var status = 0;
            long bytes = 0;
            for (var i = 0; i < warmup; i++)
            {
                (status, bytes, _) = await GetAsync(http, url).ConfigureAwait(false);
            }

            var times = new List<double>();
            var bound = Stopwatch.StartNew();
            while (times.Count < requests && (times.Count < 3 || bound.Elapsed.TotalSeconds < seconds))
            {
                (status, bytes, double ms) = await GetAsync(http, url).ConfigureAwait(false);
                times.Add(ms);
            }

            times.Sort();
            failed |= status != 200;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}\t{path}\t{status}\t{bytes}\t{times.Count}\t{Percentile(times, 0.50):F1}\t{Percentile(times, 0.95):F1}\t{times[^1]:F1}\t{LoadAverage()}"));
        }

        // A page that did not answer 200 (a redirect to the login, a 404) measured the wrong thing.
        return failed ? 3 : 0;
    }

    private static async Task<(int Status, long Bytes, double Ms)> GetAsync(HttpClient http, string url)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        double ms = watch.Elapsed.TotalMilliseconds;
        return ((int)response.StatusCode, body.LongLength, ms);
    }

    private static async Task<bool> SignInAsync(HttpClient http, string server, string email, string password)
    {
        string form = await http.GetStringAsync($"{server}/account/login").ConfigureAwait(false);
        Match token = AntiforgeryToken().Match(form);
        if (!token.Success)
        {
            Console.Error.WriteLine("the login page has no antiforgery token");
            return false;
        }

        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        });
        using var response = await http.PostAsync($"{server}/account/login", content).ConfigureAwait(false);
        string? location = response.Headers.Location?.ToString();
        if (response.StatusCode != HttpStatusCode.Redirect || location is null || location.Contains("login", StringComparison.OrdinalIgnoreCase))
        {
            string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            Console.Error.WriteLine($"sign-in refused: HTTP {(int)response.StatusCode} → {location} {body[..Math.Min(body.Length, 400)]}");
            return false;
        }

        return true;
    }

    /// <summary>The 1, 5 and 15 minute load averages when the page's run ended: how busy the shared machine was.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join('/', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
