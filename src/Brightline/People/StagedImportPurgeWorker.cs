using System.Security.Cryptography;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Brightline.People;

/// <summary>Deletes expired staged imports every minute by the injected clock. Every process may run it: the delete is idempotent.</summary>
public sealed class StagedImportPurgeWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<StagedImportPurgeWorker> logger)
    : PeriodicWorker(scopes, time, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override TimeSpan Every => Interval;

    protected override string PassName => "The staged imports purge";

    protected override Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<ImportStaging>().PurgeExpiredAsync(cancellationToken);
}
