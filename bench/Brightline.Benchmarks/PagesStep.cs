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
/// Prints one tab-separated line per page: label, path, status, bytes, count, p50_ms, p95_ms, p99_ms, max_ms, load average.
/// With <c>--setup URL</c> (the first-run link <c>serve</c> prints) it creates the first administrator through the set-up
/// form and turns on two-factor sign-in with a code computed from the key the page shows, as a new school would, so
/// the pages run as an administrator whose session passed two-factor sign-in (bench/portal/run.sh).
/// </summary>
public static partial class PagesStep
{
    public static async Task<int> Run(string server, string email, string password, string pagesFile, int requests, int warmup, double seconds, string setup = "")
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

        if (setup.Length > 0 ? !await SetUpAdministratorAsync(http, server, setup, email, password).ConfigureAwait(false)
                : !await SignInAsync(http, server, email, password).ConfigureAwait(false))
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
                $"{label}\t{path}\t{status}\t{bytes}\t{times.Count}\t{Percentile(times, 0.50):F1}\t{Percentile(times, 0.95):F1}\t{Percentile(times, 0.99):F1}\t{times[^1]:F1}\t{LoadAverage()}"));
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

    /// <summary>The first administrator through the set-up form, then two-factor enrolment: the session ends fully signed in.</summary>
    private static async Task<bool> SetUpAdministratorAsync(HttpClient http, string server, string setupUrl, string email, string password)
    {
        string form = await http.GetStringAsync(setupUrl).ConfigureAwait(false);
        Match token = AntiforgeryToken().Match(form);
        string setupToken = new Uri(setupUrl).Query.TrimStart('?').Split('&')
            .Select(p => p.Split('=', 2)).Where(p => p[0] == "token").Select(p => WebUtility.UrlDecode(p[1])).FirstOrDefault() ?? string.Empty;
        if (!token.Success || setupToken.Length == 0)
        {
            Console.Error.WriteLine("the set-up page has no form (is an administrator already set up?)");
            return false;
        }

        using (var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = setupToken,
            ["DisplayName"] = "Bench Administrator",
            ["Email"] = email,
            ["Password"] = password,
            ["Confirm"] = password,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        }))
        using (var response = await http.PostAsync(setupUrl, content).ConfigureAwait(false))
        {
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                Console.Error.WriteLine($"set-up refused: HTTP {(int)response.StatusCode} {body[..Math.Min(body.Length, 400)]}");
                return false;
            }
        }

        string enrol = await http.GetStringAsync($"{server}/account/two-factor").ConfigureAwait(false);
        Match key = AuthenticatorKey().Match(enrol);
        token = AntiforgeryToken().Match(enrol);
        if (!key.Success || !token.Success)
        {
            Console.Error.WriteLine("the two-factor page shows no key");
            return false;
        }

        using (var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Code"] = Totp(WebUtility.HtmlDecode(key.Groups[1].Value), DateTimeOffset.UtcNow),
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        }))
        using (var response = await http.PostAsync($"{server}/account/two-factor", content).ConfigureAwait(false))
        {
            string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!body.Contains("recovery-codes", StringComparison.Ordinal) && response.StatusCode != HttpStatusCode.Redirect)
            {
                Console.Error.WriteLine($"two-factor enrolment refused: HTTP {(int)response.StatusCode} {body[..Math.Min(body.Length, 400)]}");
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 6238 with the defaults authenticator apps use (SHA-1, 30 s, 6 digits) over the RFC 4648 base32 key.</summary>
    private static string Totp(string base32Key, DateTimeOffset at)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var key = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (char c in base32Key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant().TrimEnd('='))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                key.Add((byte)((buffer >> (bits - 8)) & 0xff));
                bits -= 8;
            }
        }

        long counter = at.ToUnixTimeSeconds() / 30;
        var message = new byte[8];
        for (int i = 7; i >= 0; i--, counter >>= 8)
        {
            message[i] = (byte)(counter & 0xff);
        }

        byte[] hash = System.Security.Cryptography.HMACSHA1.HashData(key.ToArray(), message);
        int offset = hash[^1] & 0x0f;
        int code = (((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3]) % 1_000_000;
        return code.ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>The 1, 5 and 15 minute load averages when the page's run ended: how busy the shared machine was.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join('/', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("id=\"authenticator-key\">([^<]+)<")]
    private static partial Regex AuthenticatorKey();
}
