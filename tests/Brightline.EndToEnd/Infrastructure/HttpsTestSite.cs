using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Brightline.EndToEnd.Infrastructure;

/// <summary>
/// Stands in for the web: one HTTPS server on loopback (Kestrel, a self-signed certificate made for the test) that
/// answers every host name Chromium's <c>--host-resolver-rules</c> points at it with a page naming that host
/// (and, at <c>/write</c>, a textarea and a password field; at <c>/search</c>, a results page titled with the query;
/// at <c>/frame?src=…</c>, a page framing that address). Every request is recorded (<see cref="Requests"/>), with the
/// <c>YouTube-Restrict</c> header the extension's rules add.
/// </summary>
public sealed class HttpsTestSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpsTestSite(WebApplication app, int port, System.Collections.Concurrent.ConcurrentQueue<(string, string, string?)> requests)
    {
        _app = app;
        Port = port;
        Requests = requests;
    }

    public int Port { get; }

    /// <summary>Every request this site answered, in order: host, path and query, and the YouTube-Restrict header (or null).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(string Host, string PathAndQuery, string? YouTubeRestrict)> Requests { get; }

    /// <summary>The address of <paramref name="host"/> on this site, as the browser is to open it.</summary>
    public string Url(string host, string path = "/") => $"https://{host}:{Port}{path}";

    public static async Task<HttpsTestSite> StartAsync()
    {
        var certificate = SelfSigned();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(certificate)));
        var app = builder.Build();
        var requests = new System.Collections.Concurrent.ConcurrentQueue<(string, string, string?)>();
        app.Run(async context =>
        {
            requests.Enqueue((context.Request.Host.Host, context.Request.Path + context.Request.QueryString, context.Request.Headers["YouTube-Restrict"].FirstOrDefault()));
            var host = WebUtility.HtmlEncode(context.Request.Host.Host);
            context.Response.ContentType = "text/html; charset=utf-8";
            // /write: a form with a textarea and a password field, for the typed-text capture.
            var form = context.Request.Path == "/write"
                ? "<form><label>Message <textarea id=\"message\"></textarea></label><label>Password <input type=\"password\" id=\"password\"></label></form>"
                : context.Request.Path == "/frame" && context.Request.Query["src"].FirstOrDefault() is { } src
                    ? $"<iframe id=\"frame\" title=\"Embedded page\" src=\"{WebUtility.HtmlEncode(src)}\"></iframe>"
                    : "";
            // /search?q=… (Google's, Bing's, DuckDuckGo's parameter) or ?p=… (Yahoo's): a results page titled with the query, as search engines do.
            var query = context.Request.Path == "/search" ? (string?)context.Request.Query["q"] ?? (string?)context.Request.Query["p"] : null;
            var title = query is null ? $"Test site {host}" : $"{WebUtility.HtmlEncode(query)} - Search results";
            await context.Response.WriteAsync($"<!doctype html><html lang=\"en-GB\"><head><title>{title}</title></head><body><h1 id=\"site\">Test site {host}</h1>{form}</body></html>");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpsTestSite(app, new Uri(address).Port, requests);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=brightline-test-site", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Kestrel needs the private key in a form it can use on every platform: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
