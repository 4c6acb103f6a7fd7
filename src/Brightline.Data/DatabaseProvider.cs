using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Brightline.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Which database this installation uses; registered once at start-up.</summary>
public sealed record DatabaseTarget(DatabaseProvider Provider, string ConnectionString);

public static class BrightlineDbContextOptions
{
    public static void Configure(DbContextOptionsBuilder builder, DatabaseProvider provider, string connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                // One writer at a time per file, queued in process rather than spinning on the file lock (see SqliteWriteGate).
                builder.UseSqlite(connectionString)
                    .AddInterceptors(SqliteWriteGateInterceptor.Instance)
                    .ReplaceService<IRelationalTransactionFactory, SqliteGatedTransactionFactory>();
                break;
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(connectionString);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider.");
        }
    }

    public static BrightlineDbContext Create(DatabaseProvider provider, string connectionString)
    {
        var builder = new DbContextOptionsBuilder<BrightlineDbContext>();
        Configure(builder, provider, connectionString);
        return new BrightlineDbContext(builder.Options);
    }
}
