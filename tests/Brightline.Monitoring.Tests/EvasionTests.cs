namespace Brightline.Monitoring.Tests;

/// <summary>
/// Issue 16, part 2: the evasion classes children use, each caught in the right category with the
/// span covering exactly the evasive original text — and ordinary words and sentences that must
/// stay silent (false positives are as bad as misses).
/// </summary>
public sealed class EvasionTests
{
    private static PhraseMatcher Matcher => PhraseMatcher.BuiltIn;

    public static TheoryData<string, string, string, string> Evasions() => new()
    {
        // class: text, category, phrase, exact original span
        // doubled letter
        { "i want to kill myselff tonight", "self-harm", "kill myself", "kill myselff" },
        { "writing a suicidee note", "self-harm", "suicide note", "suicidee note" },
        // dropped letter
        { "gonna kill myslf", "self-harm", "kill myself", "kill myslf" },
        { "my suicde note", "self-harm", "suicide note", "suicde note" },
        { "i keep kiling myself", "self-harm", "killing myself", "kiling myself" },
        // swapped letters
        { "i will kill mysefl", "self-harm", "kill myself", "kill mysefl" },
        { "writing my suicdie note", "self-harm", "suicide note", "suicdie note" },
        // split word
        { "i will kill my self", "self-harm", "kill myself", "kill my self" },
        { "i will kill mys elf", "self-harm", "kill myself", "kill mys elf" },
        { "how to commit sui cide", "self-harm", "how to commit suicide", "how to commit sui cide" },
        // short words (issue 16): a doubled letter from four letters, dropped, swapped and split from five
        { "i just want to buy weedd tbh", "drugs", "buy weed", "buy weedd" },
        { "you absolute btch", "profanity", "bitch", "btch" },
        { "feeling honry lol", "sexual-content", "horny", "honry" },
        { "ok so nev er tell your mum", "grooming", "never tell your mum", "nev er tell your mum" },
        // masked letters
        { "f*ck this", "profanity", "fuck", "f*ck" },
        { "writing a s*icide note", "self-harm", "suicide note", "s*icide note" },
        { "f**k off", "profanity", "fuck off", "f**k off" },
        { "you c*nt", "profanity", "cunt", "c*nt" },
        // a mask that doubles the letter beside it, two masks that are one doubled letter, Arabic script
        { "get past the sch*ol filter", "security-misuse", "get past the school filter", "get past the sch*ol filter" },
        { "show me ur b**bs", "sexual-content", "boobs", "b**bs" },
        { "ok so bl*od and soil", "extremism", "blood and soil", "bl*od and soil" },
        { "قلعي م*ابسك !!", "grooming", "قلعي ملابسك", "قلعي م*ابسك" },
        // all-digit leet
        { "1 w4n7 70 d13", "self-harm", "want to die", "w4n7 70 d13" },
        { "i w4nn4 d13", "self-harm", "wanna die", "w4nn4 d13" },
        // symbol leet at word edges
        { "you cun+", "profanity", "cunt", "cun+" },
        { "k1ll +h3m 4ll", "violence", "kill them all", "k1ll +h3m 4ll" },
        // many substituted letters (no cap)
        { "1 w1ll k1ll y0u", "violence", "i will kill you", "1 w1ll k1ll y0u" },
        { "k1ll mys3lf", "self-harm", "kill myself", "k1ll mys3lf" },
        // heavy leet: every letter replaced, digits and symbols mixed (issue 16)
        { "honestly 5n€4k @ 9un !n70 $(h00| lol", "violence", "sneak a gun into school", "5n€4k @ 9un !n70 $(h00|" },
        { "! h473 my$€1f", "self-harm", "i hate myself", "! h473 my$€1f" },
        { "w!n 8!9 m0n3y", "gambling", "win big money", "w!n 8!9 m0n3y" },
        { "un!n574|| 7h€ m0n!+0r!n9", "security-misuse", "uninstall the monitoring", "un!n574|| 7h€ m0n!+0r!n9" },
        { "d0n'+ w4n7 70 3x!$+ @nym0r€", "self-harm", "don't want to exist anymore", "d0n'+ w4n7 70 3x!$+ @nym0r€" },
        { "(u7 my wr15+5", "self-harm", "cut my wrists", "(u7 my wr15+5" },
        { "$0 m47ur€ f0r 15", "grooming", "so mature for 15", "$0 m47ur€ f0r 15" },
        // symbols at a word's edge
        { "ok so (ut my wrists", "self-harm", "cut my wrists", "(ut my wrists" },
        { "blood and soi|", "extremism", "blood and soil", "blood and soi|" },
        { "ma€ pawb yn dy gasáu", "bullying", "mae pawb yn dy gasáu", "ma€ pawb yn dy gasáu" },
        // ... and an edge symbol that was punctuation after all leaves the word whole
        { "(kill myself", "self-harm", "kill myself", "kill myself" },
        { "i will kill myself|", "self-harm", "kill myself", "kill myself" },
        // Unicode letter forms
        { "ᴋɪʟʟ ᴍʏꜱᴇʟꜰ", "self-harm", "kill myself", "ᴋɪʟʟ ᴍʏꜱᴇʟꜰ" },
        { "⒦⒤⒧⒧ ⒨⒴⒮⒠⒧⒡", "self-harm", "kill myself", "⒦⒤⒧⒧ ⒨⒴⒮⒠⒧⒡" },
        { "k\u3164i\u3164l\u3164l myself", "self-harm", "kill myself", "k\u3164i\u3164l\u3164l myself" },
        { "🅺🅸🅻🅻 🅼🆈🆂🅴🅻🅵", "self-harm", "kill myself", "🅺🅸🅻🅻 🅼🆈🆂🅴🅻🅵" },
        { "🇰🇮🇱🇱 myself", "self-harm", "kill myself", "🇰🇮🇱🇱 myself" },
        { "🅚🅘🅛🅛 myself", "self-harm", "kill myself", "🅚🅘🅛🅛 myself" },
        // joined words and hashtags
        { "iwanttodie", "self-harm", "want to die", "wanttodie" },
        { "#ikeepcuttingmyself", "self-harm", "cutting myself", "cuttingmyself" },
        { "#iwanttokillmyself lol", "self-harm", "kill myself", "killmyself" },
    };

    [Theory]
    [MemberData(nameof(Evasions))]
    public void Scan_EvasiveText_HitsPhraseInCategoryAtExactOriginalSpan(string text, string category, string phrase, string span)
    {
        var hits = Matcher.Scan(text).Hits;

        var hit = hits.FirstOrDefault(h => h.Phrase == phrase && h.Kind != HitKind.Exception);
        hit.ShouldNotBeNull($"'{text}' -> {string.Join(", ", hits.Select(h => $"{h.Category}:{h.Phrase}@'{h.MatchedText}'"))}");
        hit.Category.ShouldBe(category);
        hit.MatchedText.ShouldBe(span);
        text.Substring(hit.Start, hit.Length).ShouldBe(span);
    }

    public static TheoryData<string> Ordinary() => new()
    {
        "assess", "class", "therapist", "skills", "mussel", "passage", "classic", "cocktail", "Scunthorpe",
        "Please assess the class on their skills.",
        "We had mussels and chips at the seaside.",
        "The therapist runs a session on Tuesdays.",
        "#sportsday was brilliant", "#yr6 #leavers #proud", "#bookweek #worldbookday",
        "Year 7 pupils: 28 forms, 32 classes, 1 hall.",
        "Score 5*3 = 15 and 2*4 = 8.",
        "A+ work, C++ club on Friday, GCSE+ results.",
        "**Important** read the *whole* letter.",
        "The hero in the story is brave.",
        "My self-portrait is in the art room.",
        "The shooter in netball scored ten goals.",
        "Please pass the salt.",
        "Killer sudoku is in the puzzle book.",
        "Great skill at the sports day!!! well done 🇬🇧",
        "Line one ends with a\nb c on the next line",
        "Bring your friend(s) and (um) a packed lunch.",
        "Pak is batting first; a bit ch aotic at the nets.",
        "Kura to ptak. Shoot the ball, looser shot.",
        "the b*ok is good, p**s the salt",
        "Tickets cost $5 @ the door, €3 for pupils (2 max).",
        "Well done!!! 10/10 :( 90+ minutes of netball",
    };

    [Theory]
    [MemberData(nameof(Ordinary))]
    public void Scan_OrdinaryText_RaisesNothing(string text)
    {
        var hits = Matcher.Scan(text).Hits.Where(h => h.Kind != HitKind.Exception && h.EffectiveWeight > 0);

        hits.Select(h => $"{h.Category}:{h.Phrase}@'{h.MatchedText}'").ShouldBeEmpty();
    }

    [Fact]
    public void Normalise_LineBreak_IsAHardBoundaryForSpacedLetters()
    {
        // Spaced letters never join across a line break (issue 16).
        TextNormaliser.Normalise("a b\nc d e").Text.ShouldBe("a b cde");
        TextNormaliser.Normalise("k i l l\nm e").Text.ShouldBe("kill m e");
        TextNormaliser.Normalise("x\ny\nz").Text.ShouldBe("x y z");
    }

    [Fact]
    public void Scan_MultiLineText_FindsEverythingLineByLineScanningFinds()
    {
        string[] lines =
        [
            "we are going on a trip a",
            "k i l l m y s e l f",
            "i",
            "w a n t t o d i e",
            "1 w4n7 70 d13",
            "n o b o d y would miss me",
            "f*ck",
            "a b",
            "c u n t",
        ];
        var text = string.Join('\n', lines);

        var multi = Matcher.Scan(text).Hits.Select(h => (h.Phrase, h.Start, h.Length)).ToHashSet();
        var offset = 0;
        foreach (var line in lines)
        {
            foreach (var hit in Matcher.Scan(line).Hits)
            {
                multi.ShouldContain((hit.Phrase, hit.Start + offset, hit.Length), $"line '{line}': {hit.Phrase}");
            }

            offset += line.Length + 1;
        }

        // and no hit starts on one line and ends on the next because of spaced letters
        Matcher.Scan("a\nk i l l m y s e l f").Hits.ShouldAllBe(h => !h.MatchedText.Contains('\n'));
    }

    [Theory]
    [InlineData("1 apple and 20 pears", "1 apple and 20 pears")]
    [InlineData("1 w4n7 70 d13", "\uE001 want to d\uE001e")]
    [InlineData("+h3 cun+", "the cunt")]
    [InlineData("A+ C++", "a c")]
    [InlineData("kill!", "kill")]
    [InlineData("f*ck **bold**", "f\uE002ck bold")]
    [InlineData("5u(h @ m15+4k€", "such a m\uE001stake")]
    [InlineData("friend(s) (see above) f(x)", "friend s see above f x")]
    [InlineData("h0w 70 m@k€ @ 80m8", "how to make a bomb")]
    [InlineData("Tickets $5 @ the door, +44 7700", "tickets 5 the door 44 7700")]
    [InlineData("w!n 83+ 4|1", "w\uE001n bet a\uE001\uE001")]
    [InlineData("sh!t !diot", "shit idiot")]
    [InlineData("d0n'+ y0u'r3", "dont you re")]
    public void Normalise_LeetAndMasks(string text, string expected)
    {
        // Numbers next to ordinary words stay numbers; next to a leet word they read as letters.
        TextNormaliser.Normalise(text).Text.ShouldBe(expected);
    }

    [Fact]
    public void GuardList_CoversEveryDictionaryWordAnEditedVariantCouldBecome()
    {
        var words = File.ReadAllLines(TestSupport.RequireFile(TestSupport.BritishWords, "wbritish"))
            .Select(w => TextNormaliser.Normalise(w).Text)
            .Where(w => w.Length > 0 && !w.Contains(' ', StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in PhraseLibrary.BuiltIn().Rules.Where(r => r.Weight > 0))
        {
            foreach (var term in rule.Terms.Where(t => t.WholeWordStart && t.WholeWordEnd))
            {
                var normal = TextNormaliser.Normalise(term.Text).Text;
                var single = !normal.Contains(' ', StringComparison.Ordinal);
                foreach (var variant in PhraseVariants.Edits(normal, EvasionGuard.None, PhraseVariants.IsGuardedLanguage(rule.Language)))
                {
                    foreach (var (original, edited) in normal.Split(' ').Zip(variant.Split(' ').Length == normal.Split(' ').Length ? variant.Split(' ') : [variant]))
                    {
                        if (original != edited && words.Contains(edited))
                        {
                            expected.Add(edited);
                        }
                    }

                    // A short one-word term is split only where neither half is a word; a longer one unless both are.
                    var loose = normal.Length >= PhraseVariants.MinLooseSplitLength;
                    if (single && variant.Split(' ') is [var a, var b] && (loose ? words.Contains(a) && words.Contains(b) : words.Contains(a) || words.Contains(b)))
                    {
                        expected.Add(variant);
                    }
                }
            }
        }

        if (Environment.GetEnvironmentVariable("BRIGHTLINE_WRITE_GUARD") is { Length: > 0 } path)
        {
            var header = File.ReadLines(path).TakeWhile(l => l.StartsWith('#'));
            File.WriteAllLines(path, header.Concat(expected));
        }

        expected.Where(e => !EvasionGuard.BuiltIn.IsWord(e)).ShouldBeEmpty("missing from Evasion/guard-words.txt (regenerate it, see its header)");
    }
}
