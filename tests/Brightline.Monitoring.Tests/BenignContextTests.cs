namespace Brightline.Monitoring.Tests;

/// <summary>
/// Issue 16 part 4 (data half): exceptions for the innocent uses the issue lists, and their
/// families. An exception cancels only the hits it overlaps, so a real disclosure in the same
/// text still counts.
/// </summary>
public sealed class BenignContextTests
{
    [Theory]
    [InlineData("I want to die my hair purple for the summer")]
    [InlineData("She wants to die her hair blonde")]
    [InlineData("Can I cut myself a slice of cake?")]
    [InlineData("I cut myself shaving this morning")]
    [InlineData("It's our little secret for Mum's surprise party")]
    [InlineData("keep it quiet, it's our secret for the surprise party on Friday")]
    [InlineData("We had a PSHE lesson on self-harm awareness")]
    [InlineData("Self-harm awareness week starts on Monday")]
    [InlineData("A police officer gave a talk on county lines")]
    [InlineData("The county lines workshop is in the hall")]
    [InlineData("The school follows the national action plan for literacy")]
    [InlineData("Write 14 words about your holiday")]
    [InlineData("Your answer should be 14 words or less")]
    [InlineData("There are 420 pupils in the school")]
    [InlineData("My mum loves the Spice Girls")]
    [InlineData("Add a pinch of mixed spice to the batter")]
    [InlineData("You'll kill yourself laughing at this video")]
    [InlineData("Bring a knife to school for food tech on Tuesday")]
    public void Scan_InnocentUseFromIssue_RaisesNothing(string text)
    {
        var result = PhraseMatcher.BuiltIn.Scan(text);

        result.Scores.Where(s => s.Score > 0).ShouldBeEmpty(TextSpeakTests.Describe(text, result));
    }

    [Theory]
    [InlineData("We had a lesson on self-harm and I self harm every night", "self-harm")]
    [InlineData("I want to die my hair. Honestly I want to die", "self-harm")]
    [InlineData("cut myself a slice of cake then cut myself again with the knife", "self-harm")]
    [InlineData("It's our little secret for Mum's surprise party. Don't tell your parents about us", "grooming")]
    [InlineData("After the talk on county lines he asked me to run a line for him", "drugs")]
    public void Scan_DisclosureNextToInnocentUse_StillCaught(string text, string category)
    {
        var result = PhraseMatcher.BuiltIn.Scan(text);

        result.ScoreOf(category).ShouldBeGreaterThan(0, TextSpeakTests.Describe(text, result));
    }

    /// <summary>
    /// A benign-context exception must never be one a child could use about themselves: help-seeking and cover stories
    /// are what the DSL most needs to see (a false positive costs a minute, a missed disclosure costs a child).
    /// </summary>
    [Theory]
    [MemberData(nameof(HelpSeekingOrCoverStories))]
    public void Scan_HelpSeekingOrCoverStory_IsNeverCancelled(string text)
    {
        var result = PhraseMatcher.BuiltIn.Scan(text);

        result.ScoreOf(MonitoringCategories.SelfHarm).ShouldBeGreaterThan(0, TextSpeakTests.Describe(text, result));
    }

    /// <summary>The list the host also guards a school's own exceptions with (<see cref="NeverCancelled"/>).</summary>
    public static TheoryData<string> HelpSeekingOrCoverStories() => [.. NeverCancelled.Sentences];

    /// <summary>
    /// Ordinary school sentences (written for this test, not taken from the libraries): none may
    /// raise a positive score. The issue's target is at most 1% false positives; this set is held
    /// to zero so that a regression is visible.
    /// </summary>
    [Fact]
    public void Scan_OrdinarySchoolSentences_RaiseNothing()
    {
        string[] sentences =
        [
            "Please bring your PE kit on Thursday.",
            "We are going to the science museum next week.",
            "Are you going to the disco on Friday?",
            "I'm going to finish my homework tonight.",
            "Don't forget to tell your parents about parents' evening.",
            "Can you send me a picture of the homework sheet?",
            "What are you doing for the history project?",
            "The school play is a murder mystery.",
            "Year 9 are going to learn about the Second World War.",
            "I cut my finger in food tech but it's fine now.",
            "We are learning about the water cycle in geography.",
            "My nan makes the best curry with loads of spice.",
            "He scored 420 runs this season.",
            "The assembly was about anti-bullying week.",
            "We learnt about the Spice Trade in history.",
            "I'm gonna revise for my maths test.",
            "r u coming 2 football practice 2nite?",
            "wat time is the bus tomorrow",
            "dont forget ur lunch money",
            "I'll shoot you a message when I'm home.",
            "The national action plan for literacy begins in September.",
            "Our teacher said to write 14 words or fewer.",
            "imma go to the library after school",
            "ur essay was really good",
        ];

        var flagged = sentences
            .Select(s => (Sentence: s, Result: PhraseMatcher.BuiltIn.Scan(s)))
            .Where(x => x.Result.Scores.Any(c => c.Score > 0))
            .Select(x => TextSpeakTests.Describe(x.Sentence, x.Result))
            .ToArray();

        flagged.ShouldBeEmpty();
    }
}
