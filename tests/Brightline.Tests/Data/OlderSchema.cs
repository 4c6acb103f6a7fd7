using System.Data.Common;
using Brightline.Data;

namespace Brightline.Tests.Data;

/// <summary>
/// A database as an older release left it, for the tests of a migration that must keep existing rows: every script
/// before <c>version</c> run and recorded as applied, so the test adds rows the old way and then lets the migrator
/// run the rest.
/// </summary>
internal static class OlderSchema
{
    public static async Task ApplyBeforeAsync(DbConnection connection, DatabaseProvider provider, int version)
    {
        await TestSql.ExecuteAsync(connection,
            $"CREATE TABLE {DatabaseMigrator.HistoryTable} (version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, sha256 VARCHAR(64) NOT NULL, applied_at VARCHAR(40) NOT NULL)");
        foreach (var script in DatabaseMigrator.Scripts(provider).Where(s => s.Version < version))
        {
            await TestSql.ExecuteAsync(connection, script.Sql);
            await TestSql.ExecuteAsync(connection, $"INSERT INTO {DatabaseMigrator.HistoryTable} VALUES ({script.Version}, '{script.Name}', '{script.Sha256}', 'test')");
        }
    }
}
