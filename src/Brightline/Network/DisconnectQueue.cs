using System.Threading.Channels;
using Brightline.AccessChanges;

namespace Brightline.Network;

/// <summary>
/// Hears every access change and queues it for <see cref="DisconnectWorker"/>, off the committing request's thread.
/// Changes that only move an address binding (a portal sign-in or sign-out — which RADIUS accounting itself publishes)
/// are not queued: they change nobody's answer, and reacting to accounting's own changes would loop. Only a process
/// running the worker (<c>brightline serve</c>) queues anything, so a separate <c>brightline dns</c>, which hears the
/// same changes, sends no second Disconnect-Request. The queue is bounded; a change that finds it full is dropped and
/// logged (the session then ends at its Session-Timeout, as before Disconnect-Request existed).
/// </summary>
public sealed partial class DisconnectQueue(ILogger<DisconnectQueue> logger) : IAccessChangeSubscriber
{
    public const int Capacity = 10_000;

    private readonly Channel<DisconnectWork> _work = Channel.CreateBounded<DisconnectWork>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private volatile bool _running;
    private int _pending;

    /// <summary>Changes queued or being worked on (tests wait for zero before asserting what FreeRADIUS repeats).</summary>
    internal int Pending => Volatile.Read(ref _pending);

    /// <summary>The worker has finished with one change (done, or queued again for a retry).</summary>
    internal void Finished() => Interlocked.Decrement(ref _pending);

    /// <summary>Set by the worker while it runs: only then are changes queued.</summary>
    internal bool Running
    {
        get => _running;
        set => _running = value;
    }

    internal ChannelReader<DisconnectWork> Reader => _work.Reader;

    public void OnChanged(AccessChange change)
    {
        if (!_running || change.Reason is AccessChangeReasons.SignedIn or AccessChangeReasons.SignedOut)
        {
            return;
        }

        if (!TryQueue(new DisconnectWork(change, 1)))
        {
            LogFull(logger, change.Reason);
        }
    }

    /// <summary>Queues a change again for another try; false when the queue is full.</summary>
    internal bool Retry(DisconnectWork work) => TryQueue(work with { Attempt = work.Attempt + 1 });

    /// <summary>Queues the work and counts it as pending (<see cref="Pending"/>); false, counting nothing, when the queue is full.</summary>
    private bool TryQueue(DisconnectWork work)
    {
        Interlocked.Increment(ref _pending);
        if (_work.Writer.TryWrite(work))
        {
            return true;
        }

        Interlocked.Decrement(ref _pending);
        return false;
    }

    [LoggerMessage(EventId = 13012, Level = LogLevel.Warning, Message = "The Disconnect-Request queue is full; an access change ({Reason}) reaches the network at the sessions' Session-Timeout instead.")]
    private static partial void LogFull(ILogger logger, string reason);
}
