using Brightline.Policy.Model;

namespace Brightline.Policy.Tests;

/// <summary>
/// <c>monitoring: excluded_sites</c> entries match their host and its subdomains only (the browser extension's
/// exclusions.js applies the same rule), so an exclusion never leaks to a look-alike host nor misses a subdomain.
/// </summary>
public sealed class ExcludedSiteTests
{
    private static readonly IReadOnlyList<string> s_sites = ["kooth.com", "payroll.school.example"];

    [Theory]
    [InlineData("kooth.com", true)]
    [InlineData("www.kooth.com", true)]
    [InlineData("WWW.Kooth.COM.", true)]
    [InlineData("chat.eu.kooth.com", true)]
    [InlineData("payroll.school.example", true)]
    [InlineData("notkooth.com", false)]
    [InlineData("kooth.com.evil.example", false)]
    [InlineData("school.example", false)]
    [InlineData("", false)]
    public void Matches_TheHostAndItsSubdomainsOnly(string host, bool excluded) =>
        ExcludedSite.Matches(s_sites, host).ShouldBe(excluded);

    [Fact]
    public void Problem_AHostName_HasNone() => ExcludedSite.Problem("payroll.school.example").ShouldBeNull();

    [Theory]
    [InlineData("https://kooth.com/chat", "kooth.com")]
    [InlineData("*.kooth.com", "kooth.com")]
    [InlineData("kooth.com:443", "kooth.com")]
    [InlineData("kooth", null)]
    [InlineData("-bad-.example", null)]
    public void Problem_NotAHostName_IsOne_NamingTheHostMeantForAUrlOrWildcard(string entry, string? meant)
    {
        ExcludedSite.Problem(entry).ShouldNotBeNull();
        ExcludedSite.HostOfUrl(entry).ShouldBe(meant);
    }
}
