using Brightline.Data;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Agreements;

/// <summary>
/// Issue 18 part 1: once an hour by the injected clock, brings every school's stored standings up to date when their
/// stamp no longer matches (a new academic year began, an official-capacity approval started or ended, a policy was
/// activated), so the first reader after the change does not pay for it. Readers check the stamp too, so missing a pass
/// costs time, never a wrong answer.
/// </summary>
public sealed class AgreementStandingsWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<AgreementStandingsWorker> logger)
    : PeriodicWorker(scopes, time, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override TimeSpan Every => Interval;

    protected override string PassName => "The agreement standings refresh";

    protected override async Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<BrightlineDbContext>();
        var schools = await db.PolicyVersions.AsNoTracking().Where(v => v.IsActive).Select(v => v.SchoolId).Distinct().ToListAsync(cancellationToken);
        foreach (var school in schools)
        {
            await services.GetRequiredService<AgreementStandings>().EnsureFreshAsync(school, cancellationToken);
        }
    }
}
