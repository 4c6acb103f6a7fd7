namespace Brightline.Monitoring.Tests;

/// <summary>
/// Issue 16 part 4 (host half): a school's own exceptions, applied on top of the built-in matcher with the engine's
/// exception rule (only the hits they overlap, only their category).
/// </summary>
public sealed class ExceptionOverlayTests
{
    private static ExceptionOverlay Overlay(string lines) =>
        ExceptionOverlay.Compile(PhraseLibrary.Parse(lines, "school").ThrowIfErrors());

    [Fact]
    public void Apply_ExceptionAroundHit_CancelsIt()
    {
        const string text = "the drama club will kill him off in act two";
        var before = PhraseMatcher.BuiltIn.Scan(text);
        before.TotalScore.ShouldBeGreaterThan(0, TextSpeakTests.Describe(text, before));
        var category = before.Scores[0].Category;

        var after = Overlay($"@category {category}\nwill kill him off | -1000").Scan(PhraseMatcher.BuiltIn, text);

        after.ScoreOf(category).ShouldBe(0, TextSpeakTests.Describe(text, after));
        after.Hits.ShouldContain(h => h.Kind == HitKind.Exception && h.EffectiveWeight < 0 && h.Rule.Source == "school:2");
    }

    [Fact]
    public void Apply_SameHitElsewhereInText_StillCounts()
    {
        const string text = "the drama club will kill him off in act two. honestly i will kill him tomorrow";
        var before = PhraseMatcher.BuiltIn.Scan(text);
        var category = before.Scores[0].Category;

        var after = Overlay($"@category {category}\nwill kill him off | -1000").Scan(PhraseMatcher.BuiltIn, text);

        after.ScoreOf(category).ShouldBeGreaterThan(0, TextSpeakTests.Describe(text, after));
    }

    [Fact]
    public void Apply_OtherCategory_CancelsNothing()
    {
        const string text = "the drama club will kill him off in act two";
        var before = PhraseMatcher.BuiltIn.Scan(text);

        var after = Overlay("@category gambling\nwill kill him off | -1000").Scan(PhraseMatcher.BuiltIn, text);

        after.TotalScore.ShouldBe(before.TotalScore);
    }

    [Fact]
    public void Apply_LeetSpelling_IsCancelledLikeBuiltInExceptions()
    {
        const string text = "the drama club will k1ll him off in act two";
        var before = PhraseMatcher.BuiltIn.Scan(text);
        before.TotalScore.ShouldBeGreaterThan(0, TextSpeakTests.Describe(text, before));
        var category = before.Scores[0].Category;

        var after = Overlay($"@category {category}\nwill kill him off | -1000").Scan(PhraseMatcher.BuiltIn, text);

        after.ScoreOf(category).ShouldBe(0, TextSpeakTests.Describe(text, after));
    }

    [Fact]
    public void Compile_PositiveRule_IsRefused()
    {
        Should.Throw<ArgumentException>(() => Overlay("@category bullying\nnobody likes you | 40"));
    }

    [Fact]
    public void Empty_LeavesScanUnchanged()
    {
        const string text = "i want to die";
        var before = PhraseMatcher.BuiltIn.Scan(text);

        ExceptionOverlay.Empty.Apply(before, text).ShouldBeSameAs(before);
        ExceptionOverlay.Compile(PhraseLibrary.Empty).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void LoweredBy_ExceptionOverHelpSeeking_NamesTheSentence()
    {
        var overlay = Overlay("@category self-harm\nneed help with self harm | -1000");

        NeverCancelled.LoweredBy(overlay, PhraseMatcher.BuiltIn).ShouldBe(["i need help with self harm"]);
    }

    [Fact]
    public void LoweredBy_UnrelatedException_IsEmpty()
    {
        var overlay = Overlay("@category violence\nwill kill him off | -1000");

        NeverCancelled.LoweredBy(overlay, PhraseMatcher.BuiltIn).ShouldBeEmpty();
    }
}
