using System.Threading.Channels;
using Brightline.Data.Entities;
using Brightline.Kernel;

namespace Brightline.Email;

/// <summary>
/// Wakes the outbox worker as soon as queued email is committed, so nobody waits for the next poll. At most one
/// wake-up is kept: ten commits while the worker is busy mean one more pass, which sends all ten.
/// </summary>
public sealed class EmailOutboxSignal
{
    private readonly Channel<bool> _wakeUps = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _wakeUps.Writer.TryWrite(true);

    /// <summary>Waits for a wake-up or until <paramref name="timeout"/> passes on <paramref name="time"/>'s clock, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await _wakeUps.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed.
        }
    }
}
