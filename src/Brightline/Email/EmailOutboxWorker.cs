using Brightline.Kernel;
using Microsoft.Extensions.Options;

namespace Brightline.Email;

/// <summary>Runs <see cref="EmailOutboxDispatcher"/> every few seconds, and at once when queued email is committed.</summary>
public sealed class EmailOutboxWorker(
    IServiceScopeFactory scopes, TimeProvider time, EmailOutboxDispatcher dispatcher, EmailOutboxSignal signal, IOptions<EmailOptions> options, ILogger<EmailOutboxWorker> logger)
    : PeriodicWorker(scopes, time, logger)
{
    protected override TimeSpan Every => TimeSpan.FromSeconds(Math.Max(1, options.Value.PollSeconds));

    protected override string PassName => "The email outbox";

    /// <summary>Every node sends: the dispatcher claims each message before sending it, so no message goes twice.</summary>
    protected override string? LeaseName => null;

    private bool _started;

    protected override Task WaitForNextPassAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            // The first pass runs at once: whatever a stopped or crashed process committed and never sent goes now.
            _started = true;
            return Task.CompletedTask;
        }

        return signal.WaitAsync(Every, Time, cancellationToken);
    }

    protected override async Task RunPassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        await dispatcher.DeliverDueAsync(cancellationToken);
}
