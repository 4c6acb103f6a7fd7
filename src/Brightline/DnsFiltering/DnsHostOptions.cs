using System.ComponentModel.DataAnnotations;
using System.Net;

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

    /// <summary>
    /// Decisions written to the log in one transaction (SQLite) or one COPY (PostgreSQL). A batch's fixed cost (the
    /// transaction, the commit's write) is shared by its rows, so a busy node writes fewer, larger batches.
    /// </summary>
    [Range(1, 100_000)]
    public int DecisionLogBatchSize { get; set; } = 500;

    /// <summary>
    /// Longest a decision waits in memory before it is written, in milliseconds: the log page is this late at most. A
    /// quiet node writes one batch per interval instead of a transaction per query. A second, not less: each batch's
    /// transaction is a fixed cost, and at 1,000 queries/s five batches a second cost the DNS process more CPU per
    /// query than one (issue 18 part 5, docs/benchmarks.md); nobody reads the log within a second of a query.
    /// </summary>
    [Range(0, 60_000)]
    public int DecisionLogFlushMilliseconds { get; set; } = 1000;

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
