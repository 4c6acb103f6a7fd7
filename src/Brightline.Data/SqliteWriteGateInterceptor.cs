using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Brightline.Data;

/// <summary>The settings every connection this application opens to a SQLite file runs with.</summary>
public static class SqlitePragmas
{
    /// <summary>
    /// How long SQLite itself waits for another <em>process</em>'s write lock (a separate DNS filter, a CLI
    /// verb) before it reports the file busy. Writers in this process queue on <see cref="SqliteWriteGate"/> instead.
    /// </summary>
    public const int BusyTimeoutMilliseconds = 10_000;

    /// <summary>
    /// Run on every connection as it opens. synchronous=FULL (SQLite's default, stated so no connection
    /// differs): in WAL mode NORMAL may lose the last commits on power loss, and an acknowledged incident,
    /// signature or audit entry must survive that; the gate keeps commits short, so the fsync is affordable.
    /// WAL itself is a property of the file, set once by the migrator.
    /// </summary>
    public const string OnOpen = "PRAGMA busy_timeout=10000; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
}

/// <summary>
/// Puts every EF Core write to a SQLite file through <see cref="SqliteWriteGate"/> (the design is described
/// there): applies <see cref="SqlitePragmas.OnOpen"/> to each connection; begins each transaction
/// <c>IMMEDIATE</c> once it holds the gate (so a transaction never reads first and then fails to upgrade to
/// a writer); runs SaveChanges always in a transaction (so it queues too); and gates a statement run outside
/// a transaction (ExecuteUpdate/ExecuteDelete) for just that statement. The transaction's lease is released
/// by <see cref="SqliteGatedTransactionFactory"/>'s transaction when it commits, rolls back or is disposed.
/// Registered only for SQLite (<see cref="BrightlineDbContextOptions"/>).
/// </summary>
public sealed class SqliteWriteGateInterceptor : IDbConnectionInterceptor, IDbTransactionInterceptor, IDbCommandInterceptor, ISaveChangesInterceptor
{
    public static SqliteWriteGateInterceptor Instance { get; } = new();

    /// <summary>Leases taken for a transaction this interceptor began, until EF wraps it (<see cref="TakeLease"/>).</summary>
    private static readonly ConditionalWeakTable<DbTransaction, SqliteWriteGate.Lease> s_transactionLeases = new();

    /// <summary>Leases taken for one statement outside a transaction, until it completes, fails or is cancelled.</summary>
    private static readonly ConditionalWeakTable<DbCommand, SqliteWriteGate.Lease> s_commandLeases = new();

    private SqliteWriteGateInterceptor()
    {
    }

    // ---- connections: the same pragmas on every one ------------------------------------------------

    void IDbConnectionInterceptor.ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => ApplyPragmas(connection);

    Task IDbConnectionInterceptor.ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken)
    {
        // Microsoft.Data.Sqlite runs commands synchronously whatever the API; nothing is gained by awaiting.
        ApplyPragmas(connection);
        return Task.CompletedTask;
    }

    private static void ApplyPragmas(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = SqlitePragmas.OnOpen;
        command.ExecuteNonQuery();
    }

    // ---- transactions: the gate, then BEGIN IMMEDIATE ---------------------------------------------

    InterceptionResult<DbTransaction> IDbTransactionInterceptor.TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result) =>
        result.HasResult ? result : BeginImmediate(connection, eventData.IsolationLevel, SqliteWriteGate.For(connection.ConnectionString).Enter());

    async ValueTask<InterceptionResult<DbTransaction>> IDbTransactionInterceptor.TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken) =>
        result.HasResult ? result : BeginImmediate(connection, eventData.IsolationLevel, await SqliteWriteGate.For(connection.ConnectionString).EnterAsync(cancellationToken));

    private static InterceptionResult<DbTransaction> BeginImmediate(DbConnection connection, IsolationLevel isolationLevel, SqliteWriteGate.Lease lease)
    {
        try
        {
            // Not deferred: a deferred transaction that reads and then writes cannot upgrade once another
            // writer has committed (SQLITE_BUSY at once, no retry helps); IMMEDIATE takes the write lock now.
            var transaction = ((SqliteConnection)connection).BeginTransaction(isolationLevel, deferred: false);
            s_transactionLeases.AddOrUpdate(transaction, lease);
            return InterceptionResult<DbTransaction>.SuppressWithResult(transaction);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>The lease for a transaction this interceptor began, handed over once to the transaction that will release it.</summary>
    internal static SqliteWriteGate.Lease? TakeLease(DbTransaction transaction)
    {
        if (!s_transactionLeases.TryGetValue(transaction, out var lease))
        {
            return null;
        }

        s_transactionLeases.Remove(transaction);
        return lease;
    }

    // ---- SaveChanges: always in a (gated) transaction ---------------------------------------------

    InterceptionResult<int> ISaveChangesInterceptor.SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        AlwaysInTransaction(eventData.Context);
        return result;
    }

    ValueTask<InterceptionResult<int>> ISaveChangesInterceptor.SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken)
    {
        AlwaysInTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void AlwaysInTransaction(DbContext? context)
    {
        // EF would run a single INSERT/UPDATE without a transaction, outside the gate: make it queue like the rest.
        if (context is not null && context.Database.AutoTransactionBehavior == AutoTransactionBehavior.WhenNeeded)
        {
            context.Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
        }
    }

    // ---- a statement outside a transaction (ExecuteUpdate, ExecuteDelete, raw SQL) ------------------

    InterceptionResult<int> IDbCommandInterceptor.NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        if (command.Transaction is null)
        {
            s_commandLeases.AddOrUpdate(command, SqliteWriteGate.For(command.Connection!.ConnectionString).Enter());
        }

        return result;
    }

    async ValueTask<InterceptionResult<int>> IDbCommandInterceptor.NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken)
    {
        if (command.Transaction is null)
        {
            s_commandLeases.AddOrUpdate(command, await SqliteWriteGate.For(command.Connection!.ConnectionString).EnterAsync(cancellationToken));
        }

        return result;
    }

    int IDbCommandInterceptor.NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        ReleaseCommand(command);
        return result;
    }

    ValueTask<int> IDbCommandInterceptor.NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken)
    {
        ReleaseCommand(command);
        return ValueTask.FromResult(result);
    }

    void IDbCommandInterceptor.CommandFailed(DbCommand command, CommandErrorEventData eventData) => ReleaseCommand(command);

    Task IDbCommandInterceptor.CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken)
    {
        ReleaseCommand(command);
        return Task.CompletedTask;
    }

    void IDbCommandInterceptor.CommandCanceled(DbCommand command, CommandEndEventData eventData) => ReleaseCommand(command);

    Task IDbCommandInterceptor.CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken)
    {
        ReleaseCommand(command);
        return Task.CompletedTask;
    }

    private static void ReleaseCommand(DbCommand command)
    {
        if (s_commandLeases.TryGetValue(command, out var lease))
        {
            s_commandLeases.Remove(command);
            lease.Dispose();
        }
    }
}

/// <summary>Makes EF Core's transactions release the write gate they were begun under (see <see cref="SqliteWriteGateInterceptor"/>).</summary>
public sealed class SqliteGatedTransactionFactory(RelationalTransactionFactoryDependencies dependencies) : RelationalTransactionFactory(dependencies)
{
    public override RelationalTransaction Create(
        IRelationalConnection connection, DbTransaction transaction, Guid transactionId,
        IDiagnosticsLogger<DbLoggerCategory.Database.Transaction> logger, bool transactionOwned) =>
        SqliteWriteGateInterceptor.TakeLease(transaction) is { } lease
            ? new GatedTransaction(connection, transaction, transactionId, logger, transactionOwned, Dependencies.SqlGenerationHelper, lease)
            : base.Create(connection, transaction, transactionId, logger, transactionOwned);

    /// <summary>
    /// EF Core calls ClearTransaction after a commit or rollback succeeds and from Dispose (after disposing the
    /// ADO.NET transaction, which rolls back what was not committed); Dispose also runs when the context is
    /// disposed with the transaction still open. Releasing there, and in Dispose's finally, covers every path;
    /// the lease releases once however many of them run.
    /// </summary>
    private sealed class GatedTransaction(
        IRelationalConnection connection, DbTransaction transaction, Guid transactionId,
        IDiagnosticsLogger<DbLoggerCategory.Database.Transaction> logger, bool transactionOwned, ISqlGenerationHelper sqlGenerationHelper,
        SqliteWriteGate.Lease lease)
        : RelationalTransaction(connection, transaction, transactionId, logger, transactionOwned, sqlGenerationHelper)
    {
        protected override void ClearTransaction()
        {
            try
            {
                base.ClearTransaction();
            }
            finally
            {
                lease.Dispose();
            }
        }

        protected override async Task ClearTransactionAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                await base.ClearTransactionAsync(cancellationToken);
            }
            finally
            {
                lease.Dispose();
            }
        }

        public override void Dispose()
        {
            try
            {
                base.Dispose();
            }
            finally
            {
                lease.Dispose();
            }
        }

        public override async ValueTask DisposeAsync()
        {
            try
            {
                await base.DisposeAsync();
            }
            finally
            {
                lease.Dispose();
            }
        }
    }
}
