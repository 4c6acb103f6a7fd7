namespace Brightline.Policy.Tests;

/// <summary>The date-dependent warnings on a valid policy (W12, O23, C22): a review that is due soon or past is said, with its position.</summary>
public sealed class PolicyAdvisoriesTests
{
    private static string Read(string file) => File.ReadAllText(Path.Combine(RepoFiles.PoliciesDir, file));

    private static int LineOf(string yaml, string start) =>
        yaml.Split('\n').Select((l, i) => (l, i)).First(x => x.l.TrimStart().StartsWith(start, StringComparison.Ordinal)).i + 1;

    [Fact]
    public void C22_StClements_ReviewPast_WarnsAtNextReview()
    {
        var yaml = Read("st-clements.yaml");
        var warning = PolicyAdvisories.For(yaml, "st-clements.yaml", new DateOnly(2026, 12, 3)).ShouldHaveSingleItem();
        warning.Line.ShouldBe(LineOf(yaml, "next_review:"));
        warning.Column.ShouldBe(16);
        warning.Message.ShouldStartWith("warning: the policy's review was due on 1 February 2026 and has not been recorded");
        // The policy still loads: a late review must never switch a school's filtering off.
        PolicyLoader.Load(yaml, "st-clements.yaml").Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void W12_Wetherby_ReviewWithinThirtyDays_SaysHowLong_AndNothingEarlier()
    {
        var yaml = Read("wetherby.yaml"); // next_review: 2026-06-01
        PolicyAdvisories.For(yaml, "wetherby.yaml", new DateOnly(2026, 5, 11)).ShouldHaveSingleItem()
            .Message.ShouldBe("warning: the policy is due for review on 1 June 2026, in 21 day(s)");
        PolicyAdvisories.For(yaml, "wetherby.yaml", new DateOnly(2026, 4, 30)).ShouldBeEmpty();
        PolicyAdvisories.For(yaml, "wetherby.yaml", new DateOnly(2026, 6, 1)).ShouldHaveSingleItem().Message.ShouldContain("in 0 day(s)");
    }

    [Fact]
    public void BrokenText_GivesNoWarnings_TheLoaderReportsIt()
    {
        PolicyAdvisories.For("policy: [", "bad.yaml", new DateOnly(2026, 12, 3)).ShouldBeEmpty();
        PolicyAdvisories.For("policy: { next_review: 2026-02-30 }", "bad.yaml", new DateOnly(2026, 12, 3)).ShouldBeEmpty();
    }
}
