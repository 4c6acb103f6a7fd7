using System.Data.Common;
using Brightline.Data;

namespace Brightline.Tests.Data;

/// <summary>
/// Reads a database's schema as comparable lines (tables, columns with type/nullability/default,
/// indexes, foreign keys), so two databases built different ways can be compared exactly.
/// </summary>
public static class SchemaSnapshot
{
    public static async Task<IReadOnlyList<string>> ReadAsync(DbConnection connection, DatabaseProvider provider)
    {
        var lines = new List<string>();
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var tables = await QueryAsync(connection,
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '" + DatabaseMigrator.HistoryTable + "' ORDER BY name");
                foreach (var t in tables.Select(r => r[0]))
                {
                    lines.Add($"table {t}");
                    foreach (var c in await QueryAsync(connection, $"SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{t}') ORDER BY cid"))
                    {
                        lines.Add($"column {t}.{c[0]} {c[1]} notnull={c[2]} default={c[3]} pk={c[4]}");
                    }

                    foreach (var i in await QueryAsync(connection, $"SELECT name, \"unique\" FROM pragma_index_list('{t}') ORDER BY name"))
                    {
                        var cols = await QueryAsync(connection, $"SELECT name FROM pragma_index_info('{i[0]}') ORDER BY seqno");
                        lines.Add($"index {t}.{i[0]} unique={i[1]} ({string.Join(',', cols.Select(x => x[0]))})");
                    }

                    foreach (var f in await QueryAsync(connection, $"SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('{t}') ORDER BY \"from\", \"table\""))
                    {
                        lines.Add($"fk {t}.{f[1]} -> {f[0]}.{f[2]} on delete {f[3]}");
                    }
                }

                break;
            case DatabaseProvider.Postgres:
                foreach (var c in await QueryAsync(connection, """
                    SELECT table_name, column_name, data_type, coalesce(character_maximum_length::text, ''), is_nullable, coalesce(column_default, ''), coalesce(is_identity, '')
                    FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__brightline_migrations'
                      AND NOT EXISTS (SELECT 1 FROM pg_class k WHERE k.relname = table_name AND k.relnamespace = 'public'::regnamespace AND k.relispartition)
                    ORDER BY table_name, column_name
                    """))
                {
                    lines.Add($"column {c[0]}.{c[1]} {c[2]}({c[3]}) nullable={c[4]} default={c[5]} identity={c[6]}");
                }

                foreach (var i in await QueryAsync(connection,
                    "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__brightline_migrations' "
                    + "AND NOT EXISTS (SELECT 1 FROM pg_class k WHERE k.relname = tablename AND k.relnamespace = 'public'::regnamespace AND k.relispartition) "
                    + "ORDER BY tablename, indexname"))
                {
                    // A partitioned table's index is defined "ON ONLY" the parent (each partition has its own copy, skipped above
                    // like the partitions themselves: the model knows only the parent, and the migration makes the partitions).
                    lines.Add($"index {i[0]}.{i[1]}: {i[2].Replace(" ON ONLY ", " ON ", StringComparison.Ordinal)}");
                }

                foreach (var f in await QueryAsync(connection, """
                    SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
                    WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '__brightline_migrations'
                      AND NOT EXISTS (SELECT 1 FROM pg_class k WHERE k.oid = conrelid AND k.relispartition)
                    ORDER BY 1, 2
                    """))
                {
                    lines.Add($"constraint {f[0]}.{f[1]}: {f[2]}");
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider));
        }

        return lines;
    }

    private static async Task<List<string[]>> QueryAsync(DbConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }

            rows.Add(row);
        }

        return rows;
    }
}
