using Brightline.Kernel;

namespace Brightline.PolicyReviews;

/// <summary>Checks every school's review date once an hour (a reminder is at most a day's stage, so an hour is prompt enough).</summary>
public sealed class PolicyReviewReminderWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<PolicyReviewReminderWorker> logger)
    : PeriodicWorker(scopes, time, logger)
{
    protected override TimeSpan Every => TimeSpan.FromHours(1);

    protected override string PassName => "The policy review reminder";

    protected override Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<PolicyReviewLog>().RemindAsync(cancellationToken);
}
