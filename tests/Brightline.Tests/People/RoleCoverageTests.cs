using Brightline.Data;
using Brightline.People;
using Brightline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.People;

/// <summary>
/// Roles that route (issue 15 part 8): a role the policy sends decisions or emails to that nobody holds is a warning on
/// the dashboard, never a silent drop — on Westbrook Hay's own policy (H17: the head or the bursar approves viewing email).
/// </summary>
public sealed class RoleCoverageTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task H17_WestbrookHay_DecidersWithoutAccounts_AreWarnedOnTheDashboard_UntilSomeoneHoldsThem(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("westbrook-hay.yaml")));
        const string School = "westbrook-hay";

        async Task<IReadOnlyList<UnheldRole>> UnheldAsync()
        {
            await using var scope = server.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<RoleCoverage>().UnheldAsync(School, CancellationToken.None);
        }

        var before = await UnheldAsync();
        var bursar = before.Single(u => u.Role == "bursar");
        bursar.NeedsAccount.ShouldBeTrue("the seed names the bursar without an address, so no account can be matched (H17)");
        bursar.What.ShouldContain(w => w.StartsWith("decides", StringComparison.Ordinal));
        before.ShouldContain(u => u.Role == "head" && u.NeedsAccount);

        var head = await SignInWithTwoFactorAsync(server, "head@westbrookhay.test", "head", schoolId: School);
        var after = await UnheldAsync();
        after.ShouldNotContain(u => u.Role == "head");
        after.ShouldContain(u => u.Role == "bursar");

        var (_, page) = await GetAsync(head, "/");
        var banner = page.QuerySelector("#unheld-roles").ShouldNotBeNull();
        banner.TextContent.ShouldContain("Bursar");
        banner.TextContent.ShouldContain("no portal account has this role");
        banner.TextContent.ShouldNotContain("Headteacher —");
        RoleCoverage.Sentence(after.Single(u => u.Role == "bursar")).ShouldStartWith("warning: the policy routes to 'bursar', but no portal account holds that role; the bursar decides");
    }
}
