using System.CommandLine;
using Brightline.Data;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Database;

public sealed class DatabaseModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        // The provider decides which services are registered, so it is read here, before the container exists —
        // through the same options type and validation as everything else (Settings.AtRegistration).
        services.AddSettings<DatabaseOptions>(DatabaseOptions.Section);
        var options = Settings.AtRegistration<DatabaseOptions>(configuration, DatabaseOptions.Section);
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
        // The options are the same for every context, so they are built once (the default builds them for every request's
        // scope — measurable at a thousand RADIUS answers a second); each request still gets its own context.
        services.AddDbContext<BrightlineDbContext>(db => BrightlineDbContextOptions.Configure(db, provider, connectionString),
            contextLifetime: ServiceLifetime.Scoped, optionsLifetime: ServiceLifetime.Singleton);
    }

    public IEnumerable<Command> Commands(CliServices cli) => [DatabaseCommands.Create(cli)];
}
