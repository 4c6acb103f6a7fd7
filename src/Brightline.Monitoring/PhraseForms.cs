using System.Text;

namespace Brightline.Monitoring;

/// <summary>
/// Other written forms of a library phrase, compiled alongside it: text-speak and slang spellings
/// (<c>Libraries/textspeak.txt</c>: "are you home alone" is also "r u home alone") and per-language
/// morphology (<c>Libraries/morphology.txt</c>: Welsh initial mutations, Polish case endings).
/// Issue 16 parts 3 and 5.
/// </summary>
/// <remarks>
/// <para><b>Why variants of the phrase, not rewriting of the text.</b> Replacing <c>u</c> by
/// <c>you</c> in the scanned text would change its length and break the map from every normalised
/// character back to the original span (hits must point at what the child typed), would cost time
/// on every scan, and would have to guess (<c>ur</c> is "your" or "you're"; <c>2</c> is "to",
/// "too" or two). Compiling each phrase's forms once costs only automaton states, keeps the scan
/// path unchanged and lets every ambiguous reading coexist: the phrase decides which reading it
/// needs.</para>
/// <para><b>Rule file format</b> (both files): <c>@language xx</c> sets the language the rules
/// below apply to (a rule applies only to phrases of that language); then one rule a line,
/// <c>words = form, form</c>:</para>
/// <list type="bullet">
/// <item><c>you are = u r, ur</c>: whole words (one to four), anywhere in a phrase;</item>
/// <item><c>*ing = *in</c>: a word ending (the rest of the word at least three letters), any word;</item>
/// <item><c>ll* = l*</c>: a word beginning, the <b>first word of a phrase only</b> — a Welsh mutation is
/// caused by the word before it, which lies outside the phrase; mutations inside a phrase are
/// written as they are said. <c>ch* =</c> (no forms) stops a shorter rule (<c>c*</c>) applying.</item>
/// </list>
/// <para>Both sides are normalised exactly as text is (<see cref="TextNormaliser"/>), so
/// <c>h8</c> is compared in the form the text will have. A phrase gets at most
/// <see cref="MaxForms"/> forms, cheapest first (each word's first spelling before its rarer
/// ones), which bounds the automaton's growth; a form that another rule of the same category
/// already has is left out (<see cref="ForLibrary"/>), so one spelling never scores twice.</para>
/// </remarks>
internal static class PhraseForms
{
    /// <summary>Most extra forms compiled for one phrase.</summary>
    public const int MaxForms = 16;

    private const int MaxKeyWords = 4;
    private const int MaxAlternatives = 4;
    private const int MaxEnumerated = 4096;
    private const int MinStem = 3;
    private const string ResourcePrefix = "Brightline.Monitoring.Libraries.";

    /// <summary>The shipped rule files.</summary>
    public static readonly string[] Files = ["textspeak.txt", "morphology.txt"];

    private static readonly Lazy<(Dictionary<string, LanguageRules> Rules, LibraryDiagnostic[] Diagnostics)> s_shipped = new(LoadShipped);

    /// <summary>Problems found reading the shipped rule files (none expected; tests pin it).</summary>
    public static IReadOnlyList<LibraryDiagnostic> Diagnostics => s_shipped.Value.Diagnostics;

    /// <summary>Number of rules for <paramref name="language"/> (for tests and reports).</summary>
    public static int RuleCount(string language) =>
        s_shipped.Value.Rules.TryGetValue(language, out var rules) ? rules.Count : 0;

    /// <summary>
    /// The other forms of <paramref name="termText"/> in <paramref name="language"/>, each already
    /// normalised (<see cref="NormalisedText.Text"/>), without the phrase's own form; empty when no
    /// rule applies.
    /// </summary>
    public static IReadOnlyList<string> Forms(string termText, string language) =>
        s_shipped.Value.Rules.TryGetValue(language, out var rules) ? Forms(termText, rules) : [];

    /// <summary>
    /// The forms of every term of <paramref name="library"/>, indexed [rule][term]. A form is left
    /// out when it would make two phrase rules of one category hit the same words: when it is
    /// another rule's own text ("going to hang myself" → "gonna hang myself", also a phrase), or a
    /// form an earlier rule already has ("ima kill u" from both "i'm going to kill you" and "i will
    /// kill you"). Without this, a text-speak spelling would score twice what the phrase scores.
    /// </summary>
    public static string[][][] ForLibrary(PhraseLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in library.Rules)
        {
            if (!rule.IsCombination)
            {
                claimed.Add(Key(rule, TextNormaliser.Normalise(rule.Terms[0].Text).Text));
            }
        }

        var result = new string[library.Rules.Count][][];
        for (var r = 0; r < library.Rules.Count; r++)
        {
            var rule = library.Rules[r];
            result[r] = new string[rule.Terms.Count][];
            for (var t = 0; t < rule.Terms.Count; t++)
            {
                var forms = Forms(rule.Terms[t].Text, rule.Language);
                result[r][t] = rule.IsCombination ? [.. forms] : [.. forms.Where(f => claimed.Add(Key(rule, f)))];
            }
        }

        return result;

        static string Key(PhraseRule rule, string text) => rule.Category + (rule.IsException ? "\0-\0" : "\0+\0") + text;
    }

    /// <summary>Parses rule text (the format above); for tests of the format itself.</summary>
    internal static (Dictionary<string, LanguageRules> Rules, List<LibraryDiagnostic> Diagnostics) Parse(TextReader reader, string source)
    {
        var rules = new Dictionary<string, LanguageRules>(StringComparer.Ordinal);
        var diagnostics = new List<LibraryDiagnostic>();
        LanguageRules? current = null;
        var lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            var text = line.Trim().TrimStart('\uFEFF');
            if (text.Length == 0 || text[0] == '#')
            {
                continue;
            }

            if (text.StartsWith("@language", StringComparison.OrdinalIgnoreCase))
            {
                var tag = text["@language".Length..].Trim();
                if (tag.Length is 0 or > 16)
                {
                    diagnostics.Add(new LibraryDiagnostic(source, lineNumber, "The language must be a short tag such as 'en' or 'cy'."));
                    current = null;
                    continue;
                }

                if (!rules.TryGetValue(tag, out current))
                {
                    rules[tag] = current = new LanguageRules();
                }

                continue;
            }

            if (text[0] == '@')
            {
                diagnostics.Add(new LibraryDiagnostic(source, lineNumber, $"Unknown directive '{text.Split(' ')[0]}': expected @language."));
                continue;
            }

            if (current is null)
            {
                diagnostics.Add(new LibraryDiagnostic(source, lineNumber, "A rule comes before any '@language' line."));
                continue;
            }

            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                diagnostics.Add(new LibraryDiagnostic(source, lineNumber, "Expected 'words = form, form'."));
                continue;
            }

            var error = current.Add(text[..equals].Trim(), text[(equals + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            if (error is not null)
            {
                diagnostics.Add(new LibraryDiagnostic(source, lineNumber, error));
            }
        }

        return (rules, diagnostics);
    }

    internal static IReadOnlyList<string> Forms(string termText, LanguageRules rules)
    {
        var normal = TextNormaliser.Normalise(termText).Text;
        if (normal.Length == 0)
        {
            return [];
        }

        var words = normal.Split(' ');
        var segments = new List<string[]>();
        for (var i = 0; i < words.Length;)
        {
            var matched = false;
            for (var k = Math.Min(MaxKeyWords, words.Length - i); k >= 1 && !matched; k--)
            {
                var key = string.Join(' ', words, i, k);
                if (rules.Words.TryGetValue(key, out var forms))
                {
                    segments.Add([key, .. forms]);
                    i += k;
                    matched = true;
                }
            }

            if (matched)
            {
                continue;
            }

            var word = words[i];
            var alternatives = new List<string> { word };
            AddAffixForms(word, rules.Endings, prefix: false, alternatives);
            if (i == 0)
            {
                AddAffixForms(word, rules.Beginnings, prefix: true, alternatives);
            }

            segments.Add([.. alternatives]);
            i++;
        }

        var results = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { normal };
        foreach (var choice in Choices(segments))
        {
            var builder = new StringBuilder();
            for (var s = 0; s < segments.Count; s++)
            {
                if (s > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(segments[s][choice[s]]);
            }

            // Re-normalise the assembled form: a form can change how the normaliser reads it
            // ("want 2 c u" joins spaced letters exactly as the typed text will). The i-or-l
            // symbol came from a '1' and goes back to one so it is read the same way again.
            var form = TextNormaliser.Normalise(builder.ToString().Replace(CharFolding.AmbiguousIL, '1')).Text;
            if (form.Length > 0 && seen.Add(form))
            {
                results.Add(form);
                if (results.Count >= MaxForms)
                {
                    break;
                }
            }
        }

        return results;
    }

    /// <summary>
    /// Alternative choices per segment, canonical (all zero) excluded, likeliest first: every
    /// word in its commonest text-speak spelling together ("wat skool do u go 2"), then fewer
    /// words changed, then rarer spellings. Each segment offers at most
    /// <see cref="MaxAlternatives"/> forms.
    /// </summary>
    private static IEnumerable<int[]> Choices(List<string[]> segments)
    {
        var sizes = segments.Select(s => Math.Min(s.Length, MaxAlternatives + 1)).ToArray();
        long total = 1;
        foreach (var size in sizes)
        {
            total = Math.Min(total * size, MaxEnumerated + 1);
        }

        if (total == 1)
        {
            return [];
        }

        // Too many to enumerate (a very long phrase): keep each segment's first form only.
        if (total > MaxEnumerated)
        {
            for (var p = 0; p < sizes.Length; p++)
            {
                sizes[p] = Math.Min(sizes[p], 2);
            }

            total = sizes.Aggregate(1L, (a, b) => Math.Min(a * b, MaxEnumerated + 1));
            if (total > MaxEnumerated)
            {
                return [];
            }
        }

        var all = new List<int[]>((int)total);
        var choice = new int[segments.Count];
        for (var n = 1; n < total; n++)
        {
            for (var p = segments.Count - 1; p >= 0; p--)
            {
                if (++choice[p] < sizes[p])
                {
                    break;
                }

                choice[p] = 0;
            }

            all.Add((int[])choice.Clone());
        }

        // First the form with every word in its commonest spelling (people who type "u" also type
        // "r" and "2"), then with fewer words changed, then rarer spellings.
        return all.OrderBy(static c => c.Sum(static i => Math.Max(0, i - 1))).ThenBy(c => c.Count(static i => i == 0));
    }

    private static void AddAffixForms(string word, List<(string Affix, string[] Forms)> rules, bool prefix, List<string> alternatives)
    {
        // Rules are sorted longest affix first; the first that fits is the only one applied.
        foreach (var (affix, forms) in rules)
        {
            var fits = prefix ? word.StartsWith(affix, StringComparison.Ordinal) : word.EndsWith(affix, StringComparison.Ordinal);
            if (!fits || word.Length - affix.Length < (prefix ? 1 : MinStem) || word.Length < MinStem)
            {
                continue;
            }

            var rest = prefix ? word[affix.Length..] : word[..^affix.Length];
            foreach (var form in forms)
            {
                var variant = prefix ? form + rest : rest + form;
                if (!alternatives.Contains(variant))
                {
                    alternatives.Add(variant);
                }
            }

            return;
        }
    }

    private static (Dictionary<string, LanguageRules>, LibraryDiagnostic[]) LoadShipped()
    {
        var all = new Dictionary<string, LanguageRules>(StringComparer.Ordinal);
        var diagnostics = new List<LibraryDiagnostic>();
        foreach (var file in Files)
        {
            using var stream = typeof(PhraseForms).Assembly.GetManifestResourceStream(ResourcePrefix + file);
            if (stream is null)
            {
                diagnostics.Add(new LibraryDiagnostic(file, 0, "The form rule file is not embedded in the assembly."));
                continue;
            }

            using var reader = new StreamReader(stream, Encoding.UTF8);
            var (rules, found) = Parse(reader, file);
            diagnostics.AddRange(found);
            foreach (var (language, languageRules) in rules)
            {
                if (all.TryGetValue(language, out var existing))
                {
                    existing.Merge(languageRules);
                }
                else
                {
                    all[language] = languageRules;
                }
            }
        }

        return (all, diagnostics.ToArray());
    }

    /// <summary>The rules of one language: whole words, word endings and word beginnings.</summary>
    internal sealed class LanguageRules
    {
        public Dictionary<string, string[]> Words { get; } = new(StringComparer.Ordinal);

        public List<(string Affix, string[] Forms)> Endings { get; } = [];

        public List<(string Affix, string[] Forms)> Beginnings { get; } = [];

        public int Count => Words.Count + Endings.Count + Beginnings.Count;

        /// <summary>Adds one rule; returns an error message or null.</summary>
        public string? Add(string key, string[] forms)
        {
            var ending = key.StartsWith('*');
            var beginning = key.EndsWith('*') && !ending;
            if (ending || beginning)
            {
                var affix = Normal(key.Trim('*'));
                if (key.Trim('*').Length == 0 || affix.Contains(' ', StringComparison.Ordinal))
                {
                    return $"'{key}': a word ending ('*ing') or beginning ('ll*') is one part of a word.";
                }

                var affixForms = new List<string>();
                foreach (var form in forms)
                {
                    var starred = form == "*" || (ending ? form.StartsWith('*') && !form.EndsWith('*') : form.EndsWith('*') && !form.StartsWith('*'));
                    if (!starred)
                    {
                        return ending
                            ? $"'{form}': the forms of a word ending are written '*in'."
                            : $"'{form}': the forms of a word beginning are written 'l*'.";
                    }

                    var bare = form.Trim('*');
                    affixForms.Add(bare.Length == 0 ? string.Empty : Normal(bare));
                }

                var list = ending ? Endings : Beginnings;
                if (list.Any(r => r.Affix == affix))
                {
                    return $"'{key}' is already defined above.";
                }

                list.Add((affix, [.. affixForms]));
                list.Sort(static (a, b) => b.Affix.Length.CompareTo(a.Affix.Length));
                return null;
            }

            var normalKey = Normal(key);
            if (normalKey.Length == 0)
            {
                return $"'{key}' has no letters or digits.";
            }

            if (normalKey.Split(' ').Length > MaxKeyWords)
            {
                return $"'{key}' has more than {MaxKeyWords} words.";
            }

            if (forms.Length == 0)
            {
                return $"'{key}' has no forms after '='.";
            }

            if (forms.Any(f => f.Contains('*', StringComparison.Ordinal)))
            {
                return $"'{key}': '*' belongs only in word-ending or word-beginning rules.";
            }

            var normalForms = forms.Select(Normal).Where(f => f.Length > 0 && f != normalKey).Distinct(StringComparer.Ordinal).ToArray();
            if (Words.TryGetValue(normalKey, out var existing))
            {
                Words[normalKey] = [.. existing.Concat(normalForms).Distinct(StringComparer.Ordinal)];
            }
            else
            {
                Words[normalKey] = normalForms;
            }

            return null;
        }

        public void Merge(LanguageRules other)
        {
            foreach (var (key, forms) in other.Words)
            {
                Words[key] = Words.TryGetValue(key, out var existing) ? [.. existing.Concat(forms).Distinct(StringComparer.Ordinal)] : forms;
            }

            Endings.AddRange(other.Endings);
            Endings.Sort(static (a, b) => b.Affix.Length.CompareTo(a.Affix.Length));
            Beginnings.AddRange(other.Beginnings);
            Beginnings.Sort(static (a, b) => b.Affix.Length.CompareTo(a.Affix.Length));
        }

        private static string Normal(string text) => TextNormaliser.Normalise(text).Text;
    }
}
