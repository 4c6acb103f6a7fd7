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
        (await db.Set<Incident>().Select(i => i.Kind).OrderBy(k => k).ToListAsync()).ShouldBe(["behaviour", "data_breach", "filter_report", "safeguarding"]);
        (await db.Set<Sanction>().CountAsync()).ShouldBe(1);
        // Issue 13: the Network page has live sessions on each of the example policy's networks, on their VLANs, and refused sign-ins.
        var sessions = await db.Set<NetworkSession>().AsNoTracking().ToListAsync();
        sessions.Select(s => (s.Network, s.Vlan)).Distinct().OrderBy(n => n.Vlan).ShouldBe(
            [("pupil-wifi", "20"), ("pupil-wifi", "21"), ("staff-wifi", "30"), ("class-ipads", "40"), ("guest-wifi", "50")]);
        sessions.ShouldAllBe(s => s.EndedAt == null);
        sessions.Count(s => s.PersonId != null).ShouldBeGreaterThanOrEqualTo(10);
        (await db.Set<NetworkReject>().CountAsync()).ShouldBeGreaterThanOrEqualTo(4);
        // Issue 17 defect 8: every screen has something to show, written through the real services.
        var decisions = await db.DnsDecisions.AsNoTracking().ToListAsync();
        decisions.Count.ShouldBeGreaterThan(50);
        decisions.Select(d => d.Decision).Distinct().ShouldContain("forwarded");
        decisions.Select(d => d.Decision).Distinct().ShouldContain("blocked");
        decisions.Where(d => d.Decision == "blocked").Select(d => d.Category).Distinct().Count().ShouldBeGreaterThanOrEqualTo(3);
        decisions.Select(d => d.Profile).Distinct().Count().ShouldBeGreaterThanOrEqualTo(4);
        (decisions.Max(d => d.At) - decisions.Min(d => d.At)).ShouldBeGreaterThan(TimeSpan.FromDays(10));
        decisions.ShouldAllBe(d => d.PersonId != null);
        (await db.Set<FilterRequest>().Select(r => r.Status).Distinct().CountAsync()).ShouldBe(3);
        (await db.Set<FilterOverride>().CountAsync()).ShouldBeGreaterThanOrEqualTo(1);
        var alerts = await db.Set<MonitoringAlert>().AsNoTracking().ToListAsync();
        alerts.Select(a => a.Category).Distinct().Count().ShouldBeGreaterThanOrEqualTo(4);
        alerts.Select(a => a.Severity).Distinct().Count().ShouldBeGreaterThanOrEqualTo(2);
        alerts.ShouldContain(a => a.Status == MonitoringAlertStatus.Open);
        alerts.ShouldContain(a => a.Status == MonitoringAlertStatus.Closed);
        (await db.Set<MonitoringAlertEntry>().CountAsync(e => e.Kind == AlertEntryKind.Note)).ShouldBeGreaterThanOrEqualTo(1);
        (await db.Set<MonitoringDevice>().Select(d => d.Name).ToListAsync()).ShouldContain(n => n.Contains("extension"));
        var approvals = await db.Set<ApprovalRequest>().Select(a => a.Status).ToListAsync();
        approvals.ShouldContain(ApprovalState.Pending);
        approvals.ShouldContain(ApprovalState.Active);
        approvals.ShouldContain(ApprovalState.Declined);
        (await db.Set<CustodyItem>().CountAsync()).ShouldBe(2);
        (await db.Set<CustodyStep>().CountAsync()).ShouldBe(4);
        (await AuditVerifier.VerifyAsync(db, CancellationToken.None)).Intact.ShouldBeTrue();
        await server.DeliverEmailAsync();
        server.Smtp.Messages().ShouldBeEmpty();
        // What real use would have sent is in the email log, marked not sent.
        (await db.Set<EmailOutboxMessage>().CountAsync()).ShouldBe(0);
        (await db.EmailRecords.CountAsync(r => r.Error == "Not sent: the demo school emails nobody.")).ShouldBeGreaterThan(0);
    }
}
