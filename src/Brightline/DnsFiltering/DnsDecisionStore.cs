using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Dns.Logging;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Brightline.DnsFiltering;

/// <summary>
/// Writes the DNS server's decision records to <c>dns_decisions</c>, one batch at a time, off the answer path. On
/// PostgreSQL a batch is one binary COPY (issue 18 part 4: a trust's log takes tens of thousands of rows a second, and
/// COPY streams them without a statement per row); on SQLite it is one transaction running one prepared INSERT per row.
/// Not SaveChanges: the change tracker's work per entity made the log the DNS process's largest CPU cost per query
/// (about 37 µs a row, more than answering the query; issue 18 §5). The values still go through the model's own
/// converters, so a row is stored exactly as EF would store it.
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

    /// <summary>The columns written, in the order <see cref="Values"/> gives them.</summary>
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

    private bool Written((string School, DateOnly Day, string Name) key)
    {
        lock (_namesLock)
        {
            return _namesWritten.Contains(key);
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

    private static object?[] Values(DnsDecisionEntry e) =>
        [e.SchoolId, e.At, e.ClientAddress, e.PersonId, e.Name, e.QueryType, e.Decision, e.Category, e.Profile, e.Reason];

    private async Task InsertAsync(BrightlineDbContext db, IReadOnlyList<DnsDecisionRecord> batch, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(DnsDecisionEntry))!;
        var converters = s_columns.Select(c => entity.FindProperty(c)!.GetTypeMapping().Converter).ToArray();
        // Begun through EF, so the SQLite write gate holds its lease for the whole batch as it does for SaveChanges.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = $"INSERT INTO \"{entity.GetTableName()}\" ({string.Join(", ", s_columns.Select(c => $"\"{entity.FindProperty(c)!.GetColumnName()}\""))}) " +
            $"VALUES ({string.Join(", ", s_columns.Select((_, i) => $"$p{i}"))})";
        var parameters = new System.Data.Common.DbParameter[s_columns.Length];
        for (var i = 0; i < s_columns.Length; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = $"$p{i}";
            command.Parameters.Add(parameters[i]);
        }

        var summary = new DnsDecisionSummary();
        foreach (var r in batch)
        {
            var entry = Entry(r);
            summary.Add(entry);
            var values = Values(entry);
            for (var i = 0; i < values.Length; i++)
            {
                var value = values[i] is { } v && converters[i] is { } converter ? converter.ConvertToProvider(v) : values[i];
                parameters[i].Value = value ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var days = db.Database.GetDbConnection().CreateCommand();
        days.Transaction = command.Transaction;
        days.CommandText = $"{DaysUpsert} VALUES ($s, $d, $x, $p, $c, $n) {DaysConflict}";
        await using var names = db.Database.GetDbConnection().CreateCommand();
        names.Transaction = command.Transaction;
        names.CommandText = $"{NamesInsert} VALUES ($s, $d, $x) {NamesConflict}";
        foreach (var (key, count) in summary.Days())
        {
            Bind(days, ("$s", key.School), ("$d", key.Day), ("$x", key.Decision), ("$p", key.Profile), ("$c", key.Category), ("$n", count));
            await days.ExecuteNonQueryAsync(cancellationToken);
        }

        var newNames = summary.Names(Written);
        foreach (var key in newNames)
        {
            Bind(names, ("$s", key.School), ("$d", key.Day), ("$x", key.Name));
            await names.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        Remember(newNames);
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

        var nameRows = summary.Names(Written);
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

    /// <summary>The row stored for a record: names cut to their columns, the person only when the record names one.</summary>
    public static DnsDecisionEntry Entry(DnsDecisionRecord r) => new()
    {
        SchoolId = r.School,
        At = r.Time.ToUniversalTime(),
        ClientAddress = r.ClientAddress.ToString(),
        PersonId = Guid.TryParse(r.Person, out var person) ? person : null,
        Name = Cut(r.QueryName, 1024)!,
        QueryType = Enum.IsDefined(r.QueryType) ? r.QueryType.ToString() : ((ushort)r.QueryType).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Decision = Brightline.Policy.PolicyNames.ToSnake(r.Decision.ToString()),
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
                foreach (var r in batch)
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

    private static Task WriteAsync(NpgsqlBinaryImporter import, string? text, CancellationToken cancellationToken) =>
        text is null ? import.WriteNullAsync(cancellationToken) : import.WriteAsync(text, NpgsqlDbType.Varchar, cancellationToken);

    private static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}
