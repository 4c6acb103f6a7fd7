using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.DnsFiltering;
using Brightline.Policy;
using Brightline.Policy.Model;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Filtering;

/// <summary>
/// The decision log's retention: <c>filtering.decision_log.retention_days</c> in the policy (typed, checked
/// with file:line:col) and the hourly purge that deletes older DNS decisions in batches and audits each purge.
/// </summary>
public sealed class DnsDecisionRetentionTests
{
    /// <summary>The example policy keeping its decision log for seven days.</summary>
    private static string PolicyWithRetention(string value) => TestSchool.ExampleYaml
        .Replace("filtering:\n", $"filtering:\n  decision_log:\n    retention_days: {value}\n", StringComparison.Ordinal);

    private static DnsDecisionEntry Row(string? school, DateTimeOffset at, string name) => new()
    {
        SchoolId = school,
        At = at,
        ClientAddress = "10.20.1.5",
        Name = name,
        QueryType = "A",
        Decision = "forwarded",
    };

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Purge_RowsOlderThanTheSchoolsRetention_AreDeletedAndAudited_NewerKept(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, PolicyWithRetention("7"));
        // The worker's pass runs an hour from now (hourly, by the server's clock): the cut-off is seven days before that.
        var now = server.Clock.GetUtcNow();
        var pass = now + DnsDecisionPurgeWorker.Interval;
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            db.DnsDecisions.AddRange(
                Row(TestSchool.Id, now.AddDays(-30), "old-1.test"),
                Row(TestSchool.Id, pass.AddDays(-7).AddMinutes(-1), "old-2.test"),
                Row(TestSchool.Id, pass.AddDays(-7).AddMinutes(1), "recent-1.test"),
                Row(TestSchool.Id, now.AddHours(-1), "recent-2.test"),
                // No school claimed these (a client outside every network): the default retention applies.
                Row(null, now.AddDays(-DecisionLogSettings.DefaultRetentionDays - 1), "unclaimed-old.test"),
                Row(null, now.AddDays(-10), "unclaimed-recent.test"));
            await db.SaveChangesAsync();
        }

        server.Clock.Advance(DnsDecisionPurgeWorker.Interval);
        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            // The pass audits the school's purge and then the unclaimed decisions' one: two entries mean it is over, so the
            // rows are read once, after it (reading during the pass would assert on a moment, not on its result).
            List<AuditEntry> audit = [];
            for (var attempt = 0; attempt < 200 && audit.Count < 2; attempt++)
            {
                audit = await db.AuditEntries.AsNoTracking().Where(a => a.Action == DnsDecisionRetention.AuditAction).OrderBy(a => a.Id).ToListAsync();
                await Task.Delay(audit.Count < 2 ? 50 : 0);
            }

            audit.Count.ShouldBe(2);
            var left = await db.DnsDecisions.AsNoTracking().OrderBy(d => d.Name).Select(d => d.Name).ToListAsync();
            left.ShouldBe(["recent-1.test", "recent-2.test", "unclaimed-recent.test"]);
            var school = audit.Single(a => a.SchoolId == TestSchool.Id);
            school.Actor.ShouldBe("brightline");
            school.Detail.ShouldNotBeNull().ShouldStartWith("2 DNS decision(s) logged before 18/11/2026 11:00 deleted under the policy's 7-day");
            audit.Single(a => a.SchoolId is null).Detail.ShouldNotBeNull().ShouldStartWith("1 DNS decision(s)");

            // A pass with nothing to delete writes nothing.
            (await scope.ServiceProvider.GetRequiredService<DnsDecisionRetention>().PurgeAsync(CancellationToken.None)).ShouldBe(0);
            (await db.AuditEntries.CountAsync(a => a.Action == DnsDecisionRetention.AuditAction)).ShouldBe(2);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Purge_WithoutRetentionInThePolicy_KeepsThirtyDays_InBoundedBatches(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?> { ["Brightline:Dns:PurgeWorker"] = "false" });
        await TestSchool.LoadPolicyAsync(server);
        var now = server.Clock.GetUtcNow();
        var old = DnsDecisionRetention.BatchSize + 7;
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        db.DnsDecisions.AddRange(Enumerable.Range(0, old).Select(i => Row(TestSchool.Id, now.AddDays(-31).AddSeconds(i), $"n{i}.test")));
        db.DnsDecisions.Add(Row(TestSchool.Id, now.AddDays(-29), "kept.test"));
        await db.SaveChangesAsync();

        (await scope.ServiceProvider.GetRequiredService<DnsDecisionRetention>().PurgeAsync(CancellationToken.None)).ShouldBe(old);

        (await db.DnsDecisions.AsNoTracking().Select(d => d.Name).ToListAsync()).ShouldBe(["kept.test"]);
        var entry = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == DnsDecisionRetention.AuditAction);
        entry.Detail.ShouldNotBeNull().ShouldContain($"{old} DNS decision(s)");
        entry.Detail.ShouldContain("30-day decision-log retention");
    }

    [Fact]
    public void Policy_DecisionLogRetention_IsTyped_AndDefaultsToThirtyDays()
    {
        PolicyLoader.LoadValid(PolicyWithRetention("45"), "example.yaml").Filtering.DecisionLog.RetentionDays.ShouldBe(45);
        PolicyLoader.LoadValid(TestSchool.ExampleYaml, "example.yaml").Filtering.DecisionLog.RetentionDays.ShouldBe(DecisionLogSettings.DefaultRetentionDays);
        DecisionLogSettings.DefaultRetentionDays.ShouldBe(30);
    }

    [Theory]
    [InlineData("forty-five")]
    [InlineData("0")]
    [InlineData("4000")]
    [InlineData("7.5")]
    [InlineData("\"30\"")]
    public void Policy_BadDecisionLogRetention_IsAnErrorAtFileLineColumn(string value)
    {
        var yaml = PolicyWithRetention(value);
        var line = yaml.Split('\n').ToList().FindIndex(l => l.Contains("retention_days:", StringComparison.Ordinal)) + 1;
        var result = PolicyLoader.Load(yaml, "example.yaml");

        result.Succeeded.ShouldBeFalse();
        var error = result.Errors.ShouldHaveSingleItem();
        error.ToString().ShouldStartWith($"example.yaml:{line}:21: ");
        error.Message.ShouldContain("retention_days");
    }

    [Fact]
    public void Policy_UnknownDecisionLogKey_IsAnErrorNotASilentDefault()
    {
        var yaml = TestSchool.ExampleYaml.Replace("filtering:\n", "filtering:\n  decision_log:\n    retention: 30\n", StringComparison.Ordinal);
        var result = PolicyLoader.Load(yaml, "example.yaml");

        result.Succeeded.ShouldBeFalse();
        result.Errors.ShouldHaveSingleItem().ToString().ShouldContain("retention");
    }
}
