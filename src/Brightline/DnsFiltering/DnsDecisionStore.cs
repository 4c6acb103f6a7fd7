using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Dns.Logging;
using Brightline.Dns.Wire;
using Brightline.Kernel;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace Brightline.DnsFiltering;

/// <summary>
/// Writes the DNS server's decision records to <c>dns_decisions</c>, one batch at a time, off the answer path. On
/// PostgreSQL a batch is one binary COPY (issue 18 part 4: a trust's log takes tens of thousands of rows a second, and
/// COPY streams them without a statement per row); on SQLite it is one transaction stepping one prepared INSERT per row.
/// Not SaveChanges: the change tracker's work per entity made the log the DNS process's largest CPU cost per query
/// (about 37 µs a row, more than answering the query; issue 18 §5). The values are those the model's own converters
/// give, so a row is stored exactly as EF would store it.
/// <para>
/// In the same transaction each batch adds to the school's daily summaries (issue 18 part 4): its counts per kind to
/// <c>dns_decision_days</c>, and the names it asked for to <c>dns_decision_names</c>. The batch is summarised in memory
/// first, so it costs one statement per summary on PostgreSQL (a handful of kinds, a few hundred names) rather than
/// one per row. A summary is exact only if it can never miss a logged row, hence one transaction with the rows. The
/// rows are written in key order, so two DNS nodes adding the same keys take their row locks in the same order.
/// </para>
/// <para>
/// A name a school asked for once today is asked for again all day; <see cref="_namesWritten"/> remembers the keys this
/// process has stored (after the commit, so a rolled-back batch is never remembered), and a batch writes only the new
/// ones. Without that, the names summary doubled the database's work per logged row (docs/benchmarks.md). Only today's
/// and yesterday's keys are remembered (the purge never removes a day that recent), at most
/// <see cref="MaxNamesRemembered"/>, then forgotten all at once (the next batches write them again, harmlessly).
/// </para>
/// </summary>
public sealed class DnsDecisionStore(IServiceScopeFactory scopes, TimeProvider time) : IDnsDecisionSink
{
    private const string CopyCommand =
        "COPY dns_decisions (\"SchoolId\", \"At\", \"ClientAddress\", \"PersonId\", \"Name\", \"QueryType\", \"Decision\", \"Category\", \"Profile\", \"Reason\") FROM STDIN (FORMAT BINARY)";

    /// <summary>The columns the SQLite INSERT names, in the order its rows are bound (<c>?1</c> … <c>?10</c>).</summary>
    private static readonly string[] s_columns =
    [
        nameof(DnsDecisionEntry.SchoolId), nameof(DnsDecisionEntry.At), nameof(DnsDecisionEntry.ClientAddress), nameof(DnsDecisionEntry.PersonId),
        nameof(DnsDecisionEntry.Name), nameof(DnsDecisionEntry.QueryType), nameof(DnsDecisionEntry.Decision), nameof(DnsDecisionEntry.Category),
        nameof(DnsDecisionEntry.Profile), nameof(DnsDecisionEntry.Reason),
    ];

    /// <summary>How many (school, day, name) keys <see cref="_namesWritten"/> holds at most (tens of megabytes).</summary>
    public const int MaxNamesRemembered = 250_000;

    private readonly HashSet<(string School, DateOnly Day, string Name)> _namesWritten = [];
    private readonly Lock _namesLock = new();
    private DateOnly _namesDay;

    /// <summary>The UTC day this process last made sure the coming days' partitions exist (PostgreSQL).</summary>
    private DateOnly _partitionsCheckedOn;

    public async ValueTask WriteAsync(IReadOnlyList<DnsDecisionRecord> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        if (db.Database.IsNpgsql())
        {
            await CopyAsync(db, batch, cancellationToken);
            return;
        }

        await InsertAsync(db, batch, cancellationToken);
    }

    /// <summary>The batch's names not yet stored today by this process (one lock for the batch, not one per name).</summary>
    private List<(string School, DateOnly Day, string Name)> NewNames(DnsDecisionSummary summary)
    {
        lock (_namesLock)
        {
            return summary.Names(_namesWritten.Contains);
        }
    }

    /// <summary>After the commit: the names now stored, remembered if they are today's or yesterday's.</summary>
    private void Remember(List<(string School, DateOnly Day, string Name)> names)
    {
        var today = SchoolClock.Today(time);
        lock (_namesLock)
        {
            if (_namesDay != today || _namesWritten.Count + names.Count > MaxNamesRemembered)
            {
                _namesWritten.Clear();
                _namesDay = today;
            }

            foreach (var n in names)
            {
                if (n.Day >= today.AddDays(-1) && n.Day <= today)
                {
                    _namesWritten.Add(n);
                }
            }
        }
    }

    /// <summary>
    /// SQLite: the rows go in through SQLite's own statement API, one prepared INSERT stepped once per row, bound by
    /// position. Issue 18 part 5: through <c>SqliteCommand</c> each row cost a parameter lookup by name, a boxed value
    /// and a data reader per execution — as much CPU as SQLite's own work on the row, and the DNS process's largest cost
    /// after answering. The values are those EF stores (the model's converter for <c>At</c>, a Guid as EF's upper-case
    /// text); <c>Store_Batch_KeepsEveryField_IncludingNullsAndNonAsciiText</c> reads them back and filters on them through EF.
    /// </summary>
    private async Task InsertAsync(BrightlineDbContext db, IReadOnlyList<DnsDecisionRecord> batch, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(DnsDecisionEntry))!;
        var at = AtToStored(entity);
        // Begun through EF, so the SQLite write gate holds its lease for the whole batch as it does for SaveChanges.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var handle = connection.Handle!;
        var sql = $"INSERT INTO \"{entity.GetTableName()}\" ({string.Join(", ", s_columns.Select(c => $"\"{entity.FindProperty(c)!.GetColumnName()}\""))}) " +
            $"VALUES ({string.Join(", ", s_columns.Select((_, i) => $"?{i + 1}"))})";
        Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var statement));
        var summary = new DnsDecisionSummary();
        using (statement)
        {
            foreach (var r in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var e = Entry(r);
                summary.Add(e);
                BindText(statement, 1, e.SchoolId);
                raw.sqlite3_bind_int64(statement, 2, at(e.At));
                BindText(statement, 3, e.ClientAddress);
                BindText(statement, 4, e.PersonId is { } person ? person.ToString().ToUpperInvariant() : null);
                BindText(statement, 5, e.Name);
                BindText(statement, 6, e.QueryType);
                BindText(statement, 7, e.Decision);
                BindText(statement, 8, e.Category);
                BindText(statement, 9, e.Profile);
                BindText(statement, 10, e.Reason);
                var stepped = raw.sqlite3_step(statement);
                if (stepped != raw.SQLITE_DONE)
                {
                    Check(handle, stepped);
                }

                Check(handle, raw.sqlite3_reset(statement));
            }
        }

        await using var days = connection.CreateCommand();
        days.Transaction = (SqliteTransaction)transaction.GetDbTransaction();
        days.CommandText = $"{DaysUpsert} VALUES ($s, $d, $x, $p, $c, $n) {DaysConflict}";
        await using var names = connection.CreateCommand();
        names.Transaction = days.Transaction;
        names.CommandText = $"{NamesInsert} VALUES ($s, $d, $x) {NamesConflict}";
        foreach (var (key, count) in summary.Days())
        {
            Bind(days, ("$s", key.School), ("$d", key.Day), ("$x", key.Decision), ("$p", key.Profile), ("$c", key.Category), ("$n", count));
            await days.ExecuteNonQueryAsync(cancellationToken);
        }

        var newNames = NewNames(summary);
        foreach (var key in newNames)
        {
            Bind(names, ("$s", key.School), ("$d", key.Day), ("$x", key.Name));
            await names.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        Remember(newNames);
    }

    /// <summary>How the model stores <c>At</c> on SQLite (a sortable 64-bit number, DateTimeOffsetToBinaryConverter).</summary>
    private static Func<DateTimeOffset, long> AtToStored(IEntityType entity) =>
        entity.FindProperty(nameof(DnsDecisionEntry.At))!.GetTypeMapping().Converter is ValueConverter<DateTimeOffset, long> converter
            ? converter.ConvertToProviderTyped
            : throw new InvalidOperationException("dns_decisions.At is expected to be stored as a 64-bit number on SQLite; the model says otherwise.");

    private static void BindText(sqlite3_stmt statement, int index, string? text)
    {
        if (text is null)
        {
            raw.sqlite3_bind_null(statement, index);
        }
        else
        {
            raw.sqlite3_bind_text16(statement, index, text);
        }
    }

    private static void Check(sqlite3 handle, int result)
    {
        if (result != raw.SQLITE_OK)
        {
            // As Microsoft.Data.Sqlite reports it, so callers (and the log consumer's failure count) see one kind of error.
            throw new SqliteException($"SQLite Error {result}: '{raw.sqlite3_errmsg(handle).utf8_to_string()}'.", result, raw.sqlite3_extended_errcode(handle));
        }
    }

    private const string DaysUpsert = "INSERT INTO dns_decision_days (\"SchoolId\", \"Day\", \"Decision\", \"Profile\", \"Category\", \"Count\")";
    private const string DaysConflict = "ON CONFLICT (\"SchoolId\", \"Day\", \"Decision\", \"Profile\", \"Category\") DO UPDATE SET \"Count\" = dns_decision_days.\"Count\" + excluded.\"Count\"";
    private const string NamesInsert = "INSERT INTO dns_decision_names (\"SchoolId\", \"Day\", \"Name\")";
    private const string NamesConflict = "ON CONFLICT (\"SchoolId\", \"Day\", \"Name\") DO NOTHING";

    private static void Bind(System.Data.Common.DbCommand command, params (string Name, object Value)[] values)
    {
        if (command.Parameters.Count == 0)
        {
            foreach (var (name, _) in values)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }
        }

        foreach (var (name, value) in values)
        {
            command.Parameters[name].Value = value;
        }
    }

    /// <summary>
    /// PostgreSQL: the batch's summary as one statement per table, the rows passed as arrays (unnest keeps their order,
    /// which is the key order <see cref="DnsDecisionSummary"/> sorted them in). Returns the names written.
    /// </summary>
    private async Task<List<(string School, DateOnly Day, string Name)>> UpsertSummaryAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DnsDecisionSummary summary, CancellationToken cancellationToken)
    {
        var daysRows = summary.Days();
        if (daysRows.Count > 0)
        {
            await using var days = new NpgsqlCommand(
                $"{DaysUpsert} SELECT * FROM unnest($1::varchar[], $2::date[], $3::varchar[], $4::varchar[], $5::varchar[], $6::bigint[]) {DaysConflict}", connection, transaction);
            days.Parameters.Add(new NpgsqlParameter { Value = daysRows.Select(d => d.Key.School).ToArray() });
            days.Parameters.Add(new NpgsqlParameter { Value = daysRows.Select(d => d.Key.Day).ToArray() });
            days.Parameters.Add(new NpgsqlParameter { Value = daysRows.Select(d => d.Key.Decision).ToArray() });
            days.Parameters.Add(new NpgsqlParameter { Value = daysRows.Select(d => d.Key.Profile).ToArray() });
            days.Parameters.Add(new NpgsqlParameter { Value = daysRows.Select(d => d.Key.Category).ToArray() });
            days.Parameters.Add(new NpgsqlParameter { Value = daysRows.Select(d => d.Value).ToArray() });
            await days.ExecuteNonQueryAsync(cancellationToken);
        }

        var nameRows = NewNames(summary);
        if (nameRows.Count > 0)
        {
            await using var names = new NpgsqlCommand(
                $"{NamesInsert} SELECT * FROM unnest($1::varchar[], $2::date[], $3::varchar[]) {NamesConflict}", connection, transaction);
            names.Parameters.Add(new NpgsqlParameter { Value = nameRows.Select(d => d.School).ToArray() });
            names.Parameters.Add(new NpgsqlParameter { Value = nameRows.Select(d => d.Day).ToArray() });
            names.Parameters.Add(new NpgsqlParameter { Value = nameRows.Select(d => d.Name).ToArray() });
            await names.ExecuteNonQueryAsync(cancellationToken);
        }

        return nameRows;
    }

    // Every row names its query type; the text of each is made once, not per row (issue 18 part 5).
    private static readonly Dictionary<DnsRecordType, string> s_queryTypes = Enum.GetValues<DnsRecordType>().Distinct().ToDictionary(t => t, t => t.ToString());

    /// <summary>The row stored for a record: names cut to their columns, the person only when the record names one.</summary>
    public static DnsDecisionEntry Entry(DnsDecisionRecord r) => new()
    {
        SchoolId = r.School,
        At = r.Time.ToUniversalTime(),
        ClientAddress = r.ClientAddress.ToString(),
        PersonId = Guid.TryParse(r.Person, out var person) ? person : null,
        Name = Cut(r.QueryName, 1024)!,
        QueryType = s_queryTypes.TryGetValue(r.QueryType, out var type) ? type : ((ushort)r.QueryType).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Decision = Brightline.Policy.PolicyNames.ToSnake(r.Decision),
        Category = Cut(r.Category, 32),
        Profile = Cut(r.Profile, 64),
        Reason = Cut(r.Reason, 300),
    };

    private async Task CopyAsync(BrightlineDbContext db, IReadOnlyList<DnsDecisionRecord> batch, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Once a day per process (and at the first batch after start): the default partition would take the rows
            // anyway, but the day's own partition is what the purge can drop and what the log page's queries prune to.
            var today = DnsDecisionPartitions.DayOf(time.GetUtcNow());
            if (_partitionsCheckedOn != today)
            {
                await DnsDecisionPartitions.EnsureAsync(connection, time.GetUtcNow(), cancellationToken);
                _partitionsCheckedOn = today;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var summary = new DnsDecisionSummary();
            await using (var import = await connection.BeginBinaryImportAsync(CopyCommand, cancellationToken))
            {
                foreach (var r in BySchool(batch))
                {
                    var e = Entry(r);
                    summary.Add(e);
                    await import.StartRowAsync(cancellationToken);
                    await WriteAsync(import, e.SchoolId, cancellationToken);
                    await import.WriteAsync(e.At, NpgsqlDbType.TimestampTz, cancellationToken);
                    await import.WriteAsync(e.ClientAddress, NpgsqlDbType.Varchar, cancellationToken);
                    if (e.PersonId is { } id)
                    {
                        await import.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
                    }
                    else
                    {
                        await import.WriteNullAsync(cancellationToken);
                    }

                    await import.WriteAsync(e.Name, NpgsqlDbType.Varchar, cancellationToken);
                    await import.WriteAsync(e.QueryType, NpgsqlDbType.Varchar, cancellationToken);
                    await import.WriteAsync(e.Decision, NpgsqlDbType.Varchar, cancellationToken);
                    await WriteAsync(import, e.Category, cancellationToken);
                    await WriteAsync(import, e.Profile, cancellationToken);
                    await WriteAsync(import, e.Reason, cancellationToken);
                }

                await import.CompleteAsync(cancellationToken);
            }

            var names = await UpsertSummaryAsync(connection, transaction, summary, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            Remember(names);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The batch with each school's records together, in arrival order within a school. COPY appends rows to the heap in
    /// the order given, so a node answering many schools would otherwise leave each school's rows spread one to a page
    /// across the whole day; the log's queries read a school's rows of today through <c>(SchoolId, At)</c> (today has no
    /// name index yet), and a rare name searched for late in a trust's day read 55,063 pages for 64,600 rows, 0.3 s
    /// (docs/benchmarks.md, issue 18 part 4). Together, a school's rows of a batch share their pages.
    /// </summary>
    private static IEnumerable<DnsDecisionRecord> BySchool(IReadOnlyList<DnsDecisionRecord> batch) =>
        // OrderBy is stable, so a school's rows keep the order they were answered in; rows no school claimed go last.
        batch.OrderBy(r => r.School is null).ThenBy(r => r.School, StringComparer.Ordinal);

    private static Task WriteAsync(NpgsqlBinaryImporter import, string? text, CancellationToken cancellationToken) =>
        text is null ? import.WriteNullAsync(cancellationToken) : import.WriteAsync(text, NpgsqlDbType.Varchar, cancellationToken);

    private static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}
