using System.Security.Cryptography;
using System.Text;
using Brightline.Data;
using Npgsql;

namespace Brightline.Kernel;

/// <summary>
/// Background work that must happen once per installation — a digest, a reminder, a purge, a sweep, scoring — takes a
/// lease before each pass, so two portal nodes on one database never both send the same digest. On PostgreSQL the
/// lease is a session advisory lock (<c>pg_try_advisory_lock</c>) held on a connection of its own for the whole pass:
/// the node that gets it runs the pass, any other node skips that pass and tries again next time. A node that dies
/// mid-pass loses its connection, and PostgreSQL frees the lock with it, so a lease can never be left behind.
/// SQLite is one file on one machine, so one node: there the lease is always granted.
/// </summary>
public sealed partial class WorkLeases(DatabaseTarget target, ILogger<WorkLeases> logger)
{
    /// <summary>Takes the lease called <paramref name="name"/>, or returns null when another node holds it now.</summary>
    public async Task<IAsyncDisposable?> TryTakeAsync(string name, CancellationToken cancellationToken)
    {
        if (target.Provider != DatabaseProvider.Postgres)
        {
            return NoLease.Instance;
        }

        var key = KeyOf(name);
        // Not from the pool: a session lock lives as long as its connection, and the pool would keep it alive after a
        // failed unlock. A connection of its own dies with the pass (or the node), and the lock with it.
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Pooling = false, ApplicationName = "brightline lease" };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            take.Parameters.AddWithValue("key", key);
            if (await take.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new HeldLease(connection, key);
            }

            LogHeldElsewhere(logger, name);
            await connection.DisposeAsync();
            return null;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Takes the lease called <paramref name="name"/> to hold for as long as this node does the work (not one pass), or
    /// returns null when another node holds it now. The holder asks <see cref="HeldWorkLease.StillHeldAsync"/> from time
    /// to time: when its connection has gone (the database restarted, the network dropped) PostgreSQL has freed the lock
    /// and another node may have taken it, so the holder must stop and try again like everyone else.
    /// </summary>
    public async Task<HeldWorkLease?> TryHoldAsync(string name, CancellationToken cancellationToken)
    {
        var lease = await TryTakeAsync(name, cancellationToken);
        return lease is null ? null : new HeldWorkLease(lease);
    }

    /// <summary>
    /// The advisory lock key: 64 bits of SHA-256 over the lease's name. Advisory locks are per database, so two
    /// installations sharing a PostgreSQL server (one database each) never contend.
    /// </summary>
    public static long KeyOf(string name) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("brightline-lease:" + name)), 0);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Debug, Message = "{Lease} is held by another node; this node skips the pass.")]
    private static partial void LogHeldElsewhere(ILogger logger, string lease);

    private sealed class NoLease : IAsyncDisposable
    {
        public static readonly NoLease Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>A lease held until disposed; see <see cref="TryHoldAsync"/>.</summary>
    public sealed class HeldWorkLease(IAsyncDisposable lease) : IAsyncDisposable
    {
        /// <summary>True while the lease's connection still answers (always, on SQLite).</summary>
        public async Task<bool> StillHeldAsync(CancellationToken cancellationToken)
        {
            if (lease is not HeldLease held)
            {
                return true;
            }

            try
            {
                await using var check = new NpgsqlCommand("SELECT 1", held.Connection);
                await check.ExecuteScalarAsync(cancellationToken);
                return true;
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                return false;
            }
        }

        public ValueTask DisposeAsync() => lease.DisposeAsync();
    }

    private sealed class HeldLease(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public NpgsqlConnection Connection => connection;

        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                release.Parameters.AddWithValue("key", key);
                await release.ExecuteScalarAsync();
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
            {
                // Closing the connection below ends the session, which frees the lock anyway (or the connection has
                // already ended, and the lock with it).
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
