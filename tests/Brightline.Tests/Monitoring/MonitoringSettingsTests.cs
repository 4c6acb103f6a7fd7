using Brightline.ClientBindings;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.DnsFiltering;
using Brightline.Monitoring;
using Brightline.Safeguarding;
using Brightline.Policy;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Monitoring.MonitoringTestKit;

namespace Brightline.Tests.Monitoring;

/// <summary>The policy's monitoring keys, and who an event is about.</summary>
public sealed class MonitoringSettingsTests
{
    private const string Section = """

        monitoring:
          notice: This computer is monitored by the school.
          thresholds: { low: 5, medium: 50, high: 100, critical: 300 }
          alerts:
            group_minutes: 5
            immediate: [dsl]
          escalation:
            after_minutes: 10
            roles: [dsl, deputy_dsl, head]
          viewers: [dsl, head]
        """;

    [Fact]
    public void From_PolicyWithoutSection_UsesDefaultsAndTheMonitoringRule()
    {
        var settings = MonitoringSettings.From(PolicyLoader.LoadValid(TestSchool.ExampleYaml, "example.yaml"));
        settings.GroupWindow.ShouldBe(TimeSpan.FromMinutes(15));
        settings.EscalateAfter.ShouldBe(TimeSpan.FromMinutes(30));
        settings.Immediate.ShouldBe(["dsl", "deputy_dsl"]);
        settings.Escalation.ShouldBe(["dsl", "deputy_dsl", "head"]);
        settings.Viewers.ShouldBe(["dsl", "deputy_dsl", "head"]);
        settings.Notice.ShouldContain("monitors", Case.Sensitive);
    }

    [Fact]
    public void From_PolicyWithSection_ReadsEveryKey()
    {
        var settings = MonitoringSettings.From(PolicyLoader.LoadValid(TestSchool.ExampleYaml + Section, "example.yaml"));
        settings.Notice.ShouldBe("This computer is monitored by the school.");
        (settings.LowScore, settings.MediumScore, settings.HighScore, settings.CriticalScore).ShouldBe((5, 50, 100, 300));
        settings.GroupWindow.ShouldBe(TimeSpan.FromMinutes(5));
        settings.Immediate.ShouldBe(["dsl"]);
        settings.EscalateAfter.ShouldBe(TimeSpan.FromMinutes(10));
        settings.Viewers.ShouldBe(["dsl", "head"]);
        settings.SeverityFor(120, Severity.Low).ShouldBe(Severity.High);
        settings.SeverityFor(10, Severity.Critical).ShouldBe(Severity.Critical);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Event_WithoutPerson_IsTracedThroughTheSignInBinding(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var pupil = await TestSchool.PersonAsync(server, "A004");
        server.Services.GetRequiredService<DnsClientBindings>()
            .Bind(System.Net.IPAddress.Parse("10.0.3.17"), TestSchool.Id, pupil.Id, server.Clock.GetUtcNow().AddHours(1));

        await PostAsync(agent,
            Event("bound", text: "hello", clientAddress: "10.0.3.17"),
            Event("unbound", text: "hello"));
        var events = await AllAsync<MonitoringEvent>(server);
        events.Single(x => x.ClientEventId == "bound").PersonId.ShouldBe(pupil.Id);
        events.Single(x => x.ClientEventId == "unbound").PersonId.ShouldBeNull();
    }
}
