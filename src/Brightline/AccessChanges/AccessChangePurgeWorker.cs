using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.AccessChanges;

/// <summary>Deletes change rows older than <see cref="AccessChangeOptions.Retention"/> every hour: they are notices, read within seconds.</summary>
public sealed class AccessChangePurgeWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<AccessChangePurgeWorker> logger)
    : PeriodicWorker(scopes, time, logger)
{
    protected override TimeSpan Every => TimeSpan.FromHours(1);

    protected override string PassName => "The access-change purge";

    protected override Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        PurgeAsync(services.GetRequiredService<BrightlineDbContext>(), Time.GetUtcNow(), cancellationToken);

    public static Task<int> PurgeAsync(BrightlineDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now - AccessChangeOptions.Retention;
        return db.AccessChanges.Where(c => c.At < before).ExecuteDeleteAsync(cancellationToken);
    }
}
