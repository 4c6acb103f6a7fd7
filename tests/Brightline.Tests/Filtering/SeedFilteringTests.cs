using Brightline.Filtering;
using Brightline.Policy;
using Brightline.Policy.Model;
using Brightline.Tests.Infrastructure;
using Brightline.WebFiltering;

namespace Brightline.Tests.Filtering;

/// <summary>
/// Each seed school's own filter profiles block the categories its policy forbids (W4, O2, H6, H11, C4),
/// read through the same expansion the compiler uses ("defaults" = the pupil defaults). That a blocked
/// category is then blocked at the DNS filter is FilterCompilerTests' job.
/// </summary>
public sealed class SeedFilteringTests
{
    private static SchoolPolicy Load(string file) => PolicyLoader.LoadFile(RepoPaths.Policy(file)).Policy.ShouldNotBeNull();

    private static CategorySet Blocked(SchoolPolicy policy, string group)
    {
        var profile = policy.Filtering.FindProfile(group).ShouldNotBeNull($"{policy.School.Name} has no filter profile for {group}");
        profile.Block.ShouldNotBeNull($"{group} states no block list");
        return FilterCompiler.Categories(profile.Block);
    }

    private static void ShouldBlock(SchoolPolicy policy, string group, params string[] categories)
    {
        var blocked = Blocked(policy, group);
        foreach (var name in categories)
        {
            Categories.TryParse(name, out var category).ShouldBeTrue(name);
            blocked.Contains(category).ShouldBeTrue($"{policy.School.Name}: the {group} profile should block {name}");
        }
    }

    [Fact]
    public void Wetherby_W4_EveryProfileBlocksTheProhibitedContentAndActivities()
    {
        var policy = Load("wetherby.yaml");
        foreach (var group in new[] { "eyfs", "pupils", "staff", "volunteers" })
        {
            // Appendix 2: pornography, prejudice, threats, extremism, gambling, piracy, P2P, hacking, malware, circumvention.
            ShouldBlock(policy, group, "pornography", "hate", "violence", "extremism", "gambling", "piracy",
                "peer-to-peer", "malware-hacking", "proxy-vpn");
        }

        // Meeting online contacts: pupils' chat is blocked.
        ShouldBlock(policy, "pupils", "chat", "dating");
    }

    [Fact]
    public void Omnicom_O2_EveryProfileBlocksOffensiveMaterialPiracyHackingAndBypassing()
    {
        var policy = Load("omnicom-primary.yaml");
        foreach (var group in new[] { "infants", "lower_ks2", "upper_ks2", "staff", "visitors" })
        {
            ShouldBlock(policy, group, "pornography", "hate", "violence", "piracy", "malware-hacking", "proxy-vpn", "encrypted-dns");
        }
    }

    [Fact]
    public void WestbrookHay_H11_EveryProfileBlocksTheForbiddenMaterial()
    {
        var policy = Load("westbrook-hay.yaml");
        foreach (var group in new[] { "eyfs", "pre_prep", "prep", "staff", "visitors" })
        {
            ShouldBlock(policy, group, "violence", "extremism", "hate", "pornography", "drugs", "weapons");
        }
    }

    [Fact]
    public void WestbrookHay_H6_PupilsAiChatBlocked_AnAllowedAiToolCitesH6AndExpires()
    {
        var policy = Load("westbrook-hay.yaml");
        foreach (var group in new[] { "eyfs", "pre_prep", "prep" })
        {
            ShouldBlock(policy, group, "ai-chat");
        }

        var aiAllows = policy.Filtering.Profiles.SelectMany(p => p.Allow).Where(e => e.Entry.Contains("openai", StringComparison.Ordinal)).ToList();
        aiAllows.ShouldNotBeEmpty();
        aiAllows.ShouldAllBe(e => e.Expires != null && e.Reason!.StartsWith("H6", StringComparison.Ordinal));
    }

    [Fact]
    public void StClements_C4_EveryProfileBlocksGamblingAndAdvertising()
    {
        var policy = Load("st-clements.yaml");
        policy.Filtering.Profiles.Count.ShouldBeGreaterThan(0);
        foreach (var profile in policy.Filtering.Profiles)
        {
            ShouldBlock(policy, profile.Group, "gambling", "advertising");
        }
    }
}
