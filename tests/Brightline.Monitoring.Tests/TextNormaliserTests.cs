namespace Brightline.Monitoring.Tests;

public sealed class TextNormaliserTests
{
    private const char IL = '\uE001';

    public static TheoryData<string, string> Evasions() => new()
    {
        { "Kill", "kill" },
        { "KILL MYSELF", "kill myself" },
        { "k.i.l.l", "kill" },
        { "k i l l", "kill" },
        { "k-i-l-l", "kill" },
        { "k_i_l_l", "kill" },
        { "k . i . l . l", "kill" },
        { "kiiiill", "kiiiill" },
        { "k1ll", "k" + IL + "ll" },
        { "k|ll", "k" + IL + "ll" },
        { "h3ll0", "hello" },
        { "$h!t", "shit" },
        { "@ss", "ass" },
        { "p0rn", "porn" },
        { "5ex", "sex" },
        { "7error", "terror" },
        { "кill", "kill" },            // Cyrillic к
        { "ѕеnd nudеѕ", "send nudes" }, // Cyrillic ѕ е
        { "κιll", "kill" },            // Greek κ ι
        { "ｋｉｌｌ", "kill" },           // fullwidth
        { "𝐤𝐢𝐥𝐥", "kill" },            // mathematical bold
        { "kíll", "kill" },
        { "k\u0336i\u0336l\u0336l\u0336", "kill" }, // combining strikethrough
        { "ki\u200Bll", "kill" },     // zero-width space
        { "ki\u00ADll", "kill" },     // soft hyphen
        { "ﬁne", "fine" },            // ligature
        { "straße", "strasse" },
        { "chcę umrzeć", "chce umrzec" },
        { "Żółć", "zolc" },
        { "hello,   world!!", "hello world" },
        { "  ...kill!  ", "kill" },
        { "I have 5 apples", "i have 5 apples" },
        { "in 2024 we met", "in 2024 we met" },
        { "email me@school.uk", "email measchool uk" },
        { "a cat sat on a mat", "a cat sat on a mat" },
        { "I am a big dog", "i am a big dog" },
        { "kill!", "kill" },
        { "wow!!!", "wow" },
        { "don't", "dont" },
        { "don’t tell", "dont tell" },
        { "it's a 'quote'", "its a quote" },
        { "who're you", "who re you" },
    };

    [Theory]
    [MemberData(nameof(Evasions))]
    public void Normalise_Evasion_ProducesExpectedText(string input, string expected)
    {
        var normalised = TextNormaliser.Normalise(input);

        normalised.Text.ShouldBe(expected);
    }

    public static TheoryData<string, string, string> Spans() => new()
    {
        // input, normalised word to locate, the original text it must map to
        { "please k.i.l.l now", "kill", "k.i.l.l" },
        { "I will kiiiill you", "kiiiill", "kiiiill" },
        { "go k1ll it", "k" + IL + "ll", "k1ll" },
        { "a кill b", "kill", "кill" },
        { "x 𝐤𝐢𝐥𝐥 y", "kill", "𝐤𝐢𝐥𝐥" },
        { "x k\u0336i\u0336l\u0336l\u0336 y", "kill", "k\u0336i\u0336l\u0336l\u0336" },
        { "x ki\u200Bll y", "kill", "ki\u200Bll" },
        { "x ｋｉｌｌ y", "kill", "ｋｉｌｌ" },
        { "¡kíll!", "kill", "kíll" },
        { "the straße is", "strasse", "straße" },
    };

    [Theory]
    [MemberData(nameof(Spans))]
    public void OriginalSpan_Evasion_PointsAtOriginalCharacters(string input, string word, string original)
    {
        var normalised = TextNormaliser.Normalise(input);
        var index = normalised.Text.IndexOf(word, StringComparison.Ordinal);
        index.ShouldBeGreaterThanOrEqualTo(0, $"'{word}' not in '{normalised.Text}'");

        var (start, length) = normalised.OriginalSpan(index, word.Length);

        input.Substring(start, length).ShouldBe(original);
    }

    [Fact]
    public void Collapsed_StretchedLetters_KeepsRunLengths()
    {
        var normalised = TextNormaliser.Normalise("kiiiill");

        normalised.Collapsed.ShouldBe("kil");
        normalised.RunLengths.ToArray().ShouldBe(new byte[] { 1, 4, 2 });
        normalised.CollapsedOriginalSpan(0, 3).ShouldBe((0, 7));
    }

    [Fact]
    public void Normalise_EmptyAndSeparatorsOnly_ReturnsEmpty()
    {
        TextNormaliser.Normalise(string.Empty).Text.ShouldBe(string.Empty);
        TextNormaliser.Normalise(" ,.;!? \n\t").Text.ShouldBe(string.Empty);
    }
}
