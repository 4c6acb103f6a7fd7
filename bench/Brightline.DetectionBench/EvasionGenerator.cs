using System.Text;
using Brightline.Monitoring;

namespace Brightline.DetectionBench;

/// <summary>
/// Generates the labelled evasion corpus from the shipped libraries (<see cref="PhraseLibrary.BuiltIn"/>):
/// every positive single phrase and every combination (its terms joined by spaces) is a source;
/// for each evasion class, up to <c>perClass</c> sources (a seeded shuffle, round-robin over
/// categories so small categories are represented) are transformed and set in a short carrier
/// sentence. A source the class cannot apply to (a one-word phrase for "joined words", a phrase
/// with no letter a symbol can stand for at a word edge) is passed over. Deterministic for a seed.
/// </summary>
public static class EvasionGenerator
{
    public static readonly string[] Classes =
    [
        "plain", "doubled-letter", "dropped-letter", "swapped-letters", "masked-letter", "split-word", "spaced-letters",
        "digit-leet", "symbol-leet-edge", "heavy-leet", "small-capitals", "parenthesised", "hangul-filler", "emoji-letters",
        "joined-words", "hashtag", "line-break", "reversed",
    ];

    /// <summary>The class excluded from the recall target (reported only).</summary>
    public const string Reversed = "reversed";

    private static readonly string[] s_englishCarriers =
    [
        "{0}", "honestly {0}", "{0} tbh", "i just feel like {0}", "cant stop thinking {0}", "my friend said {0}",
        "{0} lol", "ok so {0}", "{0} and nobody cares", "last night {0}", "{0} right now", "searched {0} again",
    ];

    private static readonly string[] s_neutralCarriers = ["{0}", "{0}...", "\"{0}\"", "{0} !!", "{0} 😢", ">> {0}"];

    private static readonly Dictionary<char, char> s_digitLeet = new()
    {
        ['a'] = '4', ['e'] = '3', ['i'] = '1', ['o'] = '0', ['s'] = '5', ['t'] = '7', ['g'] = '9', ['b'] = '8', ['l'] = '1', ['z'] = '2',
    };

    private static readonly Dictionary<char, char> s_symbolLeet = new()
    {
        ['t'] = '+', ['a'] = '@', ['s'] = '$', ['i'] = '!', ['l'] = '|', ['e'] = '€', ['c'] = '(',
    };

    private static readonly string s_smallCaps = "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡxʏᴢ";

    public static List<LabelledLine> Generate(PhraseLibrary library, int perClass, int seed)
    {
        var sources = library.Rules
            .Where(r => r.Weight > 0 && r.Category != MonitoringCategories.Other)
            .Select(r => (Rule: r, Text: string.Join(' ', r.Terms.Select(t => t.Text))))
            .Where(s => s.Text.Any(char.IsLetter))
            .DistinctBy(s => (s.Rule.Category, s.Text))
            .ToList();

        var lines = new List<LabelledLine>();
        for (var c = 0; c < Classes.Length; c++)
        {
            var cls = Classes[c];
            var rng = new Random(seed + (c * 7919));
            // Seeded shuffle, then round-robin by category so every category gets its share.
            var byCategory = sources.OrderBy(_ => rng.Next()).GroupBy(s => s.Rule.Category).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new Queue<(PhraseRule Rule, string Text)>(g)).ToList();
            var taken = 0;
            while (taken < perClass && byCategory.Any(q => q.Count > 0))
            {
                foreach (var queue in byCategory)
                {
                    if (taken >= perClass || queue.Count == 0)
                    {
                        continue;
                    }

                    var (rule, text) = queue.Dequeue();
                    var evaded = Apply(cls, text.ToLowerInvariant(), rng);
                    if (evaded is null)
                    {
                        continue;
                    }

                    var carriers = rule.Language == "en" ? s_englishCarriers : s_neutralCarriers;
                    var carrier = carriers[rng.Next(carriers.Length)];
                    lines.Add(new LabelledLine("evasion", rule.Category, rule.Language, cls, text, string.Format(System.Globalization.CultureInfo.InvariantCulture, carrier, evaded)));
                    taken++;
                }
            }
        }

        return lines;
    }

    /// <summary>The phrase written with one evasion, or null when the class does not apply to it.</summary>
    public static string? Apply(string cls, string phrase, Random rng)
    {
        var words = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var longest = Array.IndexOf(words, words.OrderByDescending(w => w.Length).First());
        string? WithWord(Func<string, string?> edit)
        {
            var replaced = edit(words[longest]);
            if (replaced is null)
            {
                return null;
            }

            var copy = (string[])words.Clone();
            copy[longest] = replaced;
            return string.Join(' ', copy);
        }

        bool IsLetters(string w) => w.All(char.IsLetter);

        switch (cls)
        {
            case "plain":
                return phrase;
            case "doubled-letter":
                return WithWord(w =>
                {
                    if (w.Length < 4 || !IsLetters(w))
                    {
                        return null;
                    }

                    // A letter whose neighbours differ from it, so the result has a real doubling (myselff).
                    var options = Enumerable.Range(1, w.Length - 1).Where(i => w[i] != w[i - 1] && (i + 1 >= w.Length || w[i] != w[i + 1])).ToArray();
                    if (options.Length == 0)
                    {
                        return null;
                    }

                    var at = options[rng.Next(options.Length)];
                    return w.Insert(at, w[at].ToString());
                });
            case "dropped-letter":
                return WithWord(w => w.Length < 5 || !IsLetters(w) ? null : w.Remove(1 + rng.Next(w.Length - 1), 1));
            case "swapped-letters":
                return WithWord(w =>
                {
                    if (w.Length < 5 || !IsLetters(w))
                    {
                        return null;
                    }

                    var options = Enumerable.Range(1, w.Length - 2).Where(i => w[i] != w[i + 1]).ToArray();
                    if (options.Length == 0)
                    {
                        return null;
                    }

                    var i = options[rng.Next(options.Length)];
                    var chars = w.ToCharArray();
                    (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                    return new string(chars);
                });
            case "masked-letter":
                return WithWord(w =>
                {
                    if (w.Length < 4)
                    {
                        return null;
                    }

                    var vowels = Enumerable.Range(1, w.Length - 2).Where(i => "aeiouy".Contains(w[i], StringComparison.Ordinal)).ToArray();
                    var at = vowels.Length > 0 ? vowels[rng.Next(vowels.Length)] : 1 + rng.Next(w.Length - 2);
                    return w[..at] + "*" + w[(at + 1)..];
                });
            case "split-word":
                return WithWord(w => w.Length < 5 ? null : w.Insert(2 + rng.Next(w.Length - 3), " "));
            case "spaced-letters":
                return string.Join("   ", words.Select(w => string.Join(' ', w.ToCharArray())));
            case "digit-leet":
            {
                var changed = 0;
                var result = new string(phrase.Select(ch => s_digitLeet.TryGetValue(ch, out var d) ? Count(d, ref changed) : ch).ToArray());
                return changed >= 2 ? result : null;
            }

            case "symbol-leet-edge":
            {
                // Replace the first or last letter of a word with a symbol (+h3, cun+).
                var options = new List<(int Word, bool Start)>();
                for (var i = 0; i < words.Length; i++)
                {
                    if (words[i].Length >= 3 && s_symbolLeet.ContainsKey(words[i][0]))
                    {
                        options.Add((i, true));
                    }

                    if (words[i].Length >= 3 && s_symbolLeet.ContainsKey(words[i][^1]))
                    {
                        options.Add((i, false));
                    }
                }

                if (options.Count == 0)
                {
                    return null;
                }

                var (word, start) = options[rng.Next(options.Count)];
                var copy = (string[])words.Clone();
                var w = copy[word];
                copy[word] = start ? s_symbolLeet[w[0]] + w[1..] : w[..^1] + s_symbolLeet[w[^1]];
                return string.Join(' ', copy);
            }

            case "heavy-leet":
            {
                var mapped = phrase.Count(ch => s_digitLeet.ContainsKey(ch) || s_symbolLeet.ContainsKey(ch));
                if (mapped < 5)
                {
                    return null;
                }

                var sb = new StringBuilder();
                foreach (var ch in phrase)
                {
                    var useSymbol = rng.Next(2) == 0;
                    sb.Append(useSymbol && s_symbolLeet.TryGetValue(ch, out var s) ? s : s_digitLeet.TryGetValue(ch, out var d) ? d : s_symbolLeet.TryGetValue(ch, out var s2) ? s2 : ch);
                }

                return sb.ToString();
            }

            case "small-capitals":
                return Map(phrase, ch => ch is >= 'a' and <= 'z' ? s_smallCaps[ch - 'a'].ToString() : null);
            case "parenthesised":
                return Map(phrase, ch => ch is >= 'a' and <= 'z' ? ((char)('\u249C' + (ch - 'a'))).ToString() : null);
            case "hangul-filler":
                return WithWord(w => w.Length < 3 ? null : string.Join('\u3164', w.ToCharArray()));
            case "emoji-letters":
                return Map(phrase, ch => ch is >= 'a' and <= 'z' ? char.ConvertFromUtf32(0x1F170 + (ch - 'a')) : null);
            // Joined and hashtag forms drop apostrophes too, as people do (#youresougly).
            case "joined-words":
                return words.Length < 2 ? null : string.Concat(words).Replace("'", string.Empty, StringComparison.Ordinal);
            case "hashtag":
                return words.Length < 2 ? null : "#" + string.Concat(words).Replace("'", string.Empty, StringComparison.Ordinal);
            case "line-break":
            {
                if (words.Length < 2)
                {
                    return null;
                }

                var at = 1 + rng.Next(words.Length - 1);
                return string.Join(' ', words[..at]) + "\n" + string.Join(' ', words[at..]);
            }

            case "reversed":
                return new string(phrase.Reverse().ToArray());
            default:
                throw new ArgumentException("Unknown class " + cls, nameof(cls));
        }
    }

    private static char Count(char c, ref int changed)
    {
        changed++;
        return c;
    }

    private static string? Map(string phrase, Func<char, string?> map)
    {
        var sb = new StringBuilder();
        var changed = 0;
        foreach (var ch in phrase)
        {
            var m = map(ch);
            changed += m is null ? 0 : 1;
            sb.Append(m ?? ch.ToString());
        }

        return changed >= 2 ? sb.ToString() : null;
    }
}
