using System.Globalization;
using System.Threading.Channels;
using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;

using Brightline.Monitoring;

namespace Brightline.Safeguarding;

/// <summary>
/// Durably stores validated ingestion batches (issue 4: "accepted" means committed). Every row goes in
/// with <c>INSERT … ON CONFLICT DO NOTHING</c> (on PostgreSQL one statement per batch, the rows
/// unnested from array parameters, with <c>RETURNING</c>; on SQLite one prepared row statement per
/// event), so the unique index on
/// (SchoolId, DeviceId, ClientEventId) — not a prior SELECT — decides what is a duplicate, and two
/// copies of one batch arriving at once can never both insert.
/// <para>
/// SQLite has one writer and pays one fsync per commit, so there a single in-process writer drains a
/// queue and commits every batch waiting at that moment in one transaction (group commit), taking the
/// application's <see cref="SqliteWriteGate"/> for it like every other writer; each request
/// is answered only after that transaction commits. PostgreSQL takes concurrent writers, so each
/// request commits its own transaction there.
/// </para>
/// </summary>
public sealed partial class IngestionWriter : IAsyncDisposable
{
    /// <summary>Columns written by the insert, in parameter order.</summary>
    private static readonly string[] s_columns =
    [
        "SchoolId", "DeviceId", "ClientEventId", "Kind", "OccurredAt", "ReceivedAt", "PersonId", "ClientAddress",
        "Url", "Title", "Query", "Text", "Application", "ScreenshotType", "Screenshot",
    ];

    /// <summary>The EF model stores DateTimeOffset on SQLite through this converter; raw SQL must write the same values.</summary>
    private static readonly Func<object?, object?> s_sqliteTime = new DateTimeOffsetToBinaryConverter().ConvertToProvider;

    /// <summary>
    /// "Last seen" is written at most once a minute per device: the Devices page shows it to the minute, and
    /// on PostgreSQL an update of the device row on every batch would make one device's concurrent batches
    /// queue for that row's lock (a row that no longer matches the WHERE is skipped without waiting).
    /// </summary>
    private static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    private const string LastSeenSql =
        "UPDATE monitoring_devices SET \"LastSeenAt\" = @at WHERE \"Id\" = @id AND (\"LastSeenAt\" IS NULL OR \"LastSeenAt\" < @stale)";

    /// <summary>Upper bound on events committed in one SQLite group, so one transaction stays short.</summary>
    private const int MaxGroupEvents = 5000;

    private readonly DatabaseTarget _target;
    private readonly ILogger<IngestionWriter> _logger;
    private readonly Channel<PendingBatch>? _queue;
    private readonly NpgsqlDataSource? _postgres;
    private readonly Lock _startLock = new();
    private readonly SqliteWriteGate? _gate;
    private SqliteCommand? _sqliteInsert;
    private Task? _loop;
    private SqliteConnection? _sqlite;

    public IngestionWriter(DatabaseTarget target, ILogger<IngestionWriter> logger)
    {
        _target = target;
        _logger = logger;
        if (target.Provider == DatabaseProvider.Sqlite)
        {
            _queue = Channel.CreateUnbounded<PendingBatch>(new UnboundedChannelOptions { SingleReader = true });
            _gate = SqliteWriteGate.For(target.ConnectionString);
        }
        else
        {
            // The same INSERT text recurs on every request: let Npgsql prepare it on the server once per connection.
            var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
            if (builder.MaxAutoPrepare == 0)
            {
                builder.MaxAutoPrepare = 16;
            }

            _postgres = NpgsqlDataSource.Create(builder.ConnectionString);
        }
    }

    /// <summary>
    /// Inserts the events not already stored and records that the device was seen; returns the client event
    /// IDs inserted by this call (the others were duplicates). Completes only once the rows are committed.
    /// </summary>
    public async Task<IReadOnlySet<string>> StoreAsync(
        string schoolId, Guid deviceId, IReadOnlyList<MonitoringEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await StorePostgresAsync(schoolId, deviceId, events, now, cancellationToken);
        }

        var pending = new PendingBatch(schoolId, deviceId, events, now);
        EnsureLoop();
        if (!_queue!.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The ingestion writer is shutting down.");
        }

        // If the client goes away the batch may still commit; a re-send is then reported as duplicates.
        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    private void EnsureLoop()
    {
        if (_loop is not null)
        {
            return;
        }

        lock (_startLock)
        {
            _loop ??= Task.Run(SqliteLoopAsync);
        }
    }

    // ---- SQLite: one writer, group commit -------------------------------------------------------

    private async Task SqliteLoopAsync()
    {
        var reader = _queue!.Reader;
        var group = new List<PendingBatch>();
        while (await reader.WaitToReadAsync())
        {
            group.Clear();
            var count = 0;
            while (count < MaxGroupEvents && reader.TryRead(out var next))
            {
                group.Add(next);
                count += next.Events.Count;
            }

            try
            {
                await CommitGroupAsync(group);
            }
            catch (Exception e)
            {
                // One bad batch must not fail the others that happened to share its transaction: retry each alone.
                LogGroupFailed(_logger, group.Count, e.GetType().Name);
                ResetSqlite();
                foreach (var one in group)
                {
                    try
                    {
                        await CommitGroupAsync([one]);
                    }
                    catch (Exception single)
                    {
                        // Whatever went wrong, the request is answered (with an error) rather than left waiting.
                        ResetSqlite();
                        one.Done.TrySetException(single);
                    }
                }
            }
        }
    }

    private async Task CommitGroupAsync(IReadOnlyList<PendingBatch> group)
    {
        var connection = await SqliteAsync();
        var results = new HashSet<string>[group.Count];
        // The same in-process write gate as the portal's EF Core writes: the group queues behind (and ahead of)
        // them instead of spinning on SQLite's file lock. Held only for the transaction; released on every path.
        using (await _gate!.EnterAsync(CancellationToken.None))
        await using (var tx = connection.BeginTransaction(deferred: false))
        {
            for (var i = 0; i < group.Count; i++)
            {
                results[i] = await InsertSqliteAsync(connection, tx, group[i]);
            }

            // Last seen: once per device per group, with the latest time.
            foreach (var device in group.GroupBy(p => p.DeviceId))
            {
                await using var update = connection.CreateCommand();
                update.Transaction = tx;
                update.CommandText = LastSeenSql;
                var at = device.Max(p => p.Now);
                update.Parameters.AddWithValue("@at", s_sqliteTime(at));
                update.Parameters.AddWithValue("@stale", s_sqliteTime(at - LastSeenResolution));
                update.Parameters.AddWithValue("@id", SqliteGuid(device.Key));
                await update.ExecuteNonQueryAsync();
            }

            await tx.CommitAsync();
        }

        for (var i = 0; i < group.Count; i++)
        {
            group[i].Done.TrySetResult(results[i]);
        }
    }

    private async Task<HashSet<string>> InsertSqliteAsync(SqliteConnection connection, SqliteTransaction tx, PendingBatch pending)
    {
        // One prepared single-row statement run per event: SQLite finds a bound parameter by name with a
        // linear scan, so a 100-row VALUES list (1,500 names) spent most of its time in strncmp; a 15-name
        // statement re-run inside the one transaction is several times cheaper. Rows changed (1 or 0) tells
        // inserted from duplicate without RETURNING.
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        var command = _sqliteInsert ??= SqliteInsertCommand(connection);
        command.Transaction = tx;
        var p = command.Parameters;
        foreach (var e in pending.Events)
        {
            p[0].Value = e.SchoolId;
            p[1].Value = SqliteGuid(e.DeviceId);
            p[2].Value = e.ClientEventId;
            p[3].Value = e.Kind.Key();
            p[4].Value = s_sqliteTime(e.OccurredAt);
            p[5].Value = s_sqliteTime(e.ReceivedAt);
            p[6].Value = e.PersonId is { } person ? SqliteGuid(person) : DBNull.Value;
            p[7].Value = (object?)e.ClientAddress ?? DBNull.Value;
            p[8].Value = (object?)e.Url ?? DBNull.Value;
            p[9].Value = (object?)e.Title ?? DBNull.Value;
            p[10].Value = (object?)e.Query ?? DBNull.Value;
            p[11].Value = (object?)e.Text ?? DBNull.Value;
            p[12].Value = (object?)e.Application ?? DBNull.Value;
            p[13].Value = (object?)e.ScreenshotType ?? DBNull.Value;
            p[14].Value = (object?)e.Screenshot ?? DBNull.Value;
            if (await command.ExecuteNonQueryAsync() == 1)
            {
                inserted.Add(e.ClientEventId);
            }
        }

        return inserted;
    }

    private static SqliteCommand SqliteInsertCommand(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = s_sqliteInsertSql;
        for (var i = 0; i < s_columns.Length; i++)
        {
            // Types are left to the values (TEXT, INTEGER, BLOB or NULL), as EF Core's SQLite mapping stores them.
            command.Parameters.Add(new SqliteParameter("@p" + i.ToString(CultureInfo.InvariantCulture), DBNull.Value));
        }

        return command;
    }

    private async Task<SqliteConnection> SqliteAsync()
    {
        if (_sqlite is not null)
        {
            return _sqlite;
        }

        var connection = new SqliteConnection(_target.ConnectionString);
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            // The pragmas every connection of the application runs with (busy timeout for other processes,
            // synchronous=FULL: in WAL mode NORMAL may lose the last commits on power loss, and an
            // acknowledged event must survive that). Group commit is what makes the fsync affordable.
            pragma.CommandText = "PRAGMA journal_mode=WAL; " + SqlitePragmas.OnOpen;
            await pragma.ExecuteNonQueryAsync();
        }

        _sqlite = connection;
        return connection;
    }

    private void ResetSqlite()
    {
        _sqliteInsert?.Dispose();
        _sqliteInsert = null;
        _sqlite?.Dispose();
        _sqlite = null;
    }

    /// <summary>EF Core's SQLite provider stores a Guid as upper-case TEXT; raw SQL must match or lookups miss.</summary>
    private static string SqliteGuid(Guid id) => id.ToString().ToUpperInvariant();

    // ---- PostgreSQL: one transaction per request ------------------------------------------------

    private async Task<IReadOnlySet<string>> StorePostgresAsync(
        string schoolId, Guid deviceId, IReadOnlyList<MonitoringEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await _postgres!.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        if (events.Count > 0)
        {
            // One statement whatever the batch size: fifteen array parameters unnested into rows. Fewer
            // parameters to build and bind than a VALUES list, and the text never changes, so it is prepared once.
            await using var insert = new NpgsqlCommand(s_postgresInsertSql, connection, tx);
            Add(insert, NpgsqlDbType.Varchar, events.Select(e => e.SchoolId).ToArray());
            Add(insert, NpgsqlDbType.Uuid, events.Select(e => e.DeviceId).ToArray());
            Add(insert, NpgsqlDbType.Varchar, events.Select(e => e.ClientEventId).ToArray());
            Add(insert, NpgsqlDbType.Varchar, events.Select(e => e.Kind.Key()).ToArray());
            Add(insert, NpgsqlDbType.TimestampTz, events.Select(e => e.OccurredAt).ToArray());
            Add(insert, NpgsqlDbType.TimestampTz, events.Select(e => e.ReceivedAt).ToArray());
            Add(insert, NpgsqlDbType.Uuid, events.Select(e => e.PersonId).ToArray());
            Add(insert, NpgsqlDbType.Varchar, events.Select(e => e.ClientAddress).ToArray());
            Add(insert, NpgsqlDbType.Varchar, events.Select(e => e.Url).ToArray());
            Add(insert, NpgsqlDbType.Varchar, events.Select(e => e.Title).ToArray());
            Add(insert, NpgsqlDbType.Varchar, events.Select(e => e.Query).ToArray());
            Add(insert, NpgsqlDbType.Text, events.Select(e => e.Text).ToArray());
            Add(insert, NpgsqlDbType.Varchar, events.Select(e => e.Application).ToArray());
            Add(insert, NpgsqlDbType.Varchar, events.Select(e => e.ScreenshotType).ToArray());
            Add(insert, NpgsqlDbType.Bytea, events.Select(e => e.Screenshot).ToArray());

            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add(reader.GetString(0));
            }
        }

        await using (var update = new NpgsqlCommand(LastSeenSql, connection, tx))
        {
            update.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.TimestampTz) { Value = now });
            update.Parameters.Add(new NpgsqlParameter("stale", NpgsqlDbType.TimestampTz) { Value = now - LastSeenResolution });
            update.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = deviceId });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return inserted;

        static void Add(NpgsqlCommand command, NpgsqlDbType type, object values) =>
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values });
    }

    private static readonly string s_postgresInsertSql =
        "INSERT INTO monitoring_events (" + string.Join(", ", s_columns.Select(c => "\"" + c + "\"")) + ") " +
        "SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) " +
        "ON CONFLICT (\"SchoolId\", \"DeviceId\", \"ClientEventId\") DO NOTHING RETURNING \"ClientEventId\"";

    private static readonly string s_sqliteInsertSql =
        "INSERT INTO monitoring_events (" + string.Join(", ", s_columns.Select(c => "\"" + c + "\"")) + ") " +
        "VALUES (" + string.Join(", ", s_columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture))) + ") " +
        "ON CONFLICT (\"SchoolId\", \"DeviceId\", \"ClientEventId\") DO NOTHING";

    public async ValueTask DisposeAsync()
    {
        if (_queue is not null)
        {
            _queue.Writer.TryComplete();
            if (_loop is not null)
            {
                await _loop;
            }

            ResetSqlite();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    private sealed class PendingBatch(string schoolId, Guid deviceId, IReadOnlyList<MonitoringEvent> events, DateTimeOffset now)
    {
        public string SchoolId { get; } = schoolId;
        public Guid DeviceId { get; } = deviceId;
        public IReadOnlyList<MonitoringEvent> Events { get; } = events;
        public DateTimeOffset Now { get; } = now;
        public TaskCompletionSource<IReadOnlySet<string>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} ingestion batches failed to commit together ({Error}); committing them one by one.")]
    private static partial void LogGroupFailed(ILogger logger, int count, string error);
}
