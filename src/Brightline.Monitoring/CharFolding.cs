using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Brightline.Monitoring;

/// <summary>What a folded character is, for tokenising and leetspeak decisions.</summary>
internal enum CharKind : byte
{
    /// <summary>Whitespace, punctuation, emoji, controls: ends a word.</summary>
    Separator = 0,

    /// <summary>A letter (any script), already folded.</summary>
    Letter = 1,

    /// <summary>A decimal digit (folded to ASCII where it has a compatibility form).</summary>
    Digit = 2,

    /// <summary>An ASCII symbol that leetspeak uses as a letter (<c>$ @ ! | +</c>), an apostrophe (joined inside words) or a mask (<c>*</c>).</summary>
    Symbol = 3,

    /// <summary>Invisible: combining marks, zero-width and format characters. Removed.</summary>
    Drop = 4,
}

/// <summary>
/// Folds one code point to the normaliser's alphabet: NFKD compatibility decomposition, combining
/// marks removed (accents), lower case (invariant), then look-alike letters from other scripts
/// (Cyrillic, Greek, a few Latin extensions) replaced by the Latin letter they imitate.
/// </summary>
/// <remarks>
/// The result for every BMP character is computed once, at type initialisation, into flat tables
/// (64K kinds + 64K single chars + a small dictionary of multi-char expansions such as
/// <c>ß → ss</c>, <c>ﬁ → fi</c>), so the hot path is two array loads. Supplementary characters
/// (mathematical alphanumerics such as 𝐤𝐢𝐥𝐥, enclosed letters) are rare and folded on the fly.
/// Folding is lossy on purpose: phrases go through the same folding, so a lossy step can only add
/// matches (e.g. Russian <c>с</c> and Latin <c>c</c> become one letter), never lose them.
/// </remarks>
internal static class CharFolding
{
    /// <summary>
    /// Stands for a character that may be <c>i</c> or <c>l</c> (<c>1</c>, <c>|</c>). Phrases are
    /// compiled with variants that use it, so text never has to guess. Private-use, so no real
    /// text folds to it (private-use input is folded to a separator).
    /// </summary>
    public const char AmbiguousIL = '\uE001';

    /// <summary>
    /// Stands for a masked letter: a <c>*</c> between letters of a word (<c>f*ck</c>, <c>s*icide</c>).
    /// No phrase contains it; the matcher's mask pass tries each letter in its place (issue 16).
    /// </summary>
    public const char Mask = '\uE002';

    private static readonly byte[] s_kind = new byte[65536];
    private static readonly char[] s_single = new char[65536];
    private static readonly FrozenDictionary<char, string> s_multi;

    // Look-alikes, applied after lower-casing. Only letters that really pass for a Latin letter in
    // common fonts; letters of other scripts without a look-alike keep their identity.
    private static readonly FrozenDictionary<char, string> s_lookAlike = new Dictionary<char, string>
    {
        // Cyrillic
        ['а'] = "a", ['в'] = "b", ['е'] = "e", ['ё'] = "e", ['і'] = "i", ['ї'] = "i", ['ј'] = "j",
        ['к'] = "k", ['м'] = "m", ['н'] = "h", ['о'] = "o", ['п'] = "n", ['р'] = "p", ['с'] = "c",
        ['т'] = "t", ['у'] = "y", ['х'] = "x", ['ѕ'] = "s", ['ԁ'] = "d", ['һ'] = "h", ['ӏ'] = "l",
        ['ԛ'] = "q", ['ԝ'] = "w", ['ь'] = "b", ['ɡ'] = "g",
        // Greek
        ['α'] = "a", ['β'] = "b", ['γ'] = "y", ['ε'] = "e", ['η'] = "n", ['ι'] = "i", ['κ'] = "k",
        ['μ'] = "u", ['ν'] = "v", ['ο'] = "o", ['ρ'] = "p", ['ς'] = "c", ['τ'] = "t", ['υ'] = "u",
        ['χ'] = "x", ['ω'] = "w", ['ϲ'] = "c", ['ϳ'] = "j",
        // Armenian
        ['օ'] = "o", ['ս'] = "u", ['հ'] = "h", ['ո'] = "n",
        // Latin letters without a decomposition, and ligatures NFKD leaves alone
        ['ı'] = "i", ['ł'] = "l", ['đ'] = "d", ['ø'] = "o", ['ħ'] = "h", ['ŧ'] = "t", ['ß'] = "ss",
        ['æ'] = "ae", ['œ'] = "oe", ['þ'] = "th", ['ð'] = "d", ['ŋ'] = "n", ['ɑ'] = "a", ['ɩ'] = "i",
        ['ʏ'] = "y", ['ƅ'] = "b", ['ɒ'] = "a", ['ſ'] = "s",
        // Small capitals (issue 16: ᴋɪʟʟ). Lower-case letters with no decomposition, so NFKD keeps them.
        ['ᴀ'] = "a", ['ʙ'] = "b", ['ᴄ'] = "c", ['ᴅ'] = "d", ['ᴇ'] = "e", ['ꜰ'] = "f", ['ɢ'] = "g",
        ['ʜ'] = "h", ['ɪ'] = "i", ['ᴊ'] = "j", ['ᴋ'] = "k", ['ʟ'] = "l", ['ᴍ'] = "m", ['ɴ'] = "n",
        ['ᴏ'] = "o", ['ᴘ'] = "p", ['ꞯ'] = "q", ['ʀ'] = "r", ['ꜱ'] = "s", ['ᴛ'] = "t", ['ᴜ'] = "u",
        ['ᴠ'] = "v", ['ᴡ'] = "w", ['ᴢ'] = "z", ['ᴦ'] = "r", ['ᴨ'] = "n",
    }.ToFrozenDictionary();

    static CharFolding()
    {
        var multi = new Dictionary<char, string>();
        var builder = new StringBuilder(8);
        for (var i = 0; i < 65536; i++)
        {
            var c = (char)i;
            var kind = Classify(c.ToString(), c, builder, out var folded);
            s_kind[i] = (byte)kind;
            if (folded.Length == 1)
            {
                s_single[i] = folded[0];
            }
            else if (folded.Length > 1)
            {
                multi[c] = folded;
            }
        }

        s_multi = multi.ToFrozenDictionary();
    }

    /// <summary>Folds a BMP character. <paramref name="single"/> is 0 when <paramref name="multi"/> holds a longer expansion.</summary>
    public static CharKind Fold(char c, out char single, out string? multi)
    {
        var kind = (CharKind)s_kind[c];
        single = s_single[c];
        multi = null;
        if (single == '\0' && kind == CharKind.Letter)
        {
            multi = s_multi.GetValueOrDefault(c);
        }

        return kind;
    }

    /// <summary>Folds a supplementary code point (slow path: allocates).</summary>
    public static CharKind FoldSupplementary(int codePoint, out string folded)
    {
        if (EnclosedLatinLetter(codePoint) is var letter and not '\0')
        {
            folded = letter.ToString();
            return CharKind.Letter;
        }

        var text = char.ConvertFromUtf32(codePoint);
        var category = CharUnicodeInfo.GetUnicodeCategory(codePoint);
        var kind = Classify(text, '\0', new StringBuilder(4), out folded, category);
        return kind;
    }

    /// <summary>The letter a leetspeak digit or symbol stands for, or 0 when it stands for none.</summary>
    public static char LeetLetter(char c) => c switch
    {
        '0' => 'o',
        '1' => AmbiguousIL,
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '6' => 'g',
        '7' => 't',
        '8' => 'b',
        '9' => 'g',
        '@' => 'a',
        '$' => 's',
        '!' => 'i',
        '|' => AmbiguousIL,
        '+' => 't',
        '€' => 'e',
        '(' => 'c',
        _ => '\0',
    };

    /// <summary>
    /// Emoji-style Latin letters with no compatibility decomposition (issue 16): negative circled
    /// (🅐), negative squared (🅰) and regional indicators (🇦, the halves of flags). NFKD already
    /// handles circled (ⓚ), squared (🄰) and — after <see cref="Classify"/> strips the brackets —
    /// parenthesised letters (⒦, 🄚).
    /// </summary>
    private static char EnclosedLatinLetter(int codePoint) => codePoint switch
    {
        >= 0x1F150 and <= 0x1F169 => (char)('a' + (codePoint - 0x1F150)),
        >= 0x1F170 and <= 0x1F189 => (char)('a' + (codePoint - 0x1F170)),
        >= 0x1F1E6 and <= 0x1F1FF => (char)('a' + (codePoint - 0x1F1E6)),
        _ => '\0',
    };

    /// <summary>Hangul fillers: blank "letters" (U+3164, U+115F, U+1160, U+FFA0) used as invisible spacers inside words.</summary>
    private static bool IsHangulFiller(char c) => c is '\u3164' or '\u115F' or '\u1160' or '\uFFA0';

    /// <summary>Whether a separator ends a line: line breaks are hard boundaries for spaced letters and leet context.</summary>
    public static bool IsLineBreak(char c) => c is '\n' or '\r' or '\v' or '\f' or '\u0085' or '\u2028' or '\u2029';

    /// <summary>Whether a leet symbol reads as a letter only between letters (<c>sh!t</c>), not at a word's edge (<c>kill!</c>).</summary>
    public static bool IsInteriorOnlySymbol(char c) => c is '!' or '|' or '+' or '\'' or '*' or '(';

    private static CharKind Classify(string text, char c, StringBuilder builder, out string folded, UnicodeCategory? knownCategory = null)
    {
        folded = string.Empty;
        if (text.Length == 1)
        {
            if (char.IsSurrogate(c))
            {
                return CharKind.Separator;
            }

            if (c < 128)
            {
                return ClassifyAscii(c, out folded);
            }
        }

        if (IsHangulFiller(c))
        {
            // Invisible: dropped like a zero-width space, so "k<filler>i<filler>l<filler>l" is "kill".
            return CharKind.Drop;
        }

        if (c == '€')
        {
            // Heavy leet writes e as the euro sign (m@(h€7€); issue 16). A symbol, so it reads as a
            // letter only inside a word that has a letter: "€5" and "5 €" stay apart.
            folded = "€";
            return CharKind.Symbol;
        }

        if (c is '\u2019' or '\u02BC' or '\u2018')
        {
            // Typographic apostrophes behave like ASCII ones: joined inside words ("don’t").
            folded = "'";
            return CharKind.Symbol;
        }

        var category = knownCategory ?? CharUnicodeInfo.GetUnicodeCategory(c);
        switch (category)
        {
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.Format:
                return CharKind.Drop;
            case UnicodeCategory.Control:
            case UnicodeCategory.PrivateUse:
            case UnicodeCategory.Surrogate:
            case UnicodeCategory.OtherNotAssigned:
            case UnicodeCategory.SpaceSeparator:
            case UnicodeCategory.LineSeparator:
            case UnicodeCategory.ParagraphSeparator:
                return CharKind.Separator;
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
            case UnicodeCategory.ConnectorPunctuation:
            case UnicodeCategory.DashPunctuation:
            case UnicodeCategory.OpenPunctuation:
            case UnicodeCategory.ClosePunctuation:
            case UnicodeCategory.InitialQuotePunctuation:
            case UnicodeCategory.FinalQuotePunctuation:
            case UnicodeCategory.OtherPunctuation:
            case UnicodeCategory.MathSymbol:
            case UnicodeCategory.CurrencySymbol:
            case UnicodeCategory.ModifierSymbol:
            case UnicodeCategory.OtherSymbol:
            default:
                break;
        }

        string decomposed;
        try
        {
            decomposed = text.Normalize(NormalizationForm.FormKD);
        }
        catch (ArgumentException)
        {
            return CharKind.Separator;
        }

        if (decomposed.Length == 3 && decomposed[0] == '(' && decomposed[2] == ')' && char.IsLetterOrDigit(decomposed[1]))
        {
            // Parenthesised letters and digits (⒦ → "(k)", ⑴ → "(1)"): the brackets are decoration.
            decomposed = decomposed[1].ToString();
        }

        builder.Clear();
        var letters = 0;
        var others = 0;
        foreach (var d in decomposed)
        {
            var dc = CharUnicodeInfo.GetUnicodeCategory(d);
            if (dc is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(d);

            // Issue 16 part 5 (slang16): Arabic and Urdu letter variants unified, tatweel dropped.
            lower = ArabicScriptFolding.Unify(lower);
            if (lower == '\0')
            {
                continue;
            }

            if (s_lookAlike.TryGetValue(lower, out var latin))
            {
                builder.Append(latin);
                letters++;
            }
            else if (char.IsLetter(lower))
            {
                builder.Append(lower);
                letters++;
            }
            else
            {
                builder.Append(lower);
                others++;
            }
        }

        if (builder.Length == 0)
        {
            return CharKind.Drop;
        }

        if (others == 0 && letters > 0)
        {
            folded = builder.ToString();
            return CharKind.Letter;
        }

        if (builder.Length == 1)
        {
            var f = builder[0];
            if (f < 128)
            {
                // Fullwidth and other compatibility forms of ASCII digits and symbols.
                return ClassifyAscii(f, out folded);
            }

            if (char.IsDigit(f))
            {
                folded = builder.ToString();
                return CharKind.Digit;
            }
        }

        if (category is UnicodeCategory.SpacingCombiningMark)
        {
            // Vowel signs in Indic scripts: part of the word, keep them as letters.
            folded = builder.ToString();
            return CharKind.Letter;
        }

        return CharKind.Separator;
    }

    private static CharKind ClassifyAscii(char c, out string folded)
    {
        folded = string.Empty;
        if (c is >= 'a' and <= 'z')
        {
            folded = c.ToString();
            return CharKind.Letter;
        }

        if (c is >= 'A' and <= 'Z')
        {
            folded = ((char)(c | 0x20)).ToString();
            return CharKind.Letter;
        }

        if (c is >= '0' and <= '9')
        {
            folded = c.ToString();
            return CharKind.Digit;
        }

        if (c is '$' or '@' or '!' or '|' or '+' or '\'' or '*' or '(')
        {
            folded = c.ToString();
            return CharKind.Symbol;
        }

        return CharKind.Separator;
    }
}
