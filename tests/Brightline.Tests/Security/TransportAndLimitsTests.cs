using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Portal;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Security;

/// <summary>Issue 10 items 10, 13 and 14: cookie-borne API writes, rate limits and the countersign name check, TLS and proxies.</summary>
public sealed class TransportAndLimitsTests
{
    /// <summary>Item 10: a cookie and a text/plain body, with no antiforgery token, could chase every parent.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ApiWrite_WithCookieButNoAntiforgeryToken_IsRefusedAndChangesNothing(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        using var head = await SignInWithTwoFactorAsync(server, "head@school.test", PortalRoles.Head);

        var forged = await head.PostAsync("/api/v1/agreements/chase", new StringContent("x", Encoding.UTF8, "text/plain"));
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        forged.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await forged.Content.ReadAsStringAsync()).ShouldContain("antiforgery");
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            (await db.AuditEntries.CountAsync(e => e.Action == "countersign-link-sent")).ShouldBe(0);
        }

        // The portal's own script would send the header from a page: that is accepted.
        var (_, page) = await GetAsync(head, "/account/password");
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var withToken = new HttpRequestMessage(HttpMethod.Post, "/api/v1/agreements/chase");
        withToken.Headers.Add("RequestVerificationToken", token);
        (await head.SendAsync(withToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // A machine with the API key has no cookie to borrow and needs no token.
        using var machine = server.CreateApiClient();
        (await machine.PostAsync("/api/v1/agreements/chase", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>Item 13: 3,000 sign-in and countersign guesses in 2.6 s were each answered.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SignInAndCountersign_OverTheLimit_Get429WithAFriendlyPage(DatabaseProvider provider)
    {
        var defaults = new RateLimitOptions();
        await using var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Brightline:RateLimits:SignInPerMinute"] = defaults.SignInPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Brightline:RateLimits:PublicLinksPerMinute"] = defaults.PublicLinksPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await TestSchool.LoadPolicyAsync(server);
        using var client = server.CreateClient();

        for (var i = 0; i < defaults.PublicLinksPerMinute; i++)
        {
            (await client.GetAsync($"/countersign/guess-{i:D4}")).StatusCode.ShouldBe(HttpStatusCode.Gone);
        }

        var refused = await client.GetAsync("/countersign/guess-last");
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Too many tries");

        var (_, login) = await GetAsync(client, "/account/login");
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = login.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
            ["Email"] = "someone@school.test",
            ["Password"] = "a guess",
        };
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i <= defaults.SignInPerMinute; i++)
        {
            answers.Add((await client.PostAsync("/account/login", new FormUrlEncodedContent(form))).StatusCode);
        }

        answers.Take(defaults.SignInPerMinute).ShouldAllBe(s => s == HttpStatusCode.OK);
        answers[^1].ShouldBe(HttpStatusCode.TooManyRequests);
        // Reading the sign-in page is never limited: a class signing in together must still see it.
        (await client.GetAsync("/account/login")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>Item 13: the countersign name check said the name it expected.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Countersign_WrongName_DoesNotRevealTheExpectedName(DatabaseProvider provider)
    {
        await using var server = await TestSchool.StartWithPupilsAsync(provider);
        var noah = await TestSchool.PersonAsync(server, "A002");
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AgreementService>().SendCountersignLinkAsync(TestSchool.Id, noah.Id, "ks1-pupil", "test", CancellationToken.None);
        }

        var message = Brightline.Tests.Agreements.CountersignTests.DecodeBody(
            await server.Smtp.WaitForAsync(m => m.Contains("sarah.jones@parents.test", StringComparison.OrdinalIgnoreCase)));
        var path = new Uri(Brightline.Tests.Agreements.CountersignTests.LinkPattern().Match(message).Value).PathAndQuery;
        using var client = server.CreateClient();
        var (_, page) = await GetAsync(client, path);
        var answer = await SubmitAsync(client, page, path, new Dictionary<string, string> { ["SignedName"] = "Someone Else" });
        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await answer.Content.ReadAsStringAsync();
        html.ShouldContain("does not match");
        html.ShouldNotContain("Sarah Jones");
        html.ShouldNotContain("Sarah");
    }

    /// <summary>Item 14: behind a trusted TLS proxy, cookies are Secure, HSTS is sent and the client's real address is recorded.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task BehindTrustedProxy_ForwardedHttps_SecureCookiesHstsAndRealClientAddress(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Brightline:Https:TrustedProxies:0"] = "127.0.0.1",
        });
        await TestSchool.LoadPolicyAsync(server);
        await CreateUserAsync(server, "office@school.test", PortalRoles.BusinessManager);
        // The proxy speaks HTTP to the portal, so cookies are carried by hand: a client's cookie jar would
        // (rightly) not send a Secure cookie over plain HTTP, as a browser never would.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");

        var page = await client.GetAsync("/account/login");
        page.Headers.TryGetValues("Strict-Transport-Security", out var hsts).ShouldBeTrue(page.Headers.ToString());
        hsts!.Single().ShouldBe("max-age=31536000");
        var cookies = page.Headers.GetValues("Set-Cookie").ToList();
        cookies.ShouldAllBe(c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        var form = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync());
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
                ["Email"] = "office@school.test",
                ["Password"] = Password,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        var signedIn = await client.SendAsync(post);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("brightline=", StringComparison.Ordinal)).ShouldContain("secure", Case.Insensitive);

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.AuditEntries.Where(e => e.Action == "sign-in").Select(e => e.ClientAddress).SingleAsync()).ShouldBe("203.0.113.7");
    }

    /// <summary>Item 14: with no proxy configured, anyone could otherwise claim HTTPS or another address by sending the headers.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task NoTrustedProxy_ForwardedHeadersFromTheClient_AreIgnored(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await CreateUserAsync(server, "office@school.test", PortalRoles.BusinessManager);
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");

        var page = await client.GetAsync("/account/login");
        page.Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
        page.Headers.GetValues("Set-Cookie").ShouldAllBe(c => !c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        (await LoginAsync(client, "office@school.test")).ShouldRedirectTo("/");
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.AuditEntries.Where(e => e.Action == "sign-in").Select(e => e.ClientAddress).SingleAsync()).ShouldBe("127.0.0.1");
    }

    /// <summary>Item 14: serving TLS directly from a certificate file, with HTTP redirected to HTTPS when HTTPS is required.</summary>
    [Fact]
    public async Task DirectTls_CertificateFromPemFiles_ServesHttpsWithHstsAndRedirectsHttp()
    {
        var directory = Directory.CreateTempSubdirectory("brightline-tls-");
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certPath = Path.Combine(directory.FullName, "portal.crt");
        var keyPath = Path.Combine(directory.FullName, "portal.key");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, rsa.ExportPkcs8PrivateKeyPem());

        await using var server = await BrightlineServer.StartAsync(DatabaseProvider.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = certPath,
            ["Kestrel:Endpoints:Https:Certificate:KeyPath"] = keyPath,
            ["Brightline:Https:Require"] = "true",
        });
        var addresses = server.App.Urls.ToList();
        var httpsAddress = new Uri(addresses.Single(a => a.StartsWith("https:", StringComparison.Ordinal)));
        var httpAddress = new Uri(addresses.Single(a => a.StartsWith("http:", StringComparison.Ordinal)));
        using var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null && presented.Thumbprint == certificate.Thumbprint,
        };
        using var https = new HttpClient(handler) { BaseAddress = httpsAddress };

        var page = await https.GetAsync("/account/login");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Headers.GetValues("Strict-Transport-Security").Single().ShouldStartWith("max-age=");
        page.Headers.GetValues("Set-Cookie").ShouldAllBe(c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));

        using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = httpAddress };
        var redirected = await plain.GetAsync("/account/login");
        ((int)redirected.StatusCode).ShouldBeOneOf(307, 308);
        redirected.Headers.Location!.ToString().ShouldBe($"https://127.0.0.1:{httpsAddress.Port}/account/login");
        directory.Delete(recursive: true);
    }

}
