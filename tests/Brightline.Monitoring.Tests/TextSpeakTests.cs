namespace Brightline.Monitoring.Tests;

/// <summary>
/// Issue 16 part 3: text-speak and slang as data (Libraries/textspeak.txt compiled as phrase
/// forms), slang and euphemisms as library phrases, and paraphrase families in the library format.
/// </summary>
public sealed class TextSpeakTests
{
    [Theory]
    [InlineData("unalive myself", "self-harm")]
    [InlineData("i want to unalive", "self-harm")]
    [InlineData("sewerslide", "self-harm")]
    [InlineData("thinking about sewer slide", "self-harm")]
    [InlineData("ctb", "self-harm")]
    [InlineData("kms", "self-harm")]
    [InlineData("i h8 myself", "self-harm")]
    [InlineData("no1 would miss me", "self-harm")]
    [InlineData("noone will miss me", "self-harm")]
    [InlineData("i am going to hang myself", "self-harm")]
    [InlineData("im gonna hang myself tonight", "self-harm")]
    [InlineData("i took an overdose", "self-harm")]
    [InlineData("gonna take an overdose", "self-harm")]
    [InlineData("i wanna die", "self-harm")]
    [InlineData("i dont want to live anymore", "self-harm")]
    [InlineData("kys", "bullying")]
    [InlineData("you should just die", "bullying")]
    [InlineData("u should just die", "bullying")]
    [InlineData("ur so ugly", "bullying")]
    [InlineData("go kill urself", "bullying")]
    [InlineData("r u home alone", "grooming")]
    [InlineData("dont tell ur parents", "grooming")]
    [InlineData("wat r u wearing", "grooming")]
    [InlineData("send me ur nudes", "grooming")]
    [InlineData("gonna stab u", "violence")]
    [InlineData("ima kill u", "violence")]
    [InlineData("imma kill you", "violence")]
    [InlineData("bringin a blade 2 skool", "violence")]
    [InlineData("im bringing a knife to school", "violence")]
    public void Scan_TextSpeakAndSlangFromIssue_CaughtInItsCategory(string text, string category)
    {
        var result = PhraseMatcher.BuiltIn.Scan(text);

        result.ScoreOf(category).ShouldBeGreaterThan(0, Describe(text, result));
        result.Scores[0].Category.ShouldBe(category, Describe(text, result));
    }

    [Fact]
    public void Scan_TextSpeakForm_PointsAtWhatWasTypedAndNamesTheLibraryPhrase()
    {
        var text = "hey r u home alone?";

        var hit = PhraseMatcher.BuiltIn.Scan(text).Hits.Single(h => h.Kind == HitKind.Phrase);

        hit.MatchedText.ShouldBe("r u home alone");
        hit.Start.ShouldBe(4);
        hit.Phrase.ShouldBe("are you home alone");
    }

    [Fact]
    public void Forms_EnglishPhrase_IncludesCommonTextSpeakAndIsCapped()
    {
        var forms = PhraseForms.Forms("don't tell your parents", "en");

        forms.ShouldContain("dont tell ur parents");
        forms.Count.ShouldBeLessThanOrEqualTo(PhraseForms.MaxForms);
        PhraseForms.Forms("don't tell your parents", "xx").ShouldBeEmpty();
    }

    [Fact]
    public void Forms_ShippedRuleFiles_ParseWithoutDiagnostics()
    {
        PhraseForms.Diagnostics.ShouldBeEmpty();
        PhraseForms.RuleCount("en").ShouldBeGreaterThan(50);
        PhraseForms.RuleCount("cy").ShouldBeGreaterThan(5);
        PhraseForms.RuleCount("pl").ShouldBeGreaterThan(3);
    }

    [Theory]
    [InlineData("@language en\nyou u", "Expected 'words = form, form'")]
    [InlineData("you = u", "before any '@language'")]
    [InlineData("@language en\n*ing = in", "written '*in'")]
    [InlineData("@language en\nll* = *l", "written 'l*'")]
    [InlineData("@language en\none two three four five = x", "more than 4 words")]
    [InlineData("@language en\nyou =", "no forms")]
    [InlineData("@lang en", "Unknown directive")]
    public void ParseForms_BadLine_ReportsFileAndLine(string text, string message)
    {
        var (_, diagnostics) = PhraseForms.Parse(new StringReader(text), "forms.txt");

        var diagnostic = diagnostics.ShouldHaveSingleItem();
        diagnostic.ToString().ShouldStartWith("forms.txt:");
        diagnostic.Message.ShouldContain(message);
    }

    [Fact]
    public void Parse_Family_ExpandsEveryAlternativeWithTheLineDefaults()
    {
        var library = PhraseLibrary.Parse("""
            @category self-harm
            (going to|gonna|about to) (hang|drown) myself | 70 | critical
            i (really |)want to disappear
            """, "lib.txt");

        library.Diagnostics.ShouldBeEmpty();
        library.Rules.Select(r => r.Phrase).ShouldBe([
            "going to hang myself", "going to drown myself", "gonna hang myself", "gonna drown myself",
            "about to hang myself", "about to drown myself", "i really want to disappear", "i want to disappear"]);
        library.Rules.Take(6).ShouldAllBe(r => r.Weight == 70 && r.Severity == Severity.Critical && r.Source == "lib.txt:2");
        TestSupport.Matcher("@category x\n(going to|gonna) hang myself | 50").Scan("im gonna hang myself").ScoreOf("x").ShouldBe(50);
    }

    [Theory]
    [InlineData("@category x\n(a|b hang", "not closed")]
    [InlineData("@category x\na|b) hang | 5", "not a whole number")]
    [InlineData("@category x\nb) hang", "no matching '('")]
    [InlineData("@category x\n((a|b)) hang", "nested")]
    [InlineData("@category x\n() hang", "empty '()'")]
    [InlineData("@category x\n(a|b) & c ~5 | 5", "combination")]
    [InlineData("@category x\n(a|b|c|d|e|f|g|h|i) (a|b|c|d|e|f|g|h|i) x", "more than 64")]
    public void Parse_BadFamily_ReportsFileAndLine(string text, string message)
    {
        var library = PhraseLibrary.Parse(text, "lib.txt");

        var diagnostic = library.Diagnostics.ShouldHaveSingleItem();
        diagnostic.ToString().ShouldStartWith("lib.txt:2:");
        diagnostic.Message.ShouldContain(message);
        library.Rules.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_FamilyAlternativesThatNormaliseAlike_BecomeOneRule()
    {
        var library = PhraseLibrary.Parse("@category x\nour secret for (mum's|mums) party | -10", "lib.txt");

        library.Rules.ShouldHaveSingleItem().Phrase.ShouldBe("our secret for mum's party");
    }

    [Fact]
    public void BuiltIn_EveryShippedLibrary_LoadsWithoutDiagnostics()
    {
        var library = PhraseLibrary.BuiltIn();

        library.Diagnostics.ShouldBeEmpty();
        PhraseLibrary.BuiltInNames.ShouldNotContain("textspeak");
        PhraseLibrary.BuiltInNames.ShouldNotContain("morphology");
        PhraseLibrary.BuiltInNames.ShouldContain("ur/self-harm");
        PhraseLibrary.BuiltInNames.ShouldContain("ar/grooming");
    }

    internal static string Describe(string text, ScanResult result) =>
        $"'{text}' -> {string.Join(", ", result.Hits.Select(h => $"{h.Category}:{h.Phrase}={h.EffectiveWeight}"))}";
}
