using Microsoft.Playwright;

namespace Brightline.EndToEnd.Infrastructure;

/// <summary>
/// How the portal's browser tests start Debian's Chromium (never a downloaded browser: <c>playwright install</c> is not
/// used): headless, no sandbox (the tests run as root in CI) and no background traffic to Google. One place, so every
/// portal browser test runs the same browser the same way.
/// </summary>
public static class PortalBrowser
{
    public static BrowserTypeLaunchOptions LaunchOptions() => new()
    {
        ExecutablePath = Environment.GetEnvironmentVariable("BRIGHTLINE_CHROMIUM") ?? "/usr/bin/chromium",
        Headless = true,
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    };
}
