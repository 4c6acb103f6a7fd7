using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Brightline.Data;

/// <summary>
/// The one in-process queue for writing to one SQLite file.
/// <para>
/// SQLite lets one connection write at a time. Without a queue, every writer that found the file locked
/// spun in Microsoft.Data.Sqlite's busy loop (a blocked thread, sleeping and retrying) until its
/// 30-second command timeout, then failed with "database is locked"; a writer holding the lock while it
/// waited for an in-process lock held by one of those spinners (the audit log's append lock) made the
/// spin last the whole 30 seconds. Under light load that was HTTP 500s and 30–90-second pages.
/// </para>
/// <para>
/// So every write path in this process takes this gate before it asks SQLite for the write lock: EF Core
/// transactions (begun <c>IMMEDIATE</c>, see <see cref="SqliteWriteGateInterceptor"/>), SaveChanges (always
/// in a transaction on SQLite), statements run outside a transaction (ExecuteUpdate/ExecuteDelete), and the
/// monitoring ingestion writer's group commits. Writers then wait asynchronously, first come first served,
/// holding no thread; SQLite's own busy timeout is left for other processes (a separate DNS filter, a CLI verb).
/// Readers never take it: in WAL mode they read a snapshot without waiting for the writer.
/// </para>
/// <para>
/// A lease is released exactly once, on every path: commit, rollback, dispose of the transaction or its
/// context, a failed or cancelled statement. A wait longer than <see cref="MaxWait"/> fails with a
/// <see cref="TimeoutException"/> instead of hanging, so a mistake (a second context writing while the first
/// holds the gate in the same flow) shows up as an error, not as a stuck server. PostgreSQL has no gate.
/// </para>
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "One gate per SQLite file, kept for the life of the process (For caches them); nothing ever ends one.")]
public sealed class SqliteWriteGate
{
    /// <summary>Longest wait for the gate; far beyond any healthy queue (a write transaction takes milliseconds).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private static readonly ConcurrentDictionary<string, SqliteWriteGate> s_byConnectionString = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, SqliteWriteGate> s_byFile = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _semaphore = new(1, 1);

    private SqliteWriteGate(string file) => File = file;

    /// <summary>The database file this gate guards (full path), or the in-memory name.</summary>
    public string File { get; }

    /// <summary>True when no writer holds the gate (for tests and diagnostics).</summary>
    public bool IsFree => _semaphore.CurrentCount == 1;

    /// <summary>The gate for the file a SQLite connection string names; one per file in this process, however it is spelled.</summary>
    public static SqliteWriteGate For(string connectionString) =>
        s_byConnectionString.GetOrAdd(connectionString, static cs => s_byFile.GetOrAdd(FileOf(cs), static file => new SqliteWriteGate(file)));

    /// <summary>Waits (asynchronously, in arrival order) for the gate; dispose the lease to release it.</summary>
    public async ValueTask<Lease> EnterAsync(CancellationToken cancellationToken)
    {
        if (!await _semaphore.WaitAsync(MaxWait, cancellationToken).ConfigureAwait(false))
        {
            throw TimedOut();
        }

        return new Lease(_semaphore);
    }

    /// <summary>The synchronous form, for EF Core's synchronous APIs (blocks the calling thread while it waits).</summary>
    public Lease Enter(CancellationToken cancellationToken = default)
    {
        if (!_semaphore.Wait(MaxWait, cancellationToken))
        {
            throw TimedOut();
        }

        return new Lease(_semaphore);
    }

    private TimeoutException TimedOut() => new(
        $"Waited more than {MaxWait.TotalSeconds:0} s to write to the SQLite database {Path.GetFileName(File)}: another write has held it all that time.");

    private static string FileOf(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var source = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(source) || string.Equals(source, ":memory:", StringComparison.Ordinal))
        {
            // Each private in-memory database is its own; a named shared one is one per name.
            return "memory:" + source;
        }

        return Path.GetFullPath(source);
    }

    /// <summary>Holds the gate until disposed; disposing twice (or from two paths) releases once.</summary>
    public sealed class Lease : IDisposable
    {
        private SemaphoreSlim? _semaphore;

        internal Lease(SemaphoreSlim semaphore) => _semaphore = semaphore;

        public void Dispose() => Interlocked.Exchange(ref _semaphore, null)?.Release();
    }
}
