using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Brightline.Kernel;

/// <summary>
/// Calls <see cref="OnCommitted"/> with the <typeparamref name="TEntity"/> rows a context added, once they are
/// committed: at the end of a SaveChanges that ran in its own transaction, or when the caller's transaction
/// commits. Never before (whoever is told could read the old state, or look for rows it cannot see yet) and
/// never on rollback or a failed save. Shared by the access-change events and the email outbox's wake-up:
/// publishers and senders only add a row to the caller's context and cannot get the timing wrong.
/// </summary>
public abstract class AfterCommitInterceptor<TEntity> : ISaveChangesInterceptor, IDbTransactionInterceptor
    where TEntity : class
{
    /// <summary>Rows being saved by a SaveChanges in progress, per context.</summary>
    private readonly ConditionalWeakTable<DbContext, List<TEntity>> _saving = [];

    /// <summary>Rows saved inside a transaction not yet committed, per context.</summary>
    private readonly ConditionalWeakTable<DbContext, List<TEntity>> _awaitingCommit = [];

    /// <summary>Told once per commit that included added rows; must be cheap and must not throw.</summary>
    protected abstract void OnCommitted(IReadOnlyList<TEntity> committed);

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(_saving, eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(_saving, eventData.Context);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => Forget(_saving, eventData.Context);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(_saving, eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(_awaitingCommit, eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(_awaitingCommit, eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(_awaitingCommit, eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(_awaitingCommit, eventData.Context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        List<TEntity>? added = null;
        foreach (var entry in context.ChangeTracker.Entries<TEntity>())
        {
            if (entry.State == EntityState.Added)
            {
                (added ??= []).Add(entry.Entity);
            }
        }

        if (added is not null)
        {
            _saving.AddOrUpdate(context, added);
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_saving.TryGetValue(context, out var saved))
        {
            return;
        }

        _saving.Remove(context);
        if (context.Database.CurrentTransaction is null)
        {
            // SaveChanges ran in its own transaction, already committed.
            OnCommitted(saved);
            return;
        }

        _awaitingCommit.GetValue(context, _ => []).AddRange(saved);
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _awaitingCommit.TryGetValue(context, out var committed))
        {
            _awaitingCommit.Remove(context);
            OnCommitted(committed);
        }
    }

    private static void Forget(ConditionalWeakTable<DbContext, List<TEntity>> table, DbContext? context)
    {
        if (context is not null)
        {
            table.Remove(context);
        }
    }
}
