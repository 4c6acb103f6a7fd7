using System.Threading.Channels;
using Brightline.Data.Entities;
using Brightline.Kernel;

namespace Brightline.Email;

/// <summary>
/// Tells <see cref="EmailOutboxSignal"/> when a save that added outbox rows is committed: at the end of
/// SaveChanges outside a transaction, or when the caller's transaction commits (never before, or the worker
/// would look for rows it cannot see yet). A rolled-back transaction signals nothing.
/// </summary>
public sealed class EmailOutboxCommitInterceptor(EmailOutboxSignal signal) : AfterCommitInterceptor<EmailOutboxMessage>
{
    protected override void OnCommitted(IReadOnlyList<EmailOutboxMessage> committed) => signal.Notify();
}
