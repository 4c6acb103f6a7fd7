using Brightline.Policy.Model;

namespace Brightline.Policy.Tests;

/// <summary>
/// The <c>consents:</c> section (F11, C14): questions with a fixed channel vocabulary, pupil groups, the child's verbal
/// consent and yearly renewal, checked with positions; the seeds' sections parsed; the written policy's part.
/// </summary>
public sealed class ConsentsPolicyTests
{
    private static string With(string section) => PolicyLoaderTests.Valid + "\n" + section;

    private static IReadOnlyList<string> Errors(string yaml) =>
        PolicyLoader.Load(yaml, "test.yaml").Errors.Select(e => e.ToString()).ToList();

    private static SchoolPolicy Seed(string file) =>
        PolicyLoader.LoadValid(File.ReadAllText(Path.Combine(RepoFiles.PoliciesDir, file)), file);

    private const string Section = """
        consents:
          answered_by: parents
          publication: { first_names_only: true, home_address: never }
          questions:
            - id: website
              text: May we publish photographs of your child on the school website?
              channel: website
              child_verbal: true
              requirement: C14
            - id: displays
              text: May photographs of your child be shown on displays?
              channel: displays
              renew: never
        """;

    [Fact]
    public void C14_Section_BuildsTheModel_DefaultsToEveryPupilGroupAndYearly()
    {
        var consents = PolicyLoader.LoadValid(With(Section), "test.yaml").Consents;
        consents.Stated.ShouldBeTrue();
        consents.FirstNamesOnly.ShouldBe(true);
        consents.HomeAddress.ShouldBe("never");
        var website = consents.Find("website").ShouldNotBeNull();
        website.Groups.ShouldBe(["ks1"]);
        website.ChildVerbal.ShouldBeTrue();
        website.Renew.ShouldBe(ConsentRenewal.Yearly);
        consents.Find("displays")!.Renew.ShouldBe(ConsentRenewal.Never);
    }

    [Fact]
    public void UnknownChannel_NonPupilGroup_DuplicateChannel_AreErrorsWithPositions()
    {
        Errors(With(Section.Replace("channel: website", "channel: tiktok", StringComparison.Ordinal)))
            .ShouldContain(e => e.Contains(":16: 'channel' must be one of website, newsletter", StringComparison.Ordinal) && e.Contains("not 'tiktok'", StringComparison.Ordinal));
        Errors(With(Section.Replace("      child_verbal: true", "      groups: [staff]\n      child_verbal: true", StringComparison.Ordinal)))
            .ShouldContain(e => e.EndsWith("consent question 'website': group 'staff' is not a pupil group; consent is asked about children", StringComparison.Ordinal));
        Errors(With(Section.Replace("channel: displays", "channel: website", StringComparison.Ordinal)))
            .ShouldContain(e => e.Contains("group 'ks1' is already asked about channel 'website'", StringComparison.Ordinal));
        Errors(With(Section.Replace("id: displays", "id: website", StringComparison.Ordinal)))
            .ShouldContain(e => e.Contains("duplicate consent question id 'website'", StringComparison.Ordinal));
    }

    [Fact]
    public void F11_C14_Seeds_StateTheirQuestions_AndTheWrittenPolicySaysSo()
    {
        var stClements = Seed("st-clements.yaml");
        stClements.Consents.Questions.ShouldAllBe(q => q.ChildVerbal && q.Requirement == "C14");
        stClements.Consents.HomeAddress.ShouldBe("never");
        var westfield = Seed("westfield.yaml");
        westfield.Consents.Questions.Select(q => q.Channel).ShouldBe(["website", "press", "social_media"]);
        westfield.Consents.Questions.ShouldAllBe(q => !q.ChildVerbal && q.Requirement == "F11");
        var html = PolicyRenderer.PolicyFragment(stClements);
        html.ShouldContain("Photographs and media");
        html.ShouldContain("The child's own verbal consent is also asked and recorded by staff; both are needed.");
        html.ShouldContain("children are named by their first name only (never a surname)");
    }
}
