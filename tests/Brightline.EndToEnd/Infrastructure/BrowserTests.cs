using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Brightline.EndToEnd.Infrastructure;

/// <summary>
/// A browser suite's Chromium: Debian's, headless, started before the class's tests and closed after
/// (<see cref="PortalBrowser.LaunchOptions"/>). A read after a click retries until the next page shows it (Expect), for up
/// to 15 s on a busy machine, rather than reading the page the click is leaving.
/// </summary>
public abstract class BrowserTests : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    protected IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser starts in InitializeAsync.");

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(PortalBrowser.LaunchOptions());
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
