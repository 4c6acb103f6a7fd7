using System.ComponentModel.DataAnnotations;
using System.Net;
using Brightline.Dns.Server;
using Brightline.WebFiltering;

using Brightline.Filtering;

using Brightline.Dns;

namespace Brightline.DnsFiltering;

/// <summary>Settings of the hosted DNS filter (section <c>Brightline:Dns</c>); the policy's <c>filtering.dns</c> supplies the rest.</summary>
public sealed class DnsHostOptions : IValidatableObject
{
    public const string Section = "Brightline:Dns";

    /// <summary>Run the DNS filter in <c>brightline serve</c> even if no policy enables it.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// False: <c>brightline serve</c> never hosts the DNS filter, because <c>brightline dns</c> runs it as
    /// its own process beside the portal (same database, same endpoints). Default true.
    /// </summary>
    public bool InPortal { get; set; } = true;

    /// <summary>Endpoints; when empty, the policy's <c>dns.listen</c>, else 127.0.0.1:5353.</summary>
    public List<string> Listen { get; set; } = [];

    /// <summary>Upstream resolvers; when empty, the policy's <c>dns.upstreams</c>, else the library default.</summary>
    public List<string> Upstreams { get; set; } = [];

    /// <summary>How long the access gate's answer for a person is reused (seconds).</summary>
    [Range(0, 3600)]
    public int GateCacheSeconds { get; set; } = 5;

    /// <summary>Seconds to wait for one upstream over UDP before trying the next.</summary>
    [Range(0.1, 60)]
    public double UpstreamTimeoutSeconds { get; set; } = 2;

    /// <summary>Seconds a DNS-over-TCP connection may wait without a complete query before it is closed (RFC 7766 §6.2.3). Default 10.</summary>
    [Range(0.1, 300)]
    public double TcpIdleTimeoutSeconds { get; set; } = 10;

    /// <summary>DNS-over-TCP connections one client address may hold open at once (RFC 7766 §6.2.2). Default 8.</summary>
    [Range(1, 10_000)]
    public int MaxTcpConnectionsPerClient { get; set; } = 8;

    /// <summary>Whether this process runs the hourly decision-log purge (deletes are idempotent, so several nodes may).</summary>
    public bool PurgeWorker { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        EndPointProblems(Listen, nameof(Listen)).Concat(EndPointProblems(Upstreams, nameof(Upstreams)));

    private static IEnumerable<ValidationResult> EndPointProblems(List<string> values, string name)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i].Trim();
            if (!IPAddress.TryParse(value, out _) && !IPEndPoint.TryParse(value, out _))
            {
                yield return new ValidationResult($"{Section}:{name}:{i} is '{value}', which is not an IP address or address:port.", [name]);
            }
        }
    }
}

/// <summary>
/// The filtering DNS server inside <c>brightline serve</c> (when configuration or a school's policy
/// enables it) or alone in <c>brightline dns</c>. Endpoints are read once at start: moving the server
/// to another address needs a restart, while profile and list changes apply within seconds.
/// </summary>
public sealed partial class DnsHost(
    DnsHostOptions options,
    FilterService filters,
    FilterDnsPolicy policy,
    DnsClientBindings bindings,
    DnsDecisionStore store,
    TimeProvider time,
    ILoggerFactory loggers) : IHostedService
{
    private readonly ILogger _logger = loggers.CreateLogger<DnsHost>();
    private DnsFilterServer? _server;
    private CancellationTokenSource? _stopping;
    private Task? _followLoop;

    /// <summary>The running server (null when DNS is not enabled).</summary>
    public DnsFilterServer? Server => _server;

    public IReadOnlyList<IPEndPoint> EndPoints => _server?.EndPoints ?? [];

    public Task StartAsync(CancellationToken cancellationToken) => StartAsync(force: false, cancellationToken);

    /// <summary>Starts the server if enabled (or <paramref name="force"/>d, for <c>brightline dns</c>).</summary>
    public async Task StartAsync(bool force, CancellationToken cancellationToken)
    {
        await filters.RefreshAsync(cancellationToken);
        var schools = filters.Schools;
        var fromPolicy = schools.FirstOrDefault(s => s.Policy.Filtering.Dns.Enabled)?.Policy.Filtering.Dns;
        if (!force && (!options.InPortal || (!options.Enabled && fromPolicy is null)))
        {
            return;
        }

        var policyDns = fromPolicy ?? schools.FirstOrDefault()?.Policy.Filtering.Dns;
        var dnsOptions = new DnsFilterOptions
        {
            UpstreamUdpTimeout = TimeSpan.FromSeconds(options.UpstreamTimeoutSeconds),
            TcpIdleTimeout = TimeSpan.FromSeconds(options.TcpIdleTimeoutSeconds),
            MaxTcpConnectionsPerClient = options.MaxTcpConnectionsPerClient,
        };
        var listen = options.Listen.Count > 0 ? options.Listen : policyDns?.Listen ?? [];
        if (listen.Count > 0)
        {
            dnsOptions.Listen = [.. listen];
        }

        var upstreams = options.Upstreams.Count > 0 ? options.Upstreams : policyDns?.Upstreams ?? [];
        if (upstreams.Count > 0)
        {
            dnsOptions.Upstreams = [.. upstreams];
        }

        // People already signed in (through a portal in another process) keep their own profile from the first query.
        await bindings.SyncAsync(cancellationToken);
        _server = new DnsFilterServer(dnsOptions, policy, store, loggers.CreateLogger<DnsFilterServer>(), time);
        await _server.StartAsync(cancellationToken);
        LogStarted(_logger, string.Join(", ", _server.EndPoints));
        _stopping = new CancellationTokenSource();
        _followLoop = FollowTheDatabaseAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is { } stopping)
        {
            await stopping.CancelAsync();
            await (_followLoop ?? Task.CompletedTask);
            stopping.Dispose();
            _stopping = null;
        }

        if (_server is { } server)
        {
            await server.StopAsync(cancellationToken);
            _server = null;
        }
    }

    /// <summary>
    /// While serving, reads what the portal stores (sign-in bindings, policy versions and overrides) every
    /// few seconds even when no query arrives, so the first query after a sign-in in another process is
    /// already answered for that person. The answer path asks for the same refreshes; each runs at most
    /// once per interval either way. Paced by the injected clock.
    /// </summary>
    private async Task FollowTheDatabaseAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(DnsClientBindings.SyncInterval, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            bindings.SyncInBackgroundIfStale();
            filters.RefreshInBackgroundIfStale();
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "DNS filter listening on {EndPoints}")]
    private static partial void LogStarted(ILogger logger, string endPoints);
}
