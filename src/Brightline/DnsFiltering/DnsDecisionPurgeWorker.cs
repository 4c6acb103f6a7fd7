using Brightline.Audit;
using Brightline.Data;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

using Brightline.Filtering;

using Brightline.Dns;

namespace Brightline.DnsFiltering;

/// <summary>Runs <see cref="DnsDecisionRetention"/> every hour by the injected clock.</summary>
public sealed class DnsDecisionPurgeWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<DnsDecisionPurgeWorker> logger)
    : PeriodicWorker(scopes, time, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override TimeSpan Every => Interval;

    protected override string PassName => "The DNS decision-log purge";

    protected override Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<DnsDecisionRetention>().PurgeAsync(cancellationToken);
}
