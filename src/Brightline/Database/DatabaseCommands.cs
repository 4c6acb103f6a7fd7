using Brightline.Data;
using Brightline.Kernel;
using System.CommandLine;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Database;

/// <summary>
/// `brightline db migrate` applies pending migrations; `brightline db model-sql --provider P` prints the
/// schema the EF model expects, which is how a developer starts a new migration script (the EF
/// design-time tools are not available here).
/// </summary>
public static class DatabaseCommands
{
    public static Command Create(CliServices cli)
    {
        var migrate = new Command("migrate", "Apply pending database migrations.");
        migrate.SetAction(async (_, cancellationToken) =>
        {
            await using var scope = await cli.CreateScopeAsync(cancellationToken);
            await Console.Out.WriteLineAsync("Database is up to date.");
            return 0;
        });

        var provider = new Option<DatabaseProvider>("--provider") { Description = "sqlite or postgres", DefaultValueFactory = _ => DatabaseProvider.Sqlite };
        var modelSql = new Command("model-sql", "Print the CREATE script of the current EF model for a provider.") { provider };
        modelSql.SetAction(async (parse, cancellationToken) =>
        {
            var p = parse.GetValue(provider);
            var connection = p == DatabaseProvider.Sqlite ? "Data Source=:memory:" : "Host=127.0.0.1;Database=model";
            await using var db = BrightlineDbContextOptions.Create(p, connection);
            await Console.Out.WriteAsync(db.Database.GenerateCreateScript().AsMemory(), cancellationToken);
            return 0;
        });

        return new Command("db", "Database maintenance.") { migrate, modelSql };
    }
}
