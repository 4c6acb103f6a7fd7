using Brightline.Audit;
using Brightline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Audit;

public sealed class AuditLogTests
{
    private static async Task<long[]> AppendSomeAsync(BrightlineServer server, int count)
    {
        var ids = new long[count];
        for (var i = 0; i < count; i++)
        {
            await using var scope = server.CreateScope();
            var log = scope.ServiceProvider.GetRequiredService<AuditLog>();
            var entry = await log.AppendAsync("example", $"user{i}@school.test", AuditActions.Sign, $"person/{i}", "{\"agreement\":\"staff\"}", "127.0.0.1");
            ids[i] = entry.Id;
            server.Clock.Advance(TimeSpan.FromSeconds(1.2345678));
        }

        return ids;
    }

    private static async Task<AuditVerification> VerifyAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        return await AuditVerifier.VerifyAsync(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>(), CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Verify_UntouchedLog_IsIntact(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await AppendSomeAsync(server, 5);
        var result = await VerifyAsync(server);
        result.Intact.ShouldBeTrue(string.Join("\n", result.Problems));
        result.Checked.ShouldBeGreaterThanOrEqualTo(5);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Verify_AlteredEntry_IsReported(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        var ids = await AppendSomeAsync(server, 5);
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            // Someone with database access rewrites who did it.
            await db.Database.ExecuteSqlRawAsync("UPDATE audit_log SET \"Actor\" = 'someone-else' WHERE \"Id\" = {0}", ids[2]);
        }

        var result = await VerifyAsync(server);
        result.Intact.ShouldBeFalse();
        result.Problems.ShouldContain(p => p.Contains($"entry {ids[2]}") && p.Contains("altered"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Verify_RemovedEntry_IsReported(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        var ids = await AppendSomeAsync(server, 5);
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            await db.Database.ExecuteSqlRawAsync("DELETE FROM audit_log WHERE \"Id\" = {0}", ids[1]);
        }

        var result = await VerifyAsync(server);
        result.Intact.ShouldBeFalse();
        result.Problems.ShouldContain(p => p.Contains($"entry {ids[2]}") && p.Contains("removed"));
    }

    [Fact]
    public async Task Append_Concurrently_KeepsOneUnbrokenChain()
    {
        await using var server = await BrightlineServer.StartAsync(DatabaseProvider.Sqlite);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            await using var scope = server.CreateScope();
            await scope.ServiceProvider.GetRequiredService<AuditLog>().AppendAsync(null, $"u{i}", AuditActions.SignIn);
        }));
        var result = await VerifyAsync(server);
        result.Intact.ShouldBeTrue(string.Join("\n", result.Problems));
        result.Checked.ShouldBeGreaterThanOrEqualTo(20);
    }
}
