using System.Security.Cryptography;
using System.Text;
using Brightline.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Brightline.EndToEnd.Infrastructure;

/// <summary>
/// Debian's Chromium with the built extension (clients/chrome/dist) loaded, in a throw-away profile (a persistent
/// context, new headless mode), with the test host names mapped to loopback by <c>--host-resolver-rules</c> and the
/// local HTTPS site's self-signed certificate accepted in this browser only. Disposing closes the browser and
/// removes the profile. The extension tests share it, and the waits they all make.
/// </summary>
public sealed class ExtensionBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly DirectoryInfo _profile;

    private ExtensionBrowser(IPlaywright playwright, DirectoryInfo profile, IBrowserContext context, string extensionId)
    {
        _playwright = playwright;
        _profile = profile;
        Context = context;
        ExtensionId = extensionId;
    }

    public IBrowserContext Context { get; }

    /// <summary>The unpacked extension's ID, for its pages' <c>chrome-extension://</c> addresses.</summary>
    public string ExtensionId { get; }

    /// <summary>Where test.sh builds the extension; fails with how to build it when it is missing.</summary>
    public static string Dist()
    {
        var dist = Path.Combine(E2eServer.RepoRoot(), "clients", "chrome", "dist");
        File.Exists(Path.Combine(dist, "manifest.json")).ShouldBeTrue($"Build the extension first: (cd clients/chrome && npm ci && npm run build); test.sh does. Looked in {dist}.");
        return dist;
    }

    /// <summary>Launches Chromium with the extension; <paramref name="hostNames"/> are resolved to 127.0.0.1.</summary>
    public static async Task<ExtensionBrowser> LaunchAsync(IEnumerable<string> hostNames, ViewportSize? viewport = null)
    {
        var dist = Dist();
        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("brightline-chrome-");
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Environment.GetEnvironmentVariable("BRIGHTLINE_CHROMIUM") ?? "/usr/bin/chromium",
                // New headless mode is passed by hand: extensions need it, and Playwright's own flag would add the old one.
                Headless = false,
                IgnoreDefaultArgs = ["--disable-extensions"],
                Locale = "en-GB",
                ViewportSize = viewport,
                Args =
                [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    $"--disable-extensions-except={dist}", $"--load-extension={dist}",
                    "--host-resolver-rules=" + string.Join(", ", hostNames.Select(h => $"MAP {h} 127.0.0.1")),
                    "--ignore-certificate-errors",
                ],
            });
            return new ExtensionBrowser(playwright, profile, context, UnpackedExtensionId(dist));
        }
        catch
        {
            playwright.Dispose();
            DeleteProfile(profile);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        _playwright.Dispose();
        DeleteProfile(_profile);
    }

    /// <summary>Chromium's ID for an unpacked extension: the first 128 bits of the SHA-256 of its absolute path, each nibble written as a letter a–p.</summary>
    public static string UnpackedExtensionId(string path)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(path)));
        return string.Concat(hash.Take(16).SelectMany(b => new[] { (char)('a' + (b >> 4)), (char)('a' + (b & 0xF)) }));
    }

    /// <summary>Polls the database (every 200 ms, for at most 30 seconds) until <paramref name="query"/> finds something.</summary>
    public static async Task<T?> WaitForAsync<T>(E2eServer server, Func<BrightlineDbContext, Task<T?>> query)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using (var scope = server.App.Services.CreateAsyncScope())
            {
                if (await query(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>()) is { } found)
                {
                    return found;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                return null;
            }

            await Task.Delay(200);
        }
    }

    private static void DeleteProfile(DirectoryInfo profile)
    {
        try
        {
            profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its profile as it exits; the temporary folder is left for the system to clear.
        }
    }
}
