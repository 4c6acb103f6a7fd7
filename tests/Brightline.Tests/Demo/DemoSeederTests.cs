using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Demo;
using Brightline.Tests.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Demo;

/// <summary>The demo school a newcomer sees after `dotnet run --project src/Brightline`.</summary>
public sealed class DemoSeederTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Seed_EmptyDatabase_PopulatedSchoolWithRegisters_OnceOnly_NoEmail(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?> { ["Brightline:Demo:Enabled"] = "true" });

        await DemoSeeder.SeedIfEmptyAsync(server.Services, CancellationToken.None);
        await DemoSeeder.SeedIfEmptyAsync(server.Services, CancellationToken.None);

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        (await db.Schools.CountAsync()).ShouldBe(1);
        (await db.People.CountAsync()).ShouldBeInRange(400, 600);
        (await db.Signatures.CountAsync()).ShouldBeGreaterThan(100);
        (await db.Set<Incident>().Select(i => i.Kind).OrderBy(k => k).ToListAsync()).ShouldBe(["behaviour", "data_breach", "safeguarding"]);
        (await db.Set<Sanction>().CountAsync()).ShouldBe(1);
        (await AuditVerifier.VerifyAsync(db, CancellationToken.None)).Intact.ShouldBeTrue();
        await server.DeliverEmailAsync();
        server.Smtp.Messages().ShouldBeEmpty();
    }
}
