using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.AccessChanges;

/// <summary>
/// Publishing, and telling this process's subscribers. Subscribers are resolved on first use, not at
/// construction: the DbContext's interceptor needs this hub, and a subscriber (the DNS filter) needs DbContexts.
/// </summary>
public sealed partial class AccessChangeHub(IServiceProvider services, TimeProvider time, ILogger<AccessChangeHub> logger) : IAccessChanges
{
    /// <summary>Ids told here at commit, so the reader does not tell them again; bounded.</summary>
    private readonly ConcurrentDictionary<long, byte> _toldAtCommit = new();
    private IAccessChangeSubscriber[]? _subscribers;

    public void Publish(BrightlineDbContext db, string schoolId, Guid? personId, string reason)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(schoolId);
        db.AccessChanges.Add(new AccessChangeRecord { SchoolId = schoolId, PersonId = personId, Reason = reason, At = StoredTime.Now(time) });
    }

    /// <summary>Tells this process's subscribers of changes committed here.</summary>
    internal void TellCommitted(IEnumerable<AccessChangeRecord> records)
    {
        foreach (var record in records)
        {
            if (_toldAtCommit.Count > 10_000)
            {
                // A process without a reader (a CLI verb) would otherwise only add; losing these costs a duplicate telling.
                _toldAtCommit.Clear();
            }

            _toldAtCommit.TryAdd(record.Id, 0);
            Tell(new AccessChange(record.SchoolId, record.PersonId, record.Reason));
        }
    }

    /// <summary>Tells this process's subscribers of a change the reader found, unless it was committed (and told) here.</summary>
    internal void TellRead(AccessChangeRecord record)
    {
        if (!_toldAtCommit.TryRemove(record.Id, out _))
        {
            Tell(new AccessChange(record.SchoolId, record.PersonId, record.Reason));
        }
    }

    private void Tell(AccessChange change)
    {
        var subscribers = LazyInitializer.EnsureInitialized(ref _subscribers, () => [.. services.GetServices<IAccessChangeSubscriber>()]);
        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber.OnChanged(change);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One enforcement point's failure must not stop the others hearing of the change (or fail the commit that is already done).
                LogSubscriberFailed(logger, subscriber.GetType().Name, change.Reason, ex);
            }
        }
    }

    [LoggerMessage(EventId = 1951, Level = LogLevel.Error, Message = "{Subscriber} failed on an access change ({Reason}); its cached answers expire on their own.")]
    private static partial void LogSubscriberFailed(ILogger logger, string subscriber, string reason, Exception exception);
}
