using Brightline.Filtering;
using Brightline.Policy;
using Brightline.Tests.Infrastructure;
using Brightline.WebFiltering;

namespace Brightline.Tests.Filtering;

/// <summary>
/// Issue 15 parts 5 and 9 without a server: an exemption type's <c>relaxes:</c> naming something the filter does not
/// have is a policy error with file:line:col (O3, W4); Westfield's filtering section, added from its seed (F10), is
/// enforced as compiled; and the engine relaxes exactly what an exemption names.
/// </summary>
public sealed class ExemptionPolicyAndWestfieldFilteringTests
{
    private static readonly DateTimeOffset s_wednesday = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static string Wetherby => File.ReadAllText(RepoPaths.Policy("wetherby.yaml"));

    [Fact]
    public void W4_RelaxesAnUnknownRule_OrAnIllegalCategory_IsAPolicyErrorWithItsPosition()
    {
        var yaml = Wetherby.Replace("        categories: [peer-to-peer]", "        categories: [peer-to-peer]\n        rules: [W4b-nosuch]", StringComparison.Ordinal);
        var errors = PolicyLoader.Load(yaml, "wetherby.yaml").Errors;
        var error = errors.ShouldHaveSingleItem();
        error.Message.ShouldContain("W4b-nosuch");
        error.Line.ShouldBe(yaml.Split('\n').ToList().FindIndex(l => l.Contains("W4b-nosuch", StringComparison.Ordinal)) + 1);
        error.Column.ShouldBeGreaterThan(1);

        var illegal = PolicyLoader.Load(Wetherby.Replace("categories: [peer-to-peer]", "categories: [terrorism]", StringComparison.Ordinal), "wetherby.yaml").Errors;
        illegal.ShouldHaveSingleItem().Message.ShouldContain("illegal");

        var unknown = PolicyLoader.Load(Wetherby.Replace("categories: [peer-to-peer]", "categories: [peer-2-peer]", StringComparison.Ordinal), "wetherby.yaml").Errors;
        unknown.ShouldNotBeEmpty();
        unknown[0].ToString().ShouldStartWith("wetherby.yaml:");

        // A deny entry's rule may be relaxed (W4b-meeting: Wetherby's pupils' discord.com deny entry).
        PolicyLoader.Load(Wetherby.Replace("categories: [peer-to-peer]", "rules: [W4b-meeting]", StringComparison.Ordinal), "wetherby.yaml").Errors.ShouldBeEmpty();
    }

    [Fact]
    public void W4_ExemptionFromADenyRule_SkipsThatRuleOnly()
    {
        var policy = PolicyLoader.LoadFile(RepoPaths.Policy("wetherby.yaml")).Policy.ShouldNotBeNull();
        var snapshot = FilterCompiler.Compile(policy, Path.Combine(RepoPaths.Root, "policies"), "wetherby").Snapshot;
        string[] pupils = ["pupils"];
        snapshot.Decide(new FilterRequest(pupils, "discord.com", s_wednesday)).Reason.ShouldBe(DecisionReason.LocalDeny);
        var exemption = new FilterExemption(CategorySet.Empty, ["W4b-meeting"], "test exemption");
        var relaxed = snapshot.Explain(new FilterRequest(pupils, "discord.com", s_wednesday) { Exemptions = [exemption] });
        // The deny rule no longer applies, but discord.com is still in the chat category the pupils' profile blocks.
        relaxed.Reason.ShouldNotBe(DecisionReason.LocalDeny);
        relaxed.Trace.ShouldContain(t => t.Message.Contains("relaxed by an approved exemption: test exemption", StringComparison.Ordinal));
    }

    [Fact]
    public void Westfield_F10_FilteringSectionFromTheSeed_IsEnforced()
    {
        var load = PolicyLoader.LoadFile(RepoPaths.Policy("westfield.yaml"));
        load.Errors.ShouldBeEmpty();
        var policy = load.Policy.ShouldNotBeNull();
        var compilation = FilterCompiler.Compile(policy, Path.Combine(RepoPaths.Root, "policies"), "westfield");
        compilation.Problems.ShouldBeEmpty();
        var snapshot = compilation.Snapshot;

        // 1.1: nothing illegal, offensive or inappropriate (pornography), for staff and everyone else using school systems.
        foreach (var group in new[] { "staff", "volunteers", "governors", "visitors", "pupils" })
        {
            string[] profiles = [group];
            snapshot.Decide(new FilterRequest(profiles, "pornhub.com", s_wednesday)).IsBlocked.ShouldBeTrue(group);
            snapshot.Decide(new FilterRequest(profiles, "iwf-test.brightline.invalid", s_wednesday)).Reason.ShouldBe(DecisionReason.IllegalCategory);
            snapshot.Decide(new FilterRequest(profiles, "pornhub.com", s_wednesday)).Profile!.Definition.RuleId.ShouldBe("F-prohibited");
        }

        // The seed forbids no other category to staff (F4: use for school purposes is a conduct rule, not a block list).
        string[] staff = ["staff"];
        snapshot.Decide(new FilterRequest(staff, "facebook.com", s_wednesday)).IsBlocked.ShouldBeFalse();
        var blocked = FilterCompiler.Categories(policy.Filtering.FindProfile("staff").ShouldNotBeNull().Block!);
        foreach (var name in new[] { "pornography", "extremism", "hate", "malware-hacking", "proxy-vpn", "encrypted-dns" })
        {
            Categories.TryParse(name, out var category).ShouldBeTrue();
            blocked.Contains(category).ShouldBeTrue(name);
        }

        // Pupils: the seed is silent, so the product's pupil defaults (marked UNKNOWN in the file).
        string[] pupils = ["pupils"];
        snapshot.Decide(new FilterRequest(pupils, "facebook.com", s_wednesday)).IsBlocked.ShouldBeTrue();
        File.ReadAllText(RepoPaths.Policy("westfield.yaml")).ShouldContain("UNKNOWN");
    }
}
