using System.Globalization;
using Npgsql;

namespace Brightline.DnsFiltering;

/// <summary>
/// Issue 18 part 4: on PostgreSQL <c>dns_decisions</c> is partitioned by UTC day of <c>At</c> (migration V0045), one
/// table per day named <c>dns_decisions_pYYYYMMDD</c> plus <c>dns_decisions_default</c>, which catches a row whose day
/// has no partition so an insert never fails. This keeps the coming days' partitions made before rows arrive, moves
/// anything the default partition caught into its own day (after a long stop, or a device with a wrong clock), and
/// drops whole days once every school's retention has passed them: dropping a table costs the same for ten rows as for
/// ten million, where a DELETE writes every row twice (heap and WAL) and leaves the table to vacuum. Once a day is over
/// its partition gets the <c>(SchoolId, Name, At)</c> index the log's "name contains" search reads (<see cref="IndexNamesAsync"/>).
/// </summary>
public static class DnsDecisionPartitions
{
    public const string Table = "dns_decisions";
    public const string DefaultPartition = "dns_decisions_default";
    private const string DayPrefix = "dns_decisions_p";

    /// <summary>Partitions are kept made for today and this many days after (UTC), so a day never starts without one.</summary>
    public const int DaysAhead = 7;

    /// <summary>Serialises partition changes between nodes sharing one database (any constant unique in Brightline).</summary>
    private const long LockKey = 7243045;

    /// <summary>
    /// How long after its UTC day ends a partition gets its name index: a DNS node writes a batch some seconds after its
    /// decisions (its queue, a retry), and a batch that arrived during the build would wait for it.
    /// </summary>
    public static readonly TimeSpan NameIndexDelay = TimeSpan.FromHours(1);

    public static string NameOf(DateOnly day) => DayPrefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The day partition's own <c>(SchoolId, Name, At)</c> index (V0049 names the ended days' ones the same way).</summary>
    public static string NameIndexOf(DateOnly day) => NameOf(day) + "_name";

    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The day partitions that exist, oldest first (the default partition is not a day).</summary>
    public static async Task<IReadOnlyList<DateOnly>> DaysAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'dns_decisions'::regclass", connection);
        var days = new List<DateOnly>();
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                if (name.StartsWith(DayPrefix, StringComparison.Ordinal)
                    && DateOnly.TryParseExact(name[DayPrefix.Length..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    days.Add(day);
                }
            }
        }

        days.Sort();
        return days;
    }

    /// <summary>
    /// Makes the partitions for today and the next <see cref="DaysAhead"/> days, and for every day the default
    /// partition holds rows of (moving those rows in). Returns the number of partitions made.
    /// </summary>
    public static async Task<int> EnsureAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var wanted = new SortedSet<DateOnly>();
        var caughtDays = new HashSet<DateOnly>();
        var today = DayOf(now);
        for (var d = 0; d <= DaysAhead; d++)
        {
            wanted.Add(today.AddDays(d));
        }

        // The default partition is normally empty, so this reads nothing; it is how rows caught there find their day.
        await using (var caught = new NpgsqlCommand(
            $"SELECT DISTINCT (\"At\" AT TIME ZONE 'UTC')::date FROM {DefaultPartition}", connection))
        await using (var reader = await caught.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var day = DateOnly.FromDateTime(reader.GetDateTime(0));
                wanted.Add(day);
                caughtDays.Add(day);
            }
        }

        var existing = (await DaysAsync(connection, cancellationToken)).ToHashSet();
        var made = 0;
        foreach (var day in wanted.Where(d => !existing.Contains(d)))
        {
            if (await CreateAsync(connection, day, caughtDays.Contains(day), cancellationToken))
            {
                made++;
            }
        }

        return made;
    }

    /// <summary>
    /// Makes one day's partition: a new table filled with the default partition's rows of that day, then attached.
    /// (CREATE … PARTITION OF would fail while the default partition holds rows of the day.) False when another node
    /// made it first.
    /// <para>
    /// When the default partition holds rows of the day, the whole table is locked while they move. ATTACH PARTITION
    /// takes only a SHARE UPDATE EXCLUSIVE lock on the partitioned table, so without it a query that read the list of
    /// partitions just before the commit and took its snapshot just after would find the moved rows in neither place: a
    /// log page or an export that silently left decisions out (seen in CI: a test reading the log during a pass found three rows of five).
    /// The lock is held for the move of one day's stray rows only, which happens after a long stop or from a device with
    /// a wrong clock; the usual case, a coming day made ahead with nothing to move, takes no such lock.
    /// </para>
    /// </summary>
    private static async Task<bool> CreateAsync(NpgsqlConnection connection, DateOnly day, bool movesRows, CancellationToken cancellationToken)
    {
        var name = NameOf(day);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({LockKey})", connection, tx))
        {
            await lockCmd.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection, tx))
        {
            exists.Parameters.AddWithValue("name", name);
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }

        if (movesRows)
        {
            await using var lockTable = new NpgsqlCommand($"LOCK TABLE {Table} IN ACCESS EXCLUSIVE MODE", connection, tx);
            await lockTable.ExecuteNonQueryAsync(cancellationToken);
        }

        var from = StartOf(day).ToString("yyyy-MM-dd HH:mm:ss+00", CultureInfo.InvariantCulture);
        var to = StartOf(day.AddDays(1)).ToString("yyyy-MM-dd HH:mm:ss+00", CultureInfo.InvariantCulture);
        await using (var create = new NpgsqlCommand(
            $"""
            CREATE TABLE {name} (LIKE {Table} INCLUDING DEFAULTS);
            WITH moved AS (DELETE FROM {DefaultPartition} WHERE "At" >= '{from}' AND "At" < '{to}' RETURNING *)
            INSERT INTO {name} SELECT * FROM moved;
            ALTER TABLE {Table} ATTACH PARTITION {name} FOR VALUES FROM ('{from}') TO ('{to}');
            """, connection, tx))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Issue 18 part 4: builds the <c>(SchoolId, Name, At)</c> index on every day partition whose day ended at least
    /// <see cref="NameIndexDelay"/> before <paramref name="now"/> and that lacks it; today's and the coming days' partitions
    /// and the default one never get it. Returns the number of indexes built (0 on every pass but the first after a day ends).
    /// <para>
    /// Why per day and afterwards: kept up to date row by row, as an index on the partitioned table is, this index's
    /// random-order text key made PostgreSQL spend about 47 % more CPU per logged row and cut the insert rate below the
    /// 50,000 rows a second a trust's DNS nodes need (docs/benchmarks.md). Built once over a finished day it is one sorted
    /// pass, far cheaper in total than a day of single-row inserts into a btree, and it costs the writers nothing. The
    /// search needs it only to read a rare name's rows on the days the names summary lists; today's rows are read through
    /// (SchoolId, At), which bounds that read by the school's rows of one day.
    /// </para>
    /// <para>
    /// A plain CREATE INDEX, not CONCURRENTLY: it blocks only writes to that one partition, which no longer takes any, and
    /// it runs in a transaction (CONCURRENTLY cannot) with the table locked against a second node's pass. It holds no
    /// advisory lock (<see cref="LockKey"/>) while it builds: that would hold up the making of a partition, which a DNS node
    /// waits for with its first batch of a day, for the whole build.
    /// </para>
    /// </summary>
    public static async Task<int> IndexNamesAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var built = 0;
        foreach (var day in await DaysAsync(connection, cancellationToken))
        {
            if (StartOf(day.AddDays(1)) > now - NameIndexDelay)
            {
                break; // oldest first, so every later day is too recent as well
            }

            if (await IndexNamesAsync(connection, day, cancellationToken))
            {
                built++;
            }
        }

        return built;
    }

    /// <summary>Builds one day partition's name index; false when it already has one or the day is gone.</summary>
    private static async Task<bool> IndexNamesAsync(NpgsqlConnection connection, DateOnly day, CancellationToken cancellationToken)
    {
        var name = NameOf(day);
        var index = NameIndexOf(day);
        // Read without a lock first: on every pass but one a day, every ended day already has its index.
        if (await IndexExistsAsync(connection, null, index, cancellationToken))
        {
            return false;
        }

        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            // SHARE ROW EXCLUSIVE conflicts with itself: a second node's pass waits here, then finds the index built.
            await using (var lockCmd = new NpgsqlCommand($"LOCK TABLE {name} IN SHARE ROW EXCLUSIVE MODE", connection, tx))
            {
                await lockCmd.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return false; // dropped since it was listed (its retention passed)
        }

        if (await IndexExistsAsync(connection, tx, index, cancellationToken))
        {
            return false;
        }

        // A day at a trust's volume took 4.3 s to build on the benchmark machine (3.23 M rows), but a busy or small server
        // may pass the default 30 s limit, which would cut the build off for the next pass to start again from nothing.
        await using (var create = new NpgsqlCommand($"CREATE INDEX IF NOT EXISTS {index} ON {name} (\"SchoolId\", \"Name\", \"At\")", connection, tx) { CommandTimeout = 0 })
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<bool> IndexExistsAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string index, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT to_regclass(@index) IS NOT NULL", connection, tx);
        exists.Parameters.AddWithValue("index", index);
        return (bool)(await exists.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Drops every day partition that ends on or before <paramref name="cutoff"/> (the oldest any school may keep), after
    /// counting its rows per school for the audit. Returns those counts (key "" for decisions no school claimed).
    /// </summary>
    public static async Task<Dictionary<string, long>> DropBeforeAsync(NpgsqlConnection connection, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var day in await DaysAsync(connection, cancellationToken))
        {
            if (StartOf(day.AddDays(1)) > cutoff)
            {
                break;
            }

            var name = NameOf(day);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            await using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({LockKey})", connection, tx))
            {
                await lockCmd.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var exists = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection, tx))
            {
                exists.Parameters.AddWithValue("name", name);
                if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
                {
                    continue; // another node dropped it
                }
            }

            // Counted inside the transaction that drops the table, so the audit's numbers are exactly what went.
            await using (var count = new NpgsqlCommand($"SELECT coalesce(\"SchoolId\", ''), count(*) FROM {name} GROUP BY 1", connection, tx))
            await using (var reader = await count.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    counts[reader.GetString(0)] = counts.GetValueOrDefault(reader.GetString(0)) + reader.GetInt64(1);
                }
            }

            await using (var drop = new NpgsqlCommand($"DROP TABLE {name}", connection, tx))
            {
                await drop.ExecuteNonQueryAsync(cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
        }

        return counts;
    }
}
