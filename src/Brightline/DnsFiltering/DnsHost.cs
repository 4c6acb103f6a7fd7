using System.Net;
using Brightline.ClientBindings;
using Brightline.Dns.Server;
using Brightline.WebFiltering;

namespace Brightline.DnsFiltering;

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
    ILoggerFactory loggers) : IHostedService, IAsyncDisposable
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
            DecisionLogBatchSize = options.DecisionLogBatchSize,
            DecisionLogFlushInterval = TimeSpan.FromMilliseconds(options.DecisionLogFlushMilliseconds),
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
        LogStarted(_logger, _server.EndPoints);
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

    public async ValueTask DisposeAsync()
    {
        _stopping?.Dispose();
        await (_server?.DisposeAsync() ?? ValueTask.CompletedTask);
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
    private static partial void LogStarted(ILogger logger, IReadOnlyList<IPEndPoint> endPoints);
}
