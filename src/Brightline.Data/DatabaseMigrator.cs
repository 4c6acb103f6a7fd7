using System.Data.Common;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Data;

/// <summary>
/// Applies the versioned SQL scripts embedded under Migrations/{Sqlite|Postgres}/V####__name.sql, in
/// order, each in its own transaction, and records them in __brightline_migrations with the script's
/// hash. A recorded script whose text has since changed stops start-up: the schema would no longer be
/// what the scripts say. (The EF design-time package is not available, so migrations are plain SQL; a
/// test proves the migrated schema equals the model's.)
/// </summary>
public static class DatabaseMigrator
{
    public const string HistoryTable = "__brightline_migrations";

    public sealed record Script(int Version, string Name, string Sql, string Sha256);

    public static IReadOnlyList<Script> Scripts(DatabaseProvider provider)
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        var folder = provider switch
        {
            DatabaseProvider.Sqlite => ".Migrations.Sqlite.",
            DatabaseProvider.Postgres => ".Migrations.Postgres.",
            _ => throw new ArgumentOutOfRangeException(nameof(provider)),
        };
        var scripts = new List<Script>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var at = resource.IndexOf(folder, StringComparison.Ordinal);
            if (at < 0 || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var file = resource[(at + folder.Length)..^4];
            var sep = file.IndexOf("__", StringComparison.Ordinal);
            if (!file.StartsWith('V') || sep < 2 || !int.TryParse(file.AsSpan(1, sep - 1), out var version))
            {
                throw new MigrationException($"Migration '{resource}' is not named V####__name.sql.");
            }

            var sql = Read(assembly, resource);
            scripts.Add(new Script(version, file[(sep + 2)..], sql, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)))));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        return scripts;
    }

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var target = scope.ServiceProvider.GetRequiredService<DatabaseTarget>();
        await MigrateAsync(db, target.Provider, cancellationToken);
    }

    public static async Task<int> MigrateAsync(BrightlineDbContext db, DatabaseProvider provider, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (provider == DatabaseProvider.Sqlite)
            {
                // WAL lets the portal read while a worker writes; foreign keys are off by default in SQLite.
                await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;", cancellationToken);
            }

            await ExecuteAsync(connection, null,
                $"CREATE TABLE IF NOT EXISTS {HistoryTable} (version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, sha256 VARCHAR(64) NOT NULL, applied_at VARCHAR(40) NOT NULL);",
                cancellationToken);

            var applied = new Dictionary<int, string>();
            await using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = $"SELECT version, sha256 FROM {HistoryTable}";
                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied[Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)] = reader.GetString(1);
                }
            }

            var count = 0;
            foreach (var script in Scripts(provider))
            {
                if (applied.TryGetValue(script.Version, out var hash))
                {
                    if (!string.Equals(hash, script.Sha256, StringComparison.Ordinal))
                    {
                        throw new MigrationException(
                            $"The database was created by a different version of migration V{script.Version:0000} ({script.Name}) than this build has. " +
                            "Nothing was changed. Restore the original script and add the change as a new migration.");
                    }

                    continue;
                }

                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                // No time limit on PostgreSQL: a script that builds indexes over a trust's decision log (V0049) runs for
                // minutes, and cut off at the default 30 s it would roll back and stop every start-up after it. (On SQLite
                // the timeout is how long to wait for a lock, which stays as it is.)
                await ExecuteAsync(connection, tx, script.Sql, cancellationToken, provider == DatabaseProvider.Postgres ? 0 : null);
                await using (var record = connection.CreateCommand())
                {
                    record.Transaction = tx;
                    record.CommandText = $"INSERT INTO {HistoryTable} (version, name, sha256, applied_at) VALUES ({script.Version}, @name, @sha, @at)";
                    AddParameter(record, "@name", script.Name);
                    AddParameter(record, "@sha", script.Sha256);
                    AddParameter(record, "@at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await tx.CommitAsync(cancellationToken);
                count++;
            }

            return count;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken cancellationToken, int? timeoutSeconds = null)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        if (timeoutSeconds is { } seconds)
        {
            cmd.CommandTimeout = seconds;
        }

        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>The database and this build's migrations disagree; start-up stops before touching data.</summary>
public sealed class MigrationException(string message) : Exception(message);
