namespace Brightline.Monitoring.Tests;

public sealed class PhraseLibraryTests
{
    [Fact]
    public void Parse_AllLineKinds_ReadsRules()
    {
        var library = PhraseLibrary.Parse("""
            # comment
            @category self-harm
            @language en
            @severity high
            @weight 30
            want to die
            kill myself | 80 | critical
            cut myself*
            *phobe | 10 | low
            stem | 5 | low | part
            kill time | -40
            pills & overdose ~6 | 50
            """, "lib.txt");

        library.Diagnostics.ShouldBeEmpty();
        library.Rules.Count.ShouldBe(7);
        library.Rules[0].ShouldSatisfyAllConditions(
            r => r.Category.ShouldBe("self-harm"),
            r => r.Weight.ShouldBe(30),
            r => r.Severity.ShouldBe(Severity.High),
            r => r.Source.ShouldBe("lib.txt:6"));
        library.Rules[1].Severity.ShouldBe(Severity.Critical);
        library.Rules[2].Terms[0].ShouldBe(new PhraseTerm("cut myself", true, false));
        library.Rules[3].Terms[0].ShouldBe(new PhraseTerm("phobe", false, true));
        library.Rules[4].Terms[0].WholeWord.ShouldBeFalse();
        library.Rules[5].IsException.ShouldBeTrue();
        library.Rules[6].IsCombination.ShouldBeTrue();
        library.Rules[6].Window.ShouldBe(6);
        library.Rules[6].Phrase.ShouldBe("pills & overdose ~6");
    }

    [Theory]
    [InlineData("want to die", "before any '@category'")]
    [InlineData("@category Bad Category", "not 1-40")]
    [InlineData("@category x\nphrase | lots", "not a whole number")]
    [InlineData("@category x\nphrase | 5 | severe", "not one of low")]
    [InlineData("@category x\nphrase | 0", "not 0")]
    [InlineData("@category x\n... | 5", "no letters")]
    [InlineData("@category x\nki*ll | 5", "'*' may only")]
    [InlineData("@category x\na & b | -5", "exception")]
    [InlineData("@category x\na ~5 | 5", "only makes sense")]
    [InlineData("@category x\na & b ~zero | 5", "'~' window")]
    [InlineData("@frobnicate yes", "Unknown directive")]
    [InlineData("@category x\na | 1 | low | word | extra", "Too many")]
    public void Parse_MalformedLine_ReportsFileAndLine(string text, string message)
    {
        var library = PhraseLibrary.Parse(text, "bad.txt");

        var diagnostic = library.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Message.ShouldContain(message);
        diagnostic.Source.ShouldBe("bad.txt");
        diagnostic.Line.ShouldBeGreaterThan(0);
        diagnostic.ToString().ShouldStartWith($"bad.txt:{diagnostic.Line}: ");
        Should.Throw<PhraseLibraryException>(() => library.ThrowIfErrors()).Diagnostics.Count.ShouldBe(1);
    }

    [Fact]
    public void BuiltIn_EveryShippedLibrary_LoadsWithoutDiagnostics()
    {
        var library = PhraseLibrary.BuiltIn();

        library.Diagnostics.ShouldBeEmpty(string.Join(Environment.NewLine, library.Diagnostics));
        PhraseLibrary.BuiltInNames.ShouldContain("en/self-harm");
        PhraseLibrary.BuiltInNames.ShouldContain("cy/self-harm");
        PhraseLibrary.BuiltInNames.ShouldContain("pl/self-harm");
        PhraseLibrary.BuiltInNames.ShouldContain("es/self-harm");
        library.Categories.ShouldBe(
            ["bullying", "self-harm", "grooming", "drugs", "extremism", "gambling", "hate", "profanity", "sexual-content", "violence", "security-misuse"],
            ignoreOrder: true);
        library.Rules.Select(r => r.Language).Distinct().ShouldBe(["ar", "cy", "en", "es", "pl", "ur"], ignoreOrder: true);
        library.Rules.ShouldContain(r => r.IsException);
        library.Rules.ShouldContain(r => r.IsCombination);
    }

    [Fact]
    public void BuiltIn_ByLanguage_LoadsOnlyThatLanguage()
    {
        var library = PhraseLibrary.BuiltIn("pl");

        library.Rules.ShouldAllBe(r => r.Language == "pl");
        library.Rules.ShouldNotBeEmpty();
        PhraseLibrary.BuiltIn("xx/none").Diagnostics.ShouldHaveSingleItem();
    }

    [Fact]
    public void BuiltIn_EnglishLibrary_HasNoDuplicatePhrasesPerCategory()
    {
        var duplicates = PhraseLibrary.BuiltIn("en").Rules
            .GroupBy(r => (r.Category, TextNormaliser.Normalise(r.Phrase).Text))
            .Where(g => g.Count() > 1)
            .Select(g => g.Key.ToString())
            .ToArray();

        duplicates.ShouldBeEmpty();
    }
}
