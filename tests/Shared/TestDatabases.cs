using Brightline.Data;
using Npgsql;

namespace Brightline.Testing;

/// <summary>
/// The databases every integration test runs against. SQLite always; PostgreSQL when test.sh started
/// one (BRIGHTLINE_TEST_POSTGRES holds an admin connection string). In CI (CI=true) PostgreSQL is
/// mandatory: its absence fails the run instead of silently skipping half the suite.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "BRIGHTLINE_TEST_POSTGRES";

    public static string? PostgresAdmin => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Use as [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))].</summary>
    public static TheoryData<DatabaseProvider> Providers
    {
        get
        {
            var data = new TheoryData<DatabaseProvider> { DatabaseProvider.Sqlite };
            if (PostgresAdmin is not null || InCi)
            {
                data.Add(DatabaseProvider.Postgres);
            }

            return data;
        }
    }

    /// <summary>A fresh, empty database; returns its connection string.</summary>
    public static async Task<string> CreateAsync(DatabaseProvider provider)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var file = Path.Combine(Path.GetTempPath(), $"brightline-test-{Guid.NewGuid():N}.db");
                return $"Data Source={file}";
            case DatabaseProvider.Postgres:
                var admin = PostgresAdmin ?? throw new InvalidOperationException(
                    $"{PostgresVariable} is not set: PostgreSQL tests need the server that ./test.sh starts.");
                var name = $"bl_test_{Guid.NewGuid():N}";
                await using (var conn = new NpgsqlConnection(admin))
                {
                    await conn.OpenAsync();
                    await using var cmd = conn.CreateCommand();
                    cmd.CommandText = $"CREATE DATABASE {name}";
                    await cmd.ExecuteNonQueryAsync();
                }

                return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider));
        }
    }
}
