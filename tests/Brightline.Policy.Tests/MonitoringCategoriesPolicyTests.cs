using Brightline.Policy.Model;

namespace Brightline.Policy.Tests;

/// <summary>
/// <c>monitoring.categories.&lt;id&gt;</c> (H12): per-category routing is typed, the viewers default to the notify roles
/// that are portal roles, and an unknown category or role is an error at its position — never a route that silently
/// goes nowhere.
/// </summary>
public sealed class MonitoringCategoriesPolicyTests
{
    private static string With(string section) => PolicyLoaderTests.Valid + "\n" + section;

    private static IReadOnlyList<string> Errors(string yaml) =>
        PolicyLoader.Load(yaml, "test.yaml").Errors.Select(e => e.ToString()).ToList();

    /// <summary>Position of <paramref name="text"/> in the section added after the valid policy.</summary>
    private static string At(string yaml, string text)
    {
        var sectionStart = PolicyLoaderTests.Valid.Split('\n').Length;
        var lines = yaml.Split('\n');
        var line = lines.Select((l, i) => (l, i)).First(x => x.i >= sectionStart && x.l.Contains(text, StringComparison.Ordinal)).i;
        return $"test.yaml:{line + 1}:{lines[line].IndexOf(text, StringComparison.Ordinal) + 1}: ";
    }

    [Fact]
    public void H12_Categories_AreTyped_ViewersDefaultToTheNotifyRolesThatArePortalRoles()
    {
        var m = PolicyLoader.LoadValid(With("""
            monitoring:
              categories:
                security-misuse:
                  notify: [it_support, chair_of_governors]
                gambling:
                  notify: [head]
                  viewers: [head_of_year]
            """), "test.yaml").Monitoring;

        m.RouteFor("security-misuse")!.Notify.ShouldBe(["it_support", "chair_of_governors"]);
        m.RouteFor("security-misuse")!.Viewers.ShouldBe(["it_support"], "a chair of governors holds no portal role");
        m.RouteFor("gambling")!.Viewers.ShouldBe(["head_of_year"]);
        m.RouteFor("self-harm").ShouldBeNull();
        PolicyLoader.LoadValid(PolicyLoaderTests.Valid, "test.yaml").Monitoring.Categories.ShouldBeEmpty();
    }

    [Fact]
    public void H12_WestbrookHay_RoutesSecurityMisuseToItSupport()
    {
        var policy = PolicyLoader.LoadValid(RepoFiles.Read("policies/westbrook-hay.yaml"), "westbrook-hay.yaml");

        var route = policy.Monitoring.RouteFor("security-misuse").ShouldNotBeNull();
        route.Notify.ShouldBe([RoleKeys.ItSupport]);
        route.Viewers.ShouldBe([RoleKeys.ItSupport]);
        PolicyRoutes.Of(policy).ShouldContain(r => r.Role == RoleKeys.ItSupport && r.What.Contains("security-misuse", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("monitoring:\n  categories:\n    hacking:\n      notify: [it_support]\n", "hacking", "monitoring.categories: 'hacking' is not a monitoring category")]
    [InlineData("monitoring:\n  categories:\n    security-misues:\n      notify: [it_support]\n", "security-misues", "did you mean 'security-misuse'?")]
    [InlineData("monitoring:\n  categories:\n    security-misuse:\n      notify: [it_suport]\n", "it_suport", "did you mean 'it_support'?")]
    [InlineData("monitoring:\n  categories:\n    security-misuse:\n      viewers: [pupil]\n", "pupil", "'pupil'")]
    [InlineData("monitoring:\n  categories:\n    security-misuse:\n      notfy: [it_support]\n", "notfy", "unknown key 'notfy' in monitoring.categories.security-misuse; did you mean 'notify'?")]
    [InlineData("monitoring:\n  categories:\n    security-misuse: {}\n", "security-misuse", "monitoring.categories.security-misuse names nobody")]
    public void H12_UnknownCategoryOrRole_IsAnErrorAtItsPosition(string section, string at, string message)
    {
        var yaml = With(section);

        var error = Errors(yaml).ShouldHaveSingleItem();
        error.ShouldStartWith(At(yaml, at));
        error.ShouldContain(message);
    }
}
