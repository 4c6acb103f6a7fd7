using Brightline.Data;
using Brightline.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Brightline.Testing;

/// <summary>
/// The real Brightline host on real Kestrel (loopback, free port), a real database of the chosen
/// provider, a real SMTP sink and a manual clock. Tests talk to it over HTTP like any client. The one host
/// fixture of the integration and the browser tests (compiled into both projects).
/// </summary>
public sealed class BrightlineServer : IAsyncDisposable
{
    public const string ApiKey = "test-api-key-0123456789abcdef";

    private BrightlineServer(WebApplication app, FakeTimeProvider clock, SmtpSink smtp, Uri baseAddress, DatabaseProvider provider)
    {
        _app = app;
        Clock = clock;
        Smtp = smtp;
        BaseAddress = baseAddress;
        Provider = provider;
    }

    private WebApplication _app;

    /// <summary>Set by <see cref="StartAgainAsync"/>, so a restart can reuse the database and the port.</summary>
    private Func<Task<WebApplication>>? _startAgain;

    private bool _stopped;

    private string? _connectionString;

    public WebApplication App => _stopped ? throw new InvalidOperationException("The server is stopped; StartAgainAsync starts it again.") : _app;

    public IServiceProvider Services => App.Services;

    public FakeTimeProvider Clock { get; }

    public SmtpSink Smtp { get; }

    public Uri BaseAddress { get; }

    public DatabaseProvider Provider { get; }

    /// <summary>Starts at <paramref name="now"/> (default: Wednesday 25 November 2026, 10:00 UTC — term time).</summary>
    public static async Task<BrightlineServer> StartAsync(
        DatabaseProvider provider,
        DateTimeOffset? now = null,
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var clock = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var smtp = await SmtpSink.StartAsync();
        try
        {
            return await StartWithAsync(provider, clock, smtp, settings, configure);
        }
        catch
        {
            // A server that fails to start (bad settings, missing repository) must not leave its smtp-sink running.
            await smtp.DisposeAsync();
            throw;
        }
    }

    private static async Task<BrightlineServer> StartWithAsync(
        DatabaseProvider provider,
        FakeTimeProvider clock,
        SmtpSink smtp,
        IDictionary<string, string?>? settings,
        Action<WebApplicationBuilder>? configure)
    {
        var connectionString = await TestDatabases.CreateAsync(provider);
        var config = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Brightline:Database:Provider"] = provider == DatabaseProvider.Postgres ? "postgres" : "sqlite",
            ["Brightline:Database:ConnectionString"] = connectionString,
            ["Brightline:Email:SmtpHost"] = "127.0.0.1",
            ["Brightline:Email:SmtpPort"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Brightline:Email:From"] = "brightline@school.test",
            ["Brightline:Api:Keys:0"] = ApiKey,
            ["Brightline:Demo:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            // Every test client comes from 127.0.0.1, so the per-address limits would meet each other across a
            // test's many sign-ins; SecurityTests sets the real limits where it tests them.
            ["Brightline:RateLimits:SignInPerMinute"] = "100000",
            ["Brightline:RateLimits:PublicLinksPerMinute"] = "100000",
            // The hourly policy-review reminder would email the head in any test that moves the clock on by an hour
            // (the demo policy's review date is past); PolicyReviewTests turns it on.
            ["Brightline:PolicyReviews:RemindOwners"] = "false",
        };
        if (settings is not null)
        {
            foreach (var (k, v) in settings)
            {
                config[k] = v;
            }
        }

        async Task<WebApplication> StartHostAsync(string urls)
        {
            var app = PortalHost.Build(["--urls", urls], builder =>
            {
                builder.Configuration.AddInMemoryCollection(config);
                builder.Services.AddSingleton<TimeProvider>(clock);
                configure?.Invoke(builder);
            });
            await PortalHost.PrepareDatabaseAsync(app.Services, CancellationToken.None);
            await app.StartAsync();
            return app;
        }

        var first = await StartHostAsync("http://127.0.0.1:0");
        var address = first.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var server = new BrightlineServer(first, clock, smtp, new Uri(address), provider);
        server._startAgain = () => StartHostAsync(address);
        server._connectionString = connectionString;
        // The emailed links must point at this server.
        return server;
    }

    /// <summary>
    /// Stops the host as a crash or a restart would (clients then cannot connect), keeping its database and SMTP sink,
    /// until <see cref="StartAgainAsync"/>.
    /// </summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Starts a new host on the same port, database, clock and SMTP sink after <see cref="StopAsync"/>.</summary>
    public async Task StartAgainAsync()
    {
        if (!_stopped)
        {
            throw new InvalidOperationException("The server is running.");
        }

        _app = await _startAgain!();
        _stopped = false;
    }

    /// <summary>The absolute address of <paramref name="path"/> on this server (for a browser).</summary>
    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>An HTTP client for this server (cookies kept, redirects not followed so tests can see them).</summary>
    public HttpClient CreateClient(bool followRedirects = false)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true, CookieContainer = new System.Net.CookieContainer() };
        return new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    /// <summary>An HTTP client authenticated with the API key.</summary>
    public HttpClient CreateApiClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    /// <summary>A scope for arranging data directly (services and DbContext of the running host).</summary>
    public AsyncServiceScope CreateScope() => Services.CreateAsyncScope();

    public async ValueTask DisposeAsync()
    {
        // Every server has its own PostgreSQL database, so its pooled connections are never reused after it stops;
        // close them now rather than after the pool's idle lifetime, or a long run exhausts the server's connections.
        var connectionString = _connectionString;
        if (!_stopped)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await Smtp.DisposeAsync();
        if (Provider == DatabaseProvider.Postgres && connectionString is not null)
        {
            await using var connection = new Npgsql.NpgsqlConnection(connectionString);
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }
    }
}
