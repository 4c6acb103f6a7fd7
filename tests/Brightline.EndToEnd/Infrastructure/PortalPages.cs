using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Brightline.EndToEnd.Infrastructure;

/// <summary>
/// What the browser suites do to reach and judge a portal page: an enrolled account, a two-factor sign-in, and the
/// checks every page must pass — axe-core clean (no serious or critical violation) and, on a 390 px phone, nothing
/// reaching past the right edge except inside a table's own scrolling region.
/// </summary>
internal static partial class PortalPages
{
    public const string Password = "correct horse battery staple";

    /// <summary>An account of <paramref name="role"/>, enrolled in two-factor sign-in (some roles need it); returns its authenticator key.</summary>
    public static async Task<string> CreateAccountAsync(BrightlineServer server, string school, string email, string role, Guid? personId = null)
    {
        await using var scope = server.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email };
        var created = await users.CreateAsync(user, Password);
        created.Succeeded.ShouldBeTrue(string.Join("; ", created.Errors.Select(e => e.Description)));
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        db.SchoolMemberships.Add(new SchoolMembership { UserId = user.Id, SchoolId = school, Role = role, PersonId = personId });
        await db.SaveChangesAsync();
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }

    public static async Task SignInAsync(IPage page, BrightlineServer server, string email, string key)
    {
        await page.GotoAsync(server.Url("/account/login"));
        await page.GetByLabel("Email address").FillAsync(email);
        await page.Locator("#Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync(new Regex("/account/login-2fa"));
        }
        catch (TimeoutException ex)
        {
            // Seen once under load in a clean-clone run and not since: say what the page said instead of only "timeout".
            var said = await page.Locator("main").InnerTextAsync(new() { Timeout = 5000 });
            throw new TimeoutException($"Signing in as {email} did not reach the security code page; {page.Url} says: {said}", ex);
        }

        await page.GetByLabel("Security code", new() { Exact = false }).FillAsync(Totp(key, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
    }

    /// <summary>
    /// axe-core's serious and critical violations on the page as it stands, each with the page's name. The script is
    /// evaluated over the DevTools protocol, which no page's content security policy governs — the portal's, or the
    /// browser extension's own pages (script-src 'self').
    /// </summary>
    public static async Task AccessibilityAsync(IPage page, string name, List<string> violations)
    {
        var axe = Path.Combine(RepositoryRoot.Path, "tests", "Brightline.EndToEnd", "node_modules", "axe-core", "axe.min.js");
        File.Exists(axe).ShouldBeTrue("axe-core is missing: run `npm install` in tests/Brightline.EndToEnd");
        await page.EvaluateAsync(await File.ReadAllTextAsync(axe));
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await axe.run(document, { resultTypes: ['violations'] });
              return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }));
            }
            """);
        foreach (var v in json.EnumerateArray())
        {
            violations.Add($"{name} ({page.Url}): {v.GetProperty("impact").GetString()} {v.GetProperty("id").GetString()} — {v.GetProperty("help").GetString()} at {string.Join(", ", v.GetProperty("targets").EnumerateArray().Select(t => t.GetString()))}");
        }
    }

    /// <summary>The page fits the viewport's width: any element reaching past the right edge (outside a table's own scrolling region) is recorded.</summary>
    public static async Task FitsWidthAsync(IPage page, string name, List<string> violations)
    {
        var wider = await page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('body *')]
              .filter(e => !e.closest('.table-scroll') && e.getBoundingClientRect().right > window.innerWidth + 1)
              .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right))
              .slice(0, 8).join(', ')
            """);
        if (wider.Length > 0 || !await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"))
        {
            var width = await page.EvaluateAsync<int>("() => window.innerWidth");
            if (wider.Length == 0)
            {
                // Nothing outside a scrolling region reaches past the edge, yet the page scrolls: name what lies furthest right.
                wider = await page.EvaluateAsync<string>("""
                    () => 'page ' + document.documentElement.scrollWidth + ' px; furthest right: ' + [...document.querySelectorAll('body *')]
                      .map(e => [e, e.getBoundingClientRect().right]).sort((a, b) => b[1] - a[1]).slice(0, 5)
                      .map(([e, r]) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' + Math.round(r)).join(', ')
                    """);
            }

            violations.Add($"{name} ({page.Url}): wider than a {width} px screen: {wider}");
        }

        // Issue 17, defect 5: a text box written without a type was unstyled, 21 px tall — too small to tap on a phone.
        var small = await page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main textarea')]
              .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 30)
              .map(e => (e.id || e.name || e.tagName.toLowerCase()) + ' ' + Math.round(e.getBoundingClientRect().height) + ' px')
              .slice(0, 8).join(', ')
            """);
        if (small.Length > 0)
        {
            violations.Add($"{name} ({page.Url}): form controls under 30 px tall: {small}");
        }
    }

    /// <summary>RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) from the base32 authenticator key.</summary>
    public static string Totp(string base32Key, DateTimeOffset at)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in base32Key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant().TrimEnd('='))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)((buffer >> (bits - 8)) & 0xff));
                bits -= 8;
            }
        }

        var counter = at.ToUnixTimeSeconds() / 30;
        var message = new byte[8];
        for (var i = 7; i >= 0; i--, counter >>= 8)
        {
            message[i] = (byte)(counter & 0xff);
        }

        var hash = HMACSHA1.HashData(bytes.ToArray(), message);
        var offset = hash[^1] & 0x0f;
        var code = (((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3]) % 1_000_000;
        return code.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }
}
