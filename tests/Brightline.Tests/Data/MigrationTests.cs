using Brightline.Data;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Tests.Data;

public sealed class MigrationTests
{
    /// <summary>
    /// The versioned SQL scripts and the EF model must describe the same schema: build one database from
    /// the scripts and one from the model, and compare every table, column, index and foreign key.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task MigratedSchema_EqualsModelSchema(DatabaseProvider provider)
    {
        await using var migrated = BrightlineDbContextOptions.Create(provider, await TestDatabases.CreateAsync(provider));
        (await DatabaseMigrator.MigrateAsync(migrated, provider, CancellationToken.None)).ShouldBeGreaterThan(0);

        await using var fromModel = BrightlineDbContextOptions.Create(provider, await TestDatabases.CreateAsync(provider));
        await fromModel.Database.OpenConnectionAsync();
        await fromModel.Database.ExecuteSqlRawAsync(fromModel.Database.GenerateCreateScript());

        await migrated.Database.OpenConnectionAsync();
        var expected = await SchemaSnapshot.ReadAsync(fromModel.Database.GetDbConnection(), provider);
        var actual = await SchemaSnapshot.ReadAsync(migrated.Database.GetDbConnection(), provider);

        expected.Count.ShouldBeGreaterThan(50);
        var missing = expected.Except(actual, StringComparer.Ordinal).ToList();
        var extra = actual.Except(expected, StringComparer.Ordinal).ToList();
        (missing.Count + extra.Count).ShouldBe(0,
            "schema differs from the model — run scripts/regen-migrations.sh (before release) or add a migration.\n" +
            "missing: " + string.Join("\n  ", missing) + "\nextra: " + string.Join("\n  ", extra));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Migrate_RunTwice_AppliesNothingTheSecondTime(DatabaseProvider provider)
    {
        var connection = await TestDatabases.CreateAsync(provider);
        await using (var first = BrightlineDbContextOptions.Create(provider, connection))
        {
            (await DatabaseMigrator.MigrateAsync(first, provider, CancellationToken.None)).ShouldBe(DatabaseMigrator.Scripts(provider).Count);
        }

        await using var second = BrightlineDbContextOptions.Create(provider, connection);
        (await DatabaseMigrator.MigrateAsync(second, provider, CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public void Scripts_BothProviders_HaveTheSameVersions()
    {
        var sqlite = DatabaseMigrator.Scripts(DatabaseProvider.Sqlite).Select(s => (s.Version, s.Name));
        var postgres = DatabaseMigrator.Scripts(DatabaseProvider.Postgres).Select(s => (s.Version, s.Name));
        sqlite.ShouldBe(postgres);
    }
}
