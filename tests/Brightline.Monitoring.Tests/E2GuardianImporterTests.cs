namespace Brightline.Monitoring.Tests;

public sealed class E2GuardianImporterTests
{
    [Fact]
    public void Parse_WeightedSample_ReadsPhrasesCombinationsAndExceptions()
    {
        var result = E2GuardianImporter.Parse("""
            #listcategory: "Violence"
            # a comment
            < murder ><35>
            <slaughter><25>
            <warez>,<serial>,<generator><20>
            <kill time><-15>
            <disabled><0>

            """, "violence/weighted", MonitoringCategories.Violence);

        result.Library.Diagnostics.ShouldBeEmpty();
        var rules = result.Library.Rules;
        rules.Count.ShouldBe(4);
        rules[0].Terms[0].ShouldBe(new PhraseTerm("murder", true, true));
        rules[0].Weight.ShouldBe(35);
        rules[1].Terms[0].ShouldBe(new PhraseTerm("slaughter", false, false));
        rules[2].Terms.Select(t => t.Text).ShouldBe(["warez", "serial", "generator"]);
        rules[2].Window.ShouldBe(0);
        rules[3].IsException.ShouldBeTrue();
        rules[3].Source.ShouldBe("violence/weighted:6");
        result.PhraseCounts[MonitoringCategories.Violence].ShouldBe(4);
    }

    [Fact]
    public void Parse_ImportedLibrary_MatchesLikeE2Guardian()
    {
        var library = E2GuardianImporter.Parse("< murder ><35>\n<slaughter><25>\n<warez>,<serial><20>\n", "w", "violence").Library;
        var matcher = PhraseMatcher.Compile(library);

        matcher.Scan("a murder").ScoreOf("violence").ShouldBe(35);
        matcher.Scan("murderous").ScoreOf("violence").ShouldBe(0);
        matcher.Scan("slaughterhouse").ScoreOf("violence").ShouldBe(25);
        matcher.Scan("warez here ... much later ... a serial").ScoreOf("violence").ShouldBe(20);
    }

    [Theory]
    [InlineData("<unclosed<10>", 1)]
    [InlineData("no brackets at all", 1)]
    [InlineData("<phrase>", 1)]
    [InlineData("<phrase><ten>", 1)]
    [InlineData("<  ><10>", 1)]
    [InlineData("<a> junk <b><10>", 1)]
    [InlineData(".Include</nonexistent/file>", 1)]
    [InlineData(".Include<", 1)]
    [InlineData("<a><10>\n\u0000\u0001\u0002garbage\n<b><5>", 1)]
    public void Parse_Garbage_ReportsLineAndNeverThrows(string text, int line)
    {
        var result = E2GuardianImporter.Parse(text, "list", "other");

        result.SkippedLines.ShouldBeGreaterThan(0);
        result.Library.Diagnostics.ShouldAllBe(d => d.Source == "list" && d.Line >= line);
    }

    [Fact]
    public void Parse_BannedAndExceptionKinds_GetFixedWeights()
    {
        E2GuardianImporter.Parse("<bad phrase>", "banned", "other", kind: "banned").Library.Rules.Single().Weight.ShouldBe(200);
        E2GuardianImporter.Parse("<good phrase>", "exception", "*", kind: "exception").Library.Rules.Single().Weight.ShouldBe(-200);
    }

    [Fact]
    public void ImportFile_IncludeCycleAndLatin1_AreHandled()
    {
        var dir = Directory.CreateTempSubdirectory("e2g-").FullName;
        try
        {
            var violence = Path.Combine(dir, "violence");
            Directory.CreateDirectory(violence);
            File.WriteAllText(Path.Combine(dir, "master"), $".Include<{violence}/weighted>\n.Include<{dir}/master>\n");
            File.WriteAllBytes(Path.Combine(violence, "weighted"), [.. "<matan"u8, 0xE7, .. "a><40>\n<bad\n"u8]);

            var result = E2GuardianImporter.ImportFile(Path.Combine(dir, "master"), "other");

            result.FilesRead.ShouldBe(2);
            result.Library.Rules.ShouldHaveSingleItem().Terms[0].Text.ShouldBe("matança");
            result.Library.Rules[0].Category.ShouldBe("violence");
            var diagnostic = result.Library.Diagnostics.ShouldHaveSingleItem();
            diagnostic.Source.ShouldEndWith("violence/weighted");
            diagnostic.Line.ShouldBe(2);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("pornography/weighted_french", "sexual-content", "fr")]
    [InlineData("violence/weighted", "violence", "en")]
    [InlineData("polish/pornography/weighted", "sexual-content", "pl")]
    [InlineData("goodphrases/weighted_general_danish", "*", "da")]
    [InlineData("goodphrases/weighted_news", "*", "en")]
    [InlineData("intolerance/weighted_portuguese", "hate", "pt")]
    [InlineData("webmail/weighted", "other", "en")]
    public void Classify_ListPath_MapsCategoryAndLanguage(string path, string category, string language)
    {
        E2GuardianImporter.Classify(path).ShouldBe((category, language));
    }

    [Fact]
    public void ImportTree_DebianPhraseLists_LoadsThousandsOfPhrases()
    {
        var root = TestSupport.RequireFile(TestSupport.PhraseLists, "e2guardian");

        var result = E2GuardianImporter.ImportTree(root);

        result.FilesRead.ShouldBeGreaterThan(100);
        result.Library.Rules.Count.ShouldBeGreaterThan(5000);
        result.PhraseCounts[MonitoringCategories.SexualContent].ShouldBeGreaterThan(1000);
        result.PhraseCounts[MonitoringCategories.Violence].ShouldBeGreaterThan(50);
        result.PhraseCounts[MonitoringCategories.Drugs].ShouldBeGreaterThan(50);
        result.PhraseCounts[MonitoringCategories.Gambling].ShouldBeGreaterThan(50);
        result.PhraseCounts[MonitoringCategories.AnyCategory].ShouldBeGreaterThan(100);
        result.Library.Rules.ShouldContain(r => r.IsCombination);
        result.Library.Rules.ShouldContain(r => r.Language == "ru");
        // Real lists have a handful of odd lines; far fewer than the phrases.
        result.SkippedLines.ShouldBeLessThan(result.Library.Rules.Count / 50);

        var matcher = PhraseMatcher.Compile(result.Library);
        matcher.PatternCount.ShouldBeGreaterThan(result.Library.Rules.Count);
        matcher.Scan("this page has a massacre and a murder").ScoreOf(MonitoringCategories.Violence).ShouldBeGreaterThan(0);
        var raw = PhraseMatcher.Compile(result.Library, MatchMode.Raw);
        raw.Scan("this page has a massacre and a murder").ScoreOf(MonitoringCategories.Violence).ShouldBeGreaterThan(0);
    }

    /// <summary>
    /// Issue 16 part 1: the Japanese lists mix UTF-8, EUC-JP and Shift-JIS line by line. Each line
    /// must decode to the phrase its comment describes, and the three copies become one rule.
    /// </summary>
    [Theory]
    [InlineData("japanese/pornography/weighted")]
    [InlineData("pornography/weighted_japanese")]
    public void ImportFile_JapaneseListsInMixedEncodings_DecodeEachLineToTheRightCharacters(string list)
    {
        var path = Path.Combine(TestSupport.RequireFile(TestSupport.PhraseLists, "e2guardian"), list);

        var result = E2GuardianImporter.ImportFile(path);

        var phrases = result.Library.Rules.Select(r => r.Phrase).ToArray();
        phrases.ShouldContain("*オナニー*"); // masturbation, written in all three encodings
        phrases.ShouldContain("*セックス*"); // sex
        phrases.ShouldContain("*ロリコン*"); // lolicon
        phrases.Count(p => p == "*オナニー*").ShouldBe(1);
        phrases.Where(p => p.Any(c => c is >= '\uFF61' and <= '\uFF9F' or '\uFFFD')).ShouldBeEmpty();
        result.Library.Diagnostics.ShouldNotContain(d => d.Message.Contains("not valid in any encoding"));
    }

    [Fact]
    public void Decode_ShiftJisLine_IsReadAsShiftJisAndEucJpLineAsEucJp()
    {
        var dir = Directory.CreateTempSubdirectory("e2g-").FullName;
        try
        {
            var folder = Path.Combine(dir, "japanese", "pornography");
            Directory.CreateDirectory(folder);
            var sjis = System.Text.Encoding.GetEncoding(932).GetBytes("<セックス><50>\n");
            var euc = System.Text.Encoding.GetEncoding(51932).GetBytes("<オナニー><60>\n");
            File.WriteAllBytes(Path.Combine(folder, "weighted"), [.. sjis, .. euc]);

            var rules = E2GuardianImporter.ImportFile(Path.Combine(folder, "weighted")).Library.Rules;

            rules.Select(r => r.Terms[0].Text).ShouldBe(["セックス", "オナニー"]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("<ab><50>", "fewer than three letters")]
    [InlineData("<x><50>", "fewer than three letters")]
    [InlineData("<a.b><50>", "fewer than three letters")]
    [InlineData("<ing><50>", "inside")]
    [InlineData("<er><50>", "fewer than three letters")]
    [InlineData("<ion><30>", "inside")]
    public void Parse_PhraseThatWouldMatchOrdinaryText_IsRefusedWithAWarning(string line, string reason)
    {
        var result = E2GuardianImporter.Parse("<murder><30>\n" + line + "\n", "violence/weighted", "violence");

        result.Library.Rules.ShouldHaveSingleItem().Terms[0].Text.ShouldBe("murder");
        result.RefusedPhrases.ShouldBe(1);
        var warning = result.Library.Diagnostics.ShouldHaveSingleItem();
        warning.IsError.ShouldBeFalse();
        warning.Line.ShouldBe(2);
        warning.Source.ShouldBe("violence/weighted");
        warning.Message.ShouldStartWith("Refused:");
        warning.Message.ShouldContain(reason);
    }

    [Theory]
    [InlineData("< sex ><50>")]
    [InlineData("<ab><-20>")]
    [InlineData("<porn><40>")]
    [InlineData("< ing ><50>")]
    public void Parse_WholeWordShortPhrasesAndExceptions_AreKept(string line)
    {
        var result = E2GuardianImporter.Parse(line, "w", "other");

        result.RefusedPhrases.ShouldBe(0);
        result.Library.Rules.ShouldHaveSingleItem();
    }

    /// <summary>
    /// Issue 16 part 1, the severe finding: the whole tree flagged 94,042 of the 103,494 words of
    /// Debian's British English list. With the encodings and the guards it flags the words that
    /// really are (or contain) listed adult, drug or swear words. Measured 03/12/2026: 1,749 words
    /// (1.7%), 994 of them outside e2guardian's non-safeguarding lists (imported as "other":
    /// `disco`, `rave`, `game`, `chat`…); 134 phrases refused. The rest are the lists' own choices
    /// (`gay`, `hooker`, `aryan`, `*breast*`, `*disco*` inside "discount"), not decoding garbage.
    /// </summary>
    [Fact]
    public void ImportTree_WholeTree_FlagsOnlyAFewDictionaryWords()
    {
        var result = E2GuardianImporter.ImportTree(TestSupport.RequireFile(TestSupport.PhraseLists, "e2guardian"));
        var words = File.ReadAllLines(TestSupport.RequireFile(TestSupport.BritishWords, "wbritish"));
        var matcher = PhraseMatcher.Compile(result.Library);

        var flagged = words.Where(w => matcher.Scan(w).Hits.Any(h => h.EffectiveWeight > 0)).ToArray();

        result.RefusedPhrases.ShouldBeGreaterThan(0);
        flagged.Length.ShouldBeLessThan(MaxFlaggedWords, $"{flagged.Length} of {words.Length} words flagged, e.g. {string.Join(", ", flagged.Take(40))}");
    }

    private const int MaxFlaggedWords = 2_000;
}
