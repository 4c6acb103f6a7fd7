namespace Brightline.LostProperty;

/// <summary>Hourly: lists found devices whose hold has ended for disposal and reminds each school's remind roles once (H15).</summary>
public sealed class LostPropertyWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<LostPropertyWorker> logger)
    : Kernel.PeriodicWorker(scopes, time, logger)
{
    protected override TimeSpan Every => TimeSpan.FromHours(1);

    protected override string PassName => "The lost-property disposal reminder";

    protected override Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<LostPropertyService>().RemindAllDueAsync(cancellationToken);
}
