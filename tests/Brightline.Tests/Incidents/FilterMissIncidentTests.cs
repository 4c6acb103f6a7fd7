using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.WebFiltering;
using Brightline.Incidents;
using Brightline.Tests.Email;
using Brightline.Tests.Filtering;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Incidents;

/// <summary>O20: a site the filter missed, reported from the block page, is also a record in the filter-report register.</summary>
public sealed class FilterMissIncidentTests
{
    private static readonly IPAddress s_staffLaptop = IPAddress.Parse("127.0.0.2");

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task MissReport_FromTheBlockPage_IsRecordedInTheFilterReportRegister_WithoutASecondEmail(DatabaseProvider provider)
    {
        await using var upstream = new Brightline.Testing.FakeUpstream(origin: "school.test");
        await using var server = await BrightlineServer.StartAsync(provider, settings: DnsTestSettings.For(upstream));
        await TestSchool.LoadPolicyAsync(server, TestSchool.ExampleYaml.Replace("cidr: 10.30.0.0/16, group: staff", "cidr: 127.0.0.2/32, group: staff", StringComparison.Ordinal));
        await server.Services.GetRequiredService<FilterService>().RefreshAsync(CancellationToken.None);

        using var staff = ClientFrom(server, s_staffLaptop);
        var (_, page) = await GetAsync(staff, "/blocked?host=allowed.school.test");
        (await SubmitAsync(staff, page, "/blocked", new Dictionary<string, string> { ["Reason"] = "Shows adverts for betting" }, "form:has(input[value=miss])"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var request = db.Set<FilterRequest>().Single();
        var incident = db.Set<Incident>().Single();
        incident.Kind.ShouldBe(IncidentKinds.FilterReport);
        incident.Title.ShouldBe("Filter miss reported: allowed.school.test");
        var link = db.Set<IncidentLink>().Single();
        (link.Kind, link.TargetId, link.IncidentId).ShouldBe((IncidentLinkKind.FilterRequest, request.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), incident.Id));
        db.Set<IncidentEntry>().Single(e => e.Kind == IncidentEntryKind.Report).Text.ShouldBe("Shows adverts for betting");
        await server.DeliverEmailAsync();
        server.Smtp.Messages().ShouldNotContain(m => m.Contains(IncidentNotifier.CreatedSubject, StringComparison.Ordinal), "the filtering feature has told the computing lead and IT provider");
    }
}
