using System.Data.Common;

namespace Brightline.Tests.Data;

/// <summary>Plain SQL on an open connection, for the tests that set up or inspect a database below EF.</summary>
internal static class TestSql
{
    public static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
