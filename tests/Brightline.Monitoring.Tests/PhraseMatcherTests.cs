namespace Brightline.Monitoring.Tests;

public sealed class PhraseMatcherTests
{
    private const string Library = """
        @category self-harm
        @severity critical
        want to die | 80
        kill myself | 80
        nobody would miss me | 70
        @category profanity
        @severity low
        ass | 5
        shit | 5
        cunt | 20
        @category violence
        @severity high
        kill | 20
        killer | 20
        shoot | 10
        groom* | 15
        kill time | -60
        killer whale | -60
        shoot a photo | -50
        @category grooming
        @severity critical
        secret & parents ~5 | 40
        send & pic & naked ~8 | 60
        """;

    private static readonly PhraseMatcher s_matcher = TestSupport.Matcher(Library);

    public static TheoryData<string, string, string> Hits() => new()
    {
        // text, expected phrase, expected original matched text
        { "I want to die", "want to die", "want to die" },
        { "i WANT to DIE!!", "want to die", "WANT to DIE" },
        { "i want, to... die", "want to die", "want, to... die" },
        { "gonna k.i.l.l m.y.s.e.l.f", "kill myself", "k.i.l.l m.y.s.e.l.f" },
        { "gonna k i l l m y s e l f tonight", "kill myself", "k i l l m y s e l f" },
        { "gonna kill  myself", "kill myself", "kill  myself" },
        { "gonna killmyself", "kill myself", "killmyself" },
        { "gonna kiiiill myselffff", "kill myself", "kiiiill myselffff" },
        { "gonna k1ll mys3lf", "kill myself", "k1ll mys3lf" },
        { "gonna кill myself", "kill myself", "кill myself" },
        { "n0b0dy w0uld m1ss m3", "nobody would miss me", "n0b0dy w0uld m1ss m3" },
        { "what a pain in the @ss", "ass", "@ss" },
        { "sh!t happens", "shit", "sh!t" },
        { "$h1t", "shit", "$h1t" },
        { "grooming", "groom*", "groom" },
    };

    [Theory]
    [MemberData(nameof(Hits))]
    public void Scan_PhraseWithEvasion_FindsPhraseAtOriginalSpan(string text, string phrase, string matched)
    {
        var result = s_matcher.Scan(text);

        var hit = result.Hits.Where(h => h.Phrase == phrase).ShouldHaveSingleItem($"hits: {string.Join(", ", result.Hits.Select(h => h.Phrase))}");
        hit.MatchedText.ShouldBe(matched);
        text.Substring(hit.Start, hit.Length).ShouldBe(matched);
    }

    [Theory]
    [InlineData("Scunthorpe United")]
    [InlineData("an assassin in the class")]
    [InlineData("a looser fit")]
    [InlineData("a bunch of grapes and a cocktail in Essex")]
    [InlineData("the therapist was classic")]
    [InlineData("skill and skilled killers? no: skillet")]
    [InlineData("assess the passage")]
    [InlineData("as you like it")]
    [InlineData("shoots and leaves")]
    [InlineData("Shitake mushrooms, shiitake")]
    [InlineData("I have 5 apples and 1 pear")]
    public void Scan_OrdinaryWords_RaisesNoHit(string text)
    {
        var result = s_matcher.Scan(text);

        result.Hits.ShouldBeEmpty($"hits: {string.Join(", ", result.Hits.Select(h => $"{h.Phrase}@'{h.MatchedText}'"))}");
    }

    [Fact]
    public void Scan_StretchedLetters_NeedAtLeastThePhrasesRuns()
    {
        s_matcher.Scan("asss").Hits.ShouldHaveSingleItem().Phrase.ShouldBe("ass");
        s_matcher.Scan("as").Hits.ShouldBeEmpty();
        s_matcher.Scan("asssss").Hits.ShouldHaveSingleItem();
        s_matcher.Scan("shhhiiit").Hits.ShouldHaveSingleItem().MatchedText.ShouldBe("shhhiiit");
        // A double letter alone is not a stretch, but in a word of four letters or more it is a
        // doubled-letter edit (issue 16), compiled only where the result is no dictionary word.
        s_matcher.Scan("shiit").Hits.ShouldHaveSingleItem().MatchedText.ShouldBe("shiit");
        s_matcher.Scan("Shiitake mushrooms").Hits.ShouldBeEmpty();
    }

    [Fact]
    public void Scan_ExceptionOverlappingHit_LowersCategoryScore()
    {
        var plain = s_matcher.Scan("I will kill him");
        var excepted = s_matcher.Scan("I will kill time");

        plain.ScoreOf("violence").ShouldBe(20);
        excepted.ScoreOf("violence").ShouldBe(0);
        var exception = excepted.Hits.Single(h => h.Kind == HitKind.Exception);
        exception.Phrase.ShouldBe("kill time");
        exception.EffectiveWeight.ShouldBe(-20);
        excepted.Hits.Single(h => h.Kind == HitKind.Phrase).EffectiveWeight.ShouldBe(0);
        excepted.MaxSeverity.ShouldBeNull();
    }

    [Theory]
    [InlineData("we saw a killer whale", 0)]
    [InlineData("let's shoot a photo", 0)]
    [InlineData("he is a killer", 20)]
    public void Scan_Exceptions_CancelOnlyWhatTheyOverlap(string text, int score)
    {
        s_matcher.Scan(text).ScoreOf("violence").ShouldBe(score);
    }

    [Fact]
    public void Scan_ExceptionElsewhere_DoesNotHideLaterHit()
    {
        var result = s_matcher.Scan("just here to kill time. later I will kill him");

        result.ScoreOf("violence").ShouldBe(20);
        result.MaxSeverity.ShouldBe(Severity.High);
    }

    [Fact]
    public void Scan_CombinationWithinWindow_Scores()
    {
        var result = s_matcher.Scan("it is a secret, never tell parents");

        var hit = result.Hits.ShouldHaveSingleItem();
        hit.Kind.ShouldBe(HitKind.Combination);
        hit.Phrase.ShouldBe("secret & parents ~5");
        hit.MatchedText.ShouldBe("secret, never tell parents");
        result.ScoreOf("grooming").ShouldBe(40);
    }

    [Fact]
    public void Scan_CombinationBeyondWindow_DoesNotScore()
    {
        var result = s_matcher.Scan("it is a secret and you must never ever tell your parents");

        result.Hits.ShouldBeEmpty();
    }

    [Fact]
    public void Scan_CombinationMissingATerm_DoesNotScore()
    {
        s_matcher.Scan("send me a pic").Hits.ShouldBeEmpty();
        s_matcher.Scan("send me a pic, naked").Hits.ShouldHaveSingleItem().Kind.ShouldBe(HitKind.Combination);
    }

    [Fact]
    public void Scan_CombinationTermsInAnyOrder_Scores()
    {
        s_matcher.Scan("naked pic, send it").ScoreOf("grooming").ShouldBe(60);
    }

    [Fact]
    public void Scan_SeveralCategories_ScoresEachAndOrdersByScore()
    {
        var result = s_matcher.Scan("shit, I want to die");

        result.Scores.Select(s => s.Category).ShouldBe(["self-harm", "profanity"]);
        result.ScoreOf("self-harm").ShouldBe(80);
        result.ScoreOf("profanity").ShouldBe(5);
        result.TotalScore.ShouldBe(85);
        result.MaxSeverity.ShouldBe(Severity.Critical);
    }

    [Fact]
    public void Scan_RepeatedPhrase_CountsEachOccurrence()
    {
        var result = s_matcher.Scan("shit shit");

        result.Hits.Count.ShouldBe(2);
        result.ScoreOf("profanity").ShouldBe(10);
    }

    [Fact]
    public void Scan_RawMode_IsCaseInsensitiveButNotNormalised()
    {
        var raw = PhraseMatcher.Compile(PhraseLibrary.Parse(Library, "t"), MatchMode.Raw);

        raw.Scan("I WANT TO DIE").Hits.ShouldHaveSingleItem().MatchedText.ShouldBe("WANT TO DIE");
        raw.Scan("k1ll myself").Hits.ShouldBeEmpty();
        raw.Scan("Scunthorpe").Hits.ShouldBeEmpty();
        raw.CountMatches("kill kill assassin").ShouldBe(2);
    }

    [Fact]
    public void CountMatches_Normalised_CountsAcceptedMatches()
    {
        s_matcher.CountMatches("k1ll, kill, skill").ShouldBe(2);
    }

    [Fact]
    public void Scan_ConcurrentThreads_GiveSameResults()
    {
        var texts = new[] { "I want to die", "k.i.l.l m.y.s.e.l.f", "kill time", "secret, tell parents", "nothing here" };
        var expected = texts.Select(t => s_matcher.Scan(t).TotalScore).ToArray();

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var k = i % texts.Length;
            s_matcher.Scan(texts[k]).TotalScore.ShouldBe(expected[k]);
        });
    }

    public static TheoryData<string, string, string> Multilingual() => new()
    {
        { "Dw i eisiau marw", "self-harm", "Dw i eisiau marw" },
        { "chcę umrzeć", "self-harm", "chcę umrzeć" },
        { "CHCĘ UMRZEĆ!!!", "self-harm", "CHCĘ UMRZEĆ" },
        { "nikt by za mną nie tęsknił", "self-harm", "nikt by za mną nie tęsknił" },
        { "me quiero morir", "self-harm", "me quiero morir" },
        { "nadie me extrañaría", "self-harm", "nadie me extrañaría" },
        { "to nasza tajemnica", "grooming", "to nasza tajemnica" },
        { "es nuestro secreto", "grooming", "es nuestro secreto" },
        { "ein cyfrinach ni", "grooming", "ein cyfrinach ni" },
        { "kurwa", "profanity", "kurwa" },
    };

    [Theory]
    [MemberData(nameof(Multilingual))]
    public void Scan_BuiltInOtherLanguages_FindsPhraseAtOriginalSpan(string text, string category, string matched)
    {
        var result = PhraseMatcher.BuiltIn.Scan(text);

        result.Hits.ShouldContain(h => h.Category == category && h.MatchedText == matched, $"hits: {string.Join(", ", result.Hits.Select(h => $"{h.Category}:{h.Phrase}@'{h.MatchedText}'"))}");
    }

    [Theory]
    [InlineData("I want to die", "self-harm", Severity.Critical)]
    [InlineData("nobody would miss me if I was gone", "self-harm", Severity.Critical)]
    [InlineData("keep it our secret ok?", "grooming", Severity.Critical)]
    [InlineData("you should join the cause brother", "extremism", Severity.High)]
    [InlineData("send nudes", "sexual-content", Severity.High)]
    [InlineData("where can I buy weed", "drugs", Severity.High)]
    [InlineData("i'm going to kill you", "violence", Severity.Critical)]
    [InlineData("lost all my money betting", "gambling", Severity.High)]
    [InlineData("go back to your country", "hate", Severity.High)]
    [InlineData("nobody likes you", "bullying", Severity.Medium)]
    [InlineData("fuck off", "profanity", Severity.Low)]
    public void Scan_BuiltInEnglish_FlagsIndicatorPhrases(string text, string category, Severity severity)
    {
        var result = PhraseMatcher.BuiltIn.Scan(text);

        result.ScoreOf(category).ShouldBeGreaterThan(0);
        result.Scores.First(s => s.Category == category).MaxSeverity.ShouldBe(severity);
    }

    [Theory]
    [InlineData("we went to see the killer whales and killed some time")]
    [InlineData("just killing time before the photo shoot")]
    [InlineData("I'm killing myself laughing")]
    [InlineData("a diet coke please")]
    public void Scan_BuiltInExceptions_LeaveNoScore(string text)
    {
        var result = PhraseMatcher.BuiltIn.Scan(text);

        result.TotalScore.ShouldBe(0, $"hits: {string.Join(", ", result.Hits.Select(h => $"{h.Phrase}={h.EffectiveWeight}"))}");
    }
}
