using System.Text;

namespace Brightline.Monitoring.Tests;

/// <summary>Seeded randomised and fuzz tests: fixed seeds and iteration counts, so failures reproduce.</summary>
public sealed class RandomisedTests
{
    private static readonly string[] s_filler =
    [
        "the", "school", "trip", "was", "great", "and", "we", "learned", "about", "rivers", "maths", "homework",
        "tomorrow", "lunch", "football", "assassin", "Scunthorpe", "grape", "cocktail", "Essex", "therapist", "classic",
        "skill", "class", "pass", "glass", "Hello", "friend", "2024", "5", "a", "I", "it's", "well,", "ok.", "(yes)",
    ];

    private static readonly string[] s_phrases = ["want to die", "kill myself", "nobody would miss me", "send nudes", "keep it our secret", "join the cause"];

    private static readonly PhraseMatcher s_matcher = TestSupport.Matcher("""
        @category planted
        want to die | 10
        kill myself | 10
        nobody would miss me | 10
        send nudes | 10
        keep it our secret | 10
        join the cause | 10
        """);

    private static readonly Dictionary<char, string[]> s_leet = new()
    {
        ['a'] = ["4", "@"], ['e'] = ["3"], ['i'] = ["1", "!"], ['l'] = ["1", "|"], ['o'] = ["0"], ['s'] = ["5", "$"], ['t'] = ["7"],
    };

    private static readonly Dictionary<char, string> s_homoglyph = new()
    {
        ['a'] = "а", ['e'] = "е", ['o'] = "о", ['p'] = "р", ['c'] = "с", ['y'] = "у", ['x'] = "х", ['i'] = "і", ['k'] = "κ", ['s'] = "ѕ",
    };

    [Fact]
    public void Scan_PlantedPhrasesBehindRandomEvasions_FoundAtExactOriginalSpan()
    {
        var random = new Random(20240917);
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var builder = new StringBuilder();
            AppendFiller(builder, random);
            var phrase = s_phrases[random.Next(s_phrases.Length)];
            var evaded = Evade(phrase, random);
            builder.Append(' ');
            var start = builder.Length;
            builder.Append(evaded);
            builder.Append(' ');
            AppendFiller(builder, random);
            var text = builder.ToString();

            var result = s_matcher.Scan(text);

            var hit = result.Hits.FirstOrDefault(h => h.Phrase == phrase && h.Start == start);
            hit.ShouldNotBeNull($"iteration {iteration}: '{phrase}' as '{evaded}' not found in \"{text}\"; hits: {string.Join(", ", result.Hits.Select(h => $"{h.Phrase}@{h.Start}+{h.Length}"))}");
            hit.Length.ShouldBe(evaded.Length, $"iteration {iteration}: \"{text}\" matched '{hit.MatchedText}'");
        }
    }

    [Fact]
    public void Scan_RandomUnicode_NeverThrowsAndSpansStayInBounds()
    {
        var random = new Random(7);
        var matcher = PhraseMatcher.BuiltIn;
        var raw = PhraseMatcher.Compile(PhraseLibrary.BuiltIn(), MatchMode.Raw);
        char[] specials = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u0301', '\u0336', '\u0489', '\uD800', '\uDFFF', '\uE001', '\0', '\n', ' ', '.', '1', '|', '!', '@', '$'];
        for (var iteration = 0; iteration < 4000; iteration++)
        {
            var length = random.Next(0, 200);
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = random.Next(4) switch
                {
                    0 => specials[random.Next(specials.Length)],
                    1 => (char)random.Next(0x20, 0x7F),
                    2 => (char)random.Next(0, 0x10000),
                    _ => "want to die kill myself ass k.i.l.l"[random.Next(35)],
                };
            }

            var text = new string(chars);
            foreach (var m in new[] { matcher, raw })
            {
                var result = m.Scan(text);
                foreach (var hit in result.Hits)
                {
                    hit.Start.ShouldBeInRange(0, text.Length);
                    hit.Length.ShouldBeGreaterThan(0);
                    (hit.Start + hit.Length).ShouldBeLessThanOrEqualTo(text.Length);
                }

                m.CountMatches(text).ShouldBeGreaterThanOrEqualTo(0);
            }

            var normalised = TextNormaliser.Normalise(text);
            for (var i = 0; i < normalised.Text.Length; i++)
            {
                var (s, l) = normalised.OriginalSpan(i, 1);
                s.ShouldBeInRange(0, text.Length - 1);
                (s + l).ShouldBeLessThanOrEqualTo(text.Length);
            }

            using var writer = new StringWriter();
            MonitorScanReport.Write(writer, matcher.Scan(text), text);
        }
    }

    [Fact]
    public void ImportAndParse_RandomBytes_NeverThrow()
    {
        var random = new Random(11);
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var chars = new char[random.Next(0, 120)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = random.Next(3) switch
                {
                    0 => "<>,#.Include-0123456789 |&~*@\n"[random.Next(30)],
                    1 => (char)random.Next(0x20, 0x7F),
                    _ => (char)random.Next(0, 0x10000),
                };
            }

            var text = new string(chars);
            var imported = E2GuardianImporter.Parse(text, "fuzz", "other");
            var parsed = PhraseLibrary.Parse("@category fuzz\n" + text, "fuzz");
            PhraseMatcher.Compile(imported.Library.Merge(parsed)).Scan(text);
        }
    }

    private static void AppendFiller(StringBuilder builder, Random random)
    {
        var count = random.Next(0, 8);
        for (var i = 0; i < count; i++)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(s_filler[random.Next(s_filler.Length)]);
        }
    }

    /// <summary>Applies one or more evasions to a phrase; returns the text to plant.</summary>
    private static string Evade(string phrase, Random random)
    {
        var text = phrase;
        var separators = random.Next(5) == 0;
        var chars = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var piece = c.ToString();
            var interior = i > 0 && i < text.Length - 1 && text[i - 1] != ' ' && text[i + 1] != ' ';
            if (c != ' ')
            {
                switch (random.Next(6))
                {
                    case 0 when s_leet.TryGetValue(c, out var leet):
                        // '!' and '|' read as letters only inside a word (so "kill!" stays "kill").
                        piece = leet[random.Next(leet.Length)];
                        piece = !interior && piece is "!" or "|" ? "1" : piece;
                        break;
                    case 1 when s_homoglyph.TryGetValue(c, out var glyph):
                        piece = glyph;
                        break;
                    case 2:
                        piece = char.ToUpperInvariant(c).ToString();
                        break;
                    case 3 when char.IsLetter(c) && !separators:
                        piece = new string(c, random.Next(3, 6)); // doubling alone is not a stretch (loser/looser)
                        break;
                    default:
                        break;
                }
            }

            chars.Append(piece);
            var wordEnd = i == text.Length - 1 || text[i + 1] == ' ';
            if (wordEnd)
            {
                // A word written only in digits ("17" for "it") is left as digits by design, so
                // make sure each planted word keeps at least one letter.
                var wordStart = chars.ToString().LastIndexOf(' ') + 1;
                if (!chars.ToString(wordStart, chars.Length - wordStart).Any(char.IsLetter))
                {
                    var first = text.LastIndexOf(' ', i) + 1;
                    chars.Remove(wordStart, chars.Length - wordStart).Append(text, first, i - first + 1);
                }
            }
        }

        if (!separators)
        {
            return chars.ToString();
        }

        // Spell the letters out with one separator style: k.i.l.l m.y.s.e.l.f
        var separator = new[] { ".", "-", "_", " ", "*" }[random.Next(5)];
        var words = chars.ToString().Split(' ');
        var wordSeparator = separator == " " ? "   " : " ";
        return string.Join(wordSeparator, words.Select(w => string.Join(separator, w.EnumerateRunes().Select(r => r.ToString()))));
    }
}
