using System.Collections.Frozen;

namespace Brightline.Monitoring;

/// <summary>What a compiled variant of a term is, so the scan knows how strictly to check it.</summary>
internal enum VariantKind : byte
{
    /// <summary>The term as written (or with i-or-l symbols): whole-word where the term says so.</summary>
    Exact = 0,

    /// <summary>A multi-word term without its spaces (<c>wanttodie</c>); long ones may sit inside a joined word or hashtag.</summary>
    Joined = 1,

    /// <summary>One edit of one long word (dropped, swapped or doubled letter, or a space inside it): always whole-word.</summary>
    Edited = 2,
}

/// <summary>
/// The compile-time variants of a normalised term (issue 16, part 2): the i-or-l variants that let
/// <c>1</c> and <c>|</c> read as either letter, and the one-edit variants that catch misspellings
/// and split words. Every variant is an ordinary string for the Aho–Corasick automaton, so the scan
/// stays one pass whatever the number of variants.
/// </summary>
internal static class PhraseVariants
{
    /// <summary>
    /// Words shorter than this get no dropped, swapped or split letters: a four-letter word loses
    /// a letter to a three-letter string, and those are mostly abbreviations and names no word list
    /// holds (cnt, sht). From five letters the guard list decides (<c>boobs</c> → <c>bobs</c> is a
    /// word, so not compiled; <c>bitch</c> → <c>btch</c> is).
    /// </summary>
    public const int MinEditWordLength = 5;

    /// <summary>
    /// <see cref="MinEditWordLength"/> for languages the guard list does not cover (it is built
    /// from the British English word list): a five-letter Polish or Welsh word loses a letter to a
    /// real word no guard knows (<c>kurwa</c> → <c>kura</c>, a hen), so those keep six.
    /// </summary>
    public const int MinEditWordLengthUnguarded = 6;

    /// <summary>Whether the guard list covers phrases of <paramref name="language"/> (it is built from /usr/share/dict/british-english).</summary>
    public static bool IsGuardedLanguage(string language) => language == "en";

    /// <summary>
    /// A one-word term shorter than this is split only where neither half is a word (the guard
    /// list holds the pair when either is): <c>pak is</c> must not read as a split slur.
    /// Longer ones are guarded only when both halves are words (<c>hero in</c>).
    /// </summary>
    public const int MinLooseSplitLength = 6;

    /// <summary>
    /// Words shorter than this get no doubled letter. A doubling is the cheapest edit (the same
    /// collapsed string with a run of two: no automaton states) and the guard list removes the
    /// doublings that are words (<c>loser</c> → <c>looser</c>, <c>shot</c> → <c>shoot</c>).
    /// </summary>
    public const int MinDoubledWordLength = 4;

    /// <summary>A joined multi-word term this long (letters) may match inside a longer joined word or hashtag (<c>#ikeepcuttingmyself</c>).</summary>
    public const int MinJoinedInsideLength = 8;

    /// <summary>A joined multi-word term shorter than this is not compiled at all: too likely to be an ordinary word.</summary>
    public const int MinCompactLength = 6;

    /// <summary>i/l positions per word that vary independently; more than enough for any real word.</summary>
    private const int MaxAmbiguousPerWord = 5;

    /// <summary>
    /// The i-or-l variants of <paramref name="normal"/>. <c>1</c> and <c>|</c> in text fold to
    /// <see cref="CharFolding.AmbiguousIL"/>; a phrase must match however many of its i/l the
    /// writer replaced, without 2^n variants. The writer is assumed consistent except in at most one
    /// word: for each global mode (replace no i/l, every i, every l, or every i and l) and each
    /// word, every combination of that word's own i/l positions is a variant. So
    /// <c>1 w1ll k1ll mys3lf</c> (every i) and <c>i will ki1l myself</c> (one letter) both match,
    /// with about 4 × words × 2^k patterns instead of 2^(all positions).
    /// </summary>
    public static IEnumerable<string> AmbiguousVariants(string normal)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var buffer = normal.ToCharArray();
        var wordStarts = new List<int> { 0 };
        for (var i = 0; i < normal.Length; i++)
        {
            if (normal[i] == ' ')
            {
                wordStarts.Add(i + 1);
            }
        }

        var positions = new int[MaxAmbiguousPerWord];
        for (var mode = 0; mode < 4; mode++)
        {
            for (var w = 0; w < wordStarts.Count; w++)
            {
                // Global mode everywhere.
                for (var i = 0; i < normal.Length; i++)
                {
                    buffer[i] = Global(normal[i], mode);
                }

                var start = wordStarts[w];
                var count = 0;
                for (var i = start; i < normal.Length && normal[i] != ' ' && count < MaxAmbiguousPerWord; i++)
                {
                    if (normal[i] is 'i' or 'l')
                    {
                        positions[count++] = i;
                    }
                }

                for (var mask = 0; mask < 1 << count; mask++)
                {
                    for (var k = 0; k < count; k++)
                    {
                        buffer[positions[k]] = (mask & (1 << k)) != 0 ? CharFolding.AmbiguousIL : normal[positions[k]];
                    }

                    var variant = new string(buffer);
                    if (seen.Add(variant))
                    {
                        yield return variant;
                    }
                }
            }
        }

        static char Global(char c, int mode) => (c, mode) switch
        {
            ('i', 1 or 3) or ('l', 2 or 3) => CharFolding.AmbiguousIL,
            _ => c,
        };
    }

    /// <summary>
    /// The one-edit variants of <paramref name="normal"/> (bounded edit distance, issue 16): in each
    /// word of at least <see cref="MinEditWordLength"/> letters, after its first letter, one letter dropped (<c>myslf</c>),
    /// two neighbours swapped (<c>suicdie</c>), one letter doubled (<c>myselff</c> — a variant
    /// with a run of two, which the automaton shares with the exact form), or a space inserted
    /// with at least two letters each side (<c>mys elf</c>, <c>my self</c>); a word shorter than that but of
    /// <see cref="MinDoubledWordLength"/> letters or more gets only the doubled letter (and so does
    /// a five-letter word of a language the guard list does not cover,
    /// <see cref="MinEditWordLengthUnguarded"/>). Only one edit per
    /// variant. A variant is dropped when the edited word is a real word in
    /// <paramref name="guard"/> (<c>shooter</c> → <c>hooter</c>); a split of a one-word term is
    /// dropped when both halves form a guarded pair (<c>heroin</c> → <c>hero in</c>; for a word
    /// shorter than <see cref="MinLooseSplitLength"/> the pair is guarded when either half is a
    /// word). In a
    /// multi-word term the other words give context, so its splits are kept (<c>kill my self</c>).
    /// Insertions of a different letter and substitutions are not generated (masks cover the
    /// deliberate ones): they would multiply the automaton by the alphabet.
    /// </summary>
    public static IEnumerable<string> Edits(string normal, EvasionGuard guard, bool guardedLanguage)
    {
        var minEdit = guardedLanguage ? MinEditWordLength : MinEditWordLengthUnguarded;
        var words = normal.Split(' ');
        var seen = new HashSet<string>(StringComparer.Ordinal) { normal };
        for (var w = 0; w < words.Length; w++)
        {
            var word = words[w];
            if (word.Length < MinDoubledWordLength || !IsPlainLetters(word))
            {
                continue;
            }

            foreach (var edited in WordEdits(word, doublingOnly: word.Length < minEdit))
            {
                var split = edited.Contains(' ', StringComparison.Ordinal);
                if (split ? words.Length == 1 && guard.IsPair(edited) : guard.IsWord(edited))
                {
                    continue;
                }

                var variant = words.Length == 1 ? edited : Replace(words, w, edited);
                if (seen.Add(variant))
                {
                    yield return variant;
                }
            }
        }
    }

    private static IEnumerable<string> WordEdits(string word, bool doublingOnly)
    {
        // The first letter is kept: misspellings rarely touch it, and edits there would add
        // automaton states near the root, which ordinary text visits all the time (throughput).
        yield return word.Insert(0, word[0].ToString());
        for (var j = 1; j < word.Length; j++)
        {
            yield return word.Insert(j, word[j].ToString());
            if (doublingOnly)
            {
                continue;
            }

            yield return word.Remove(j, 1);
            if (j + 1 < word.Length && word[j] != word[j + 1])
            {
                yield return string.Concat(word.AsSpan(0, j), [word[j + 1], word[j]], word.AsSpan(j + 2));
            }

            if (j >= 2 && word.Length - j >= 2)
            {
                yield return string.Concat(word.AsSpan(0, j), " ", word.AsSpan(j));
            }
        }
    }

    /// <summary>
    /// <paramref name="normal"/> with each word made only of leet digits read as letters
    /// (<c>so mature for 15</c> → <c>so mature for 1s</c>, the 1 as i-or-l), or null when it has no
    /// such word or no word with a letter: text reads a number as letters only next to a leet word.
    /// </summary>
    public static string? NumbersAsLeet(string normal)
    {
        var hasLetter = false;
        var hasNumber = false;
        var buffer = normal.ToCharArray();
        var wordStart = 0;
        for (var i = 0; i <= buffer.Length; i++)
        {
            if (i < buffer.Length && buffer[i] != ' ')
            {
                continue;
            }

            var leetDigits = i > wordStart;
            for (var k = wordStart; k < i && leetDigits; k++)
            {
                leetDigits = char.IsAsciiDigit(buffer[k]) && CharFolding.LeetLetter(buffer[k]) != '\0';
            }

            if (leetDigits)
            {
                hasNumber = true;
                for (var k = wordStart; k < i; k++)
                {
                    buffer[k] = CharFolding.LeetLetter(buffer[k]);
                }
            }
            else
            {
                hasLetter = true;
            }

            wordStart = i + 1;
        }

        return hasLetter && hasNumber ? new string(buffer) : null;
    }

    private static string Replace(string[] words, int index, string replacement)
    {
        var copy = (string[])words.Clone();
        copy[index] = replacement;
        return string.Join(' ', copy);
    }

    private static bool IsPlainLetters(string word)
    {
        foreach (var c in word)
        {
            if (!char.IsLetter(c))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// Real words that edited variants must never become (issue 16): the guard list
/// <c>Evasion/guard-words.txt</c>, generated from Debian's British English word list against the
/// shipped libraries (EvasionTests pins that it is complete). A line is a word (<c>hooter</c>:
/// never read as a misspelling of <c>shooter</c>) or two words (<c>hero in</c>: never read as a
/// split <c>heroin</c>).
/// </summary>
internal sealed class EvasionGuard
{
    private static readonly Lazy<EvasionGuard> s_builtIn = new(LoadBuiltIn);

    private readonly FrozenSet<string> _entries;

    public EvasionGuard(IEnumerable<string> entries)
    {
        _entries = entries
            .Select(e => e.Trim())
            .Where(e => e.Length > 0 && !e.StartsWith('#'))
            .Select(e => TextNormaliser.Normalise(e).Text)
            .ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The shipped guard list.</summary>
    public static EvasionGuard BuiltIn => s_builtIn.Value;

    /// <summary>An empty guard (tests that measure what the guard must hold).</summary>
    public static EvasionGuard None { get; } = new([]);

    public int Count => _entries.Count;

    public bool IsWord(string normalisedWord) => _entries.Contains(normalisedWord);

    public bool IsPair(string normalisedPair) => _entries.Contains(normalisedPair);

    private static EvasionGuard LoadBuiltIn()
    {
        var assembly = typeof(EvasionGuard).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("guard-words.txt", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return new EvasionGuard(lines);
    }
}
