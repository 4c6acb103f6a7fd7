using Brightline.Data;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Brightline:Database";

    /// <summary>"sqlite" (default) or "postgres".</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Connection string; the default is a SQLite file under ./data.</summary>
    public string? ConnectionString { get; set; }

    public DatabaseProvider ParsedProvider => Provider.ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        _ => throw new InvalidOperationException($"Brightline:Database:Provider is '{Provider}'; use 'sqlite' or 'postgres'."),
    };
}

public static class DataSetup
{
    public static IServiceCollection AddBrightlineData(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        options.ConnectionString ??= configuration.GetConnectionString("Brightline");
        var provider = options.ParsedProvider;
        var connectionString = options.ConnectionString;
        if (provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(connectionString))
        {
            var dataDir = Path.GetFullPath("data");
            Directory.CreateDirectory(dataDir);
            connectionString = $"Data Source={Path.Combine(dataDir, "brightline.db")}";
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("Set ConnectionStrings:Brightline (or Brightline:Database:ConnectionString) for PostgreSQL.");
        }

        services.AddSingleton(new DatabaseTarget(provider, connectionString));
        services.AddDbContext<BrightlineDbContext>(db => BrightlineDbContextOptions.Configure(db, provider, connectionString));
        return services;
    }
}
