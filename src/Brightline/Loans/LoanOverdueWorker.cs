using Brightline.Kernel;

namespace Brightline.Loans;

/// <summary>Runs the end-of-day overdue check every five minutes by the injected clock (UK day ends are per school).</summary>
public sealed class LoanOverdueWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<LoanOverdueWorker> logger)
    : PeriodicWorker(scopes, time, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override TimeSpan Every => Interval;

    protected override string PassName => "The loan book's overdue check";

    protected override Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<LoanOverdue>().NotifyAsync(cancellationToken);
}
