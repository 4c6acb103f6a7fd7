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
        // Issue 13: the Network page has live sessions on each of the example policy's networks, on their VLANs, and refused sign-ins.
        var sessions = await db.Set<NetworkSession>().AsNoTracking().ToListAsync();
        sessions.Select(s => (s.Network, s.Vlan)).Distinct().OrderBy(n => n.Vlan).ShouldBe(
            [("pupil-wifi", "20"), ("pupil-wifi", "21"), ("staff-wifi", "30"), ("class-ipads", "40"), ("guest-wifi", "50")]);
        sessions.ShouldAllBe(s => s.EndedAt == null);
        sessions.Count(s => s.PersonId != null).ShouldBeGreaterThanOrEqualTo(10);
        (await db.Set<NetworkReject>().CountAsync()).ShouldBeGreaterThanOrEqualTo(4);
        (await AuditVerifier.VerifyAsync(db, CancellationToken.None)).Intact.ShouldBeTrue();
        await server.DeliverEmailAsync();
        server.Smtp.Messages().ShouldBeEmpty();
    }
}
