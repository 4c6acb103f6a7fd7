using System.Text;

namespace Brightline.Monitoring;

/// <summary>How a matcher reads text.</summary>
public enum MatchMode
{
    /// <summary>Full normalisation (<see cref="TextNormaliser"/>): the mode for safeguarding.</summary>
    Normalised = 0,

    /// <summary>Case-insensitive only, on the original characters: the mode to compare with <c>grep -F -i</c>.</summary>
    Raw = 1,
}

/// <summary>
/// A phrase library compiled into one Aho–Corasick automaton. Immutable after
/// <see cref="Compile"/>; any number of threads may scan with one instance at the same time.
/// </summary>
/// <remarks>
/// <para>Compilation normalises every term exactly as text is normalised, then adds variants
/// (<see cref="PhraseVariants"/>): i/l variants for the i-or-l symbol that <c>1</c> and <c>|</c>
/// fold to (no cap on how many are replaced); multi-word terms also without spaces
/// (<c>killmyself</c>), long ones allowed inside joined words and hashtags; and one-edit variants
/// of words of five letters or more (dropped, swapped, doubled letter, split word; a doubled
/// letter from four) minus the guard list of real words. Each variant is collapsed (runs of one character to one) with its run lengths kept for
/// verification. docs/monitoring-engine.md has the table of evasion classes (issue 16).</para>
/// <para>A scan normalises the text, runs the automaton once over the collapsed form and checks
/// each candidate: word boundaries at the ends the term wants whole, and every text run at least
/// as long as the term's run (equal, or three or more). Masked letters (<c>f*ck</c>) are completed
/// by a verification pass over the few masked words (<see cref="CompleteMasks"/>). Accepted
/// matches are mapped back to original spans; combinations and exceptions are resolved afterwards
/// over the (few) matches.</para>
/// </remarks>
public sealed class PhraseMatcher
{
    private const int MinStretch = 3;

    // Mask pass bounds: masked words per scan, masks per word, and words of context either side.
    private const int MaxMaskedWords = 16;
    private const int MaxMasksPerWord = 2;
    private const int MaskContextWords = 6;

    private static readonly Lazy<PhraseMatcher> s_builtIn = new(() => Compile(PhraseLibrary.BuiltIn()));

    private readonly Pattern[] _patterns;
    private readonly AhoCorasick _automaton;
    private readonly PhraseRule[] _rules;

    private static readonly char[] s_latinMaskLetters = "abcdefghijklmnopqrstuvwxyz".ToCharArray();

    private readonly char[] _arabicMaskLetters;

    private PhraseMatcher(PhraseLibrary library, MatchMode mode, Pattern[] patterns, AhoCorasick automaton, char[] arabicMaskLetters)
    {
        Library = library;
        Mode = mode;
        _patterns = patterns;
        _automaton = automaton;
        _rules = library.Rules.ToArray();
        _arabicMaskLetters = arabicMaskLetters;
    }

    /// <summary>All of Brightline's shipped libraries (every language), compiled once on first use.</summary>
    public static PhraseMatcher BuiltIn => s_builtIn.Value;

    /// <summary>The library this matcher was compiled from.</summary>
    public PhraseLibrary Library { get; }

    /// <summary>Normalised or raw.</summary>
    public MatchMode Mode { get; }

    /// <summary>Number of automaton patterns (terms × variants).</summary>
    public int PatternCount => _patterns.Length;

    /// <summary>Number of automaton states.</summary>
    public int StateCount => _automaton.StateCount;

    /// <summary>Compiles <paramref name="library"/>. Rules whose terms normalise to nothing are ignored.</summary>
    public static PhraseMatcher Compile(PhraseLibrary library, MatchMode mode = MatchMode.Normalised) =>
        Compile(library, mode, EvasionGuard.BuiltIn, evasions: true);

    /// <summary>
    /// Compiles with an explicit guard list; <paramref name="evasions"/> false leaves out the edited
    /// variants (tests compare the two to see what the edits add).
    /// </summary>
    internal static PhraseMatcher Compile(PhraseLibrary library, MatchMode mode, EvasionGuard guard, bool evasions)
    {
        ArgumentNullException.ThrowIfNull(library);
        var patterns = new List<Pattern>();
        var texts = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var forms = mode == MatchMode.Raw ? null! : PhraseForms.ForLibrary(library); // issue 16 parts 3 and 5 (slang16)

        // An edit that spells another term of the library ("twats" → "twat") is left out: that term
        // matches on its own, and the same word must not score twice.
        var termTexts = mode == MatchMode.Raw || !evasions
            ? new HashSet<string>(StringComparer.Ordinal)
            : library.Rules.SelectMany(rule => rule.Terms).Select(term => TextNormaliser.Normalise(term.Text).Text).ToHashSet(StringComparer.Ordinal);
        for (var r = 0; r < library.Rules.Count; r++)
        {
            var rule = library.Rules[r];
            for (var t = 0; t < rule.Terms.Count; t++)
            {
                var term = rule.Terms[t];
                seen.Clear();
                if (mode == MatchMode.Raw)
                {
                    var raw = term.Text.ToLowerInvariant();
                    if (raw.Length > 0)
                    {
                        texts.Add(raw);
                        patterns.Add(new Pattern(r, t, raw.Length, term.WholeWordStart, term.WholeWordEnd, null));
                    }

                    continue;
                }

                var normal = TextNormaliser.Normalise(term.Text).Text;
                foreach (var variant in PhraseVariants.AmbiguousVariants(normal))
                {
                    AddVariant(variant, VariantKind.Exact, r, t, term, patterns, texts, seen);
                }

                // Issue 16 parts 3 and 5 (data in Libraries/textspeak.txt and morphology.txt, see
                // PhraseForms): the phrase also as it is texted ("r u home alone") and in its
                // Welsh mutated / Polish inflected forms, compiled as variants of the same term.
                foreach (var form in forms[r][t])
                {
                    foreach (var variant in PhraseVariants.AmbiguousVariants(form))
                    {
                        AddVariant(variant, VariantKind.Exact, r, t, term, patterns, texts, seen);
                    }
                }

                // A number in a phrase ("so mature for 15") reads as letters in heavy leet, where
                // its neighbours are leet words ("f0r 15" → "for is"): compile that reading too.
                if (PhraseVariants.NumbersAsLeet(normal) is { } leetNumbers)
                {
                    foreach (var variant in PhraseVariants.AmbiguousVariants(leetNumbers))
                    {
                        AddVariant(variant, VariantKind.Exact, r, t, term, patterns, texts, seen);
                    }
                }

                if (normal.Contains(' ', StringComparison.Ordinal))
                {
                    var compact = normal.Replace(" ", string.Empty, StringComparison.Ordinal);
                    if (compact.Length >= PhraseVariants.MinCompactLength)
                    {
                        foreach (var variant in PhraseVariants.AmbiguousVariants(compact))
                        {
                            AddVariant(variant, VariantKind.Joined, r, t, term, patterns, texts, seen);
                        }
                    }
                }

                // Misspellings and split words: whole-word terms of positive rules only. A '*' end
                // is already loose, and an exception that matched misspellings could cancel real hits.
                if (evasions && rule.Weight > 0 && term.WholeWordStart && term.WholeWordEnd)
                {
                    foreach (var variant in PhraseVariants.Edits(normal, guard, PhraseVariants.IsGuardedLanguage(rule.Language)))
                    {
                        if (termTexts.Contains(variant))
                        {
                            continue;
                        }

                        AddVariant(variant, VariantKind.Edited, r, t, term, patterns, texts, seen);
                    }
                }
            }
        }

        var automaton = AhoCorasick.Build(texts, foldCase: mode == MatchMode.Raw);

        // A mask in an Arabic-script word (Urdu, Arabic) is completed with the Arabic-script
        // letters the phrases use (after folding), not a–z.
        var arabicMaskLetters = texts.SelectMany(t => t).Where(IsArabicScript).Distinct().Order().ToArray();
        return new PhraseMatcher(library, mode, patterns.ToArray(), automaton, arabicMaskLetters);
    }

    /// <summary>Scans <paramref name="text"/>: every hit with its original span, and per-category scores.</summary>
    public ScanResult Scan(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || _patterns.Length == 0)
        {
            return ScanResult.Empty;
        }

        var matches = new List<RawMatch>();
        if (Mode == MatchMode.Raw)
        {
            var sink = new RawSink(_patterns, text, matches);
            _automaton.Scan(text, ref sink);
        }
        else
        {
            var ws = TextNormaliser.RentWorkspace();
            ws.Run(text, keepUncollapsed: false);
            var sink = new NormalisedSink(_patterns, ws, matches);
            _automaton.Scan(ws.Chars.AsSpan(0, ws.Length), ref sink);
            if (ws.MaskCount > 0)
            {
                CompleteMasks(ws, matches);
            }

            // Map to original spans now: the workspace is reused by the next scan on this thread.
            for (var i = 0; i < matches.Count; i++)
            {
                var m = matches[i];
                matches[i] = m with { OriginalStart = ws.Start[m.Start], OriginalEnd = ws.End[m.End - 1] };
            }
        }

        return matches.Count == 0 ? ScanResult.Empty : BuildResult(text, matches);
    }

    /// <summary>
    /// Counts accepted phrase and term matches (before combinations and exceptions) without
    /// allocating in the steady state: the entry point for throughput benchmarks.
    /// </summary>
    public int CountMatches(ReadOnlySpan<char> text)
    {
        if (Mode == MatchMode.Raw)
        {
            var sink = new RawSink(_patterns, text, null);
            _automaton.Scan(text, ref sink);
            return sink.Count;
        }

        var ws = TextNormaliser.RentWorkspace();
        ws.Run(text, keepUncollapsed: false);
        var counter = new NormalisedSink(_patterns, ws, null);
        _automaton.Scan(ws.Chars.AsSpan(0, ws.Length), ref counter);
        return counter.Count + (ws.MaskCount > 0 ? CompleteMasks(ws, null) : 0);
    }

    /// <summary>
    /// The mask pass (issue 16): completes words with masked letters (<c>f*ck</c>, <c>s*icide</c>,
    /// <c>f**k</c>) to library phrases. Masks are rare in ordinary text, so instead of compiling a
    /// wildcard into the automaton (which would multiply its states), each masked word with at most
    /// <see cref="MaxMasksPerWord"/> masks gets every letter a–z in each mask, written in place in
    /// the normalised buffer (same length, so spans still map), and the automaton re-runs over the
    /// word and <see cref="MaskContextWords"/> words either side (multi-word phrases). Only matches
    /// that cover every mask of the word count, so nothing found by the main pass is found twice.
    /// At most 26² × a short window per masked word and <see cref="MaxMaskedWords"/> words per scan;
    /// no allocation. The masks are restored afterwards.
    /// </summary>
    private int CompleteMasks(NormaliserWorkspace ws, List<RawMatch>? matches)
    {
        var count = 0;
        var chars = ws.Chars;
        var length = ws.Length;
        Span<int> masks = stackalloc int[MaxMasksPerWord];
        var words = 0;
        var i = 0;
        while (i < length && words < MaxMaskedWords)
        {
            if (chars[i] != CharFolding.Mask)
            {
                i++;
                continue;
            }

            var wordStart = i;
            while (wordStart > 0 && chars[wordStart - 1] != ' ')
            {
                wordStart--;
            }

            var wordEnd = i;
            while (wordEnd < length && chars[wordEnd] != ' ')
            {
                wordEnd++;
            }

            i = wordEnd;
            words++;
            var n = 0;
            for (var k = wordStart; k < wordEnd && n <= MaxMasksPerWord; k++)
            {
                if (chars[k] == CharFolding.Mask)
                {
                    if (n < MaxMasksPerWord)
                    {
                        masks[n] = k;
                    }

                    n++;
                }
            }

            if (n > MaxMasksPerWord)
            {
                continue;
            }

            var from = wordStart;
            for (var w = 0; w < MaskContextWords && from > 0; w++)
            {
                from--;
                while (from > 0 && chars[from - 1] != ' ')
                {
                    from--;
                }
            }

            var to = wordEnd;
            for (var w = 0; w < MaskContextWords && to < length; w++)
            {
                to++;
                while (to < length && chars[to] != ' ')
                {
                    to++;
                }
            }

            var letters = ArabicNeighbour(chars, wordStart, wordEnd) ? _arabicMaskLetters : s_latinMaskLetters;
            var combinations = n == 1 ? letters.Length : letters.Length * letters.Length;
            for (var c = 0; c < combinations; c++)
            {
                chars[masks[0]] = letters[c % letters.Length];
                if (n == 2)
                {
                    chars[masks[1]] = letters[c / letters.Length];
                }

                var sink = new NormalisedSink(_patterns, ws, matches) { Offset = from, CoverFrom = masks[0], CoverTo = masks[n - 1] };
                _automaton.Scan(chars.AsSpan(from, to - from), ref sink);
                count += sink.Count;
            }

            // Merges: a mask that repeats the letter beside it (b*okie, sch*ol) or two masks that are
            // one doubled letter (b**bs). The collapsed text keeps a doubled letter as one character
            // with a run of two, so writing the letter into the mask's slot would leave two runs of
            // one; instead the window is copied without the mask's slot and the slot beside it
            // counts one more (MergedMaskSink maps positions back).
            if (n == 1)
            {
                var mask = masks[0];
                chars[mask] = CharFolding.Mask;
                if (mask > wordStart && chars[mask - 1] != CharFolding.Mask)
                {
                    count += ScanMerged(ws, matches, from, to, skip: mask, into: mask - 1);
                }

                if (mask + 1 < wordEnd && chars[mask + 1] != CharFolding.Mask)
                {
                    count += ScanMerged(ws, matches, from, to, skip: mask, into: mask + 1);
                }
            }
            else if (masks[1] == masks[0] + 1)
            {
                foreach (var letter in letters)
                {
                    chars[masks[0]] = letter;
                    count += ScanMerged(ws, matches, from, to, skip: masks[1], into: masks[0]);
                }
            }

            for (var k = 0; k < n; k++)
            {
                chars[masks[k]] = CharFolding.Mask;
            }
        }

        return count;
    }

    /// <summary>Runs the automaton over the window <paramref name="from"/>..<paramref name="to"/> without slot <paramref name="skip"/>, slot <paramref name="into"/> counting one letter more.</summary>
    private int ScanMerged(NormaliserWorkspace ws, List<RawMatch>? matches, int from, int to, int skip, int into)
    {
        var scratch = ws.RentMaskScratch(to - from);
        var length = 0;
        for (var k = from; k < to; k++)
        {
            if (k != skip)
            {
                scratch[length++] = ws.Chars[k];
            }
        }

        var sink = new MergedMaskSink(_patterns, ws, matches, from, skip, into);
        _automaton.Scan(scratch.AsSpan(0, length), ref sink);
        return sink.Count;
    }

    private static bool ArabicNeighbour(char[] chars, int wordStart, int wordEnd)
    {
        for (var k = wordStart; k < wordEnd; k++)
        {
            if (chars[k] != CharFolding.Mask)
            {
                return IsArabicScript(chars[k]);
            }
        }

        return false;
    }

    private static bool IsArabicScript(char c) => c is >= '\u0600' and <= '\u06FF';

    private static void AddVariant(string variant, VariantKind kind, int rule, int term, PhraseTerm phraseTerm, List<Pattern> patterns, List<string> texts, HashSet<string> seen)
    {
        var (collapsed, runs) = Collapse(variant.ToCharArray());
        var key = runs is null ? collapsed : collapsed + "\0" + Convert.ToHexString(runs);
        if (collapsed.Length == 0 || !seen.Add(key))
        {
            return;
        }

        // A long joined term may sit inside a joined word or hashtag ("iwanttodie"): its ends need
        // no word boundary. Short joined terms, and everything else, keep the term's own ends.
        var inside = kind == VariantKind.Joined && variant.Length >= PhraseVariants.MinJoinedInsideLength;
        texts.Add(collapsed);
        patterns.Add(new Pattern(rule, term, collapsed.Length, phraseTerm.WholeWordStart && !inside, phraseTerm.WholeWordEnd && !inside, runs, kind));
    }

    private static (string Collapsed, byte[]? Runs) Collapse(char[] text)
    {
        var builder = new StringBuilder(text.Length);
        var runs = new List<byte>(text.Length);
        var anyRun = false;
        foreach (var c in text)
        {
            if (builder.Length > 0 && builder[^1] == c)
            {
                runs[^1] = (byte)Math.Min(byte.MaxValue, runs[^1] + 1);
                anyRun = true;
                continue;
            }

            builder.Append(c);
            runs.Add(1);
        }

        return (builder.ToString(), anyRun ? runs.ToArray() : null);
    }

    private ScanResult BuildResult(string text, List<RawMatch> matches)
    {
        matches.Sort(static (a, b) =>
        {
            var c = a.OriginalStart.CompareTo(b.OriginalStart);
            c = c != 0 ? c : a.OriginalEnd.CompareTo(b.OriginalEnd);
            c = c != 0 ? c : a.Rule.CompareTo(b.Rule);
            return c != 0 ? c : a.Term.CompareTo(b.Term);
        });

        var work = new List<WorkingHit>();
        Dictionary<int, List<RawMatch>>? combinations = null;
        RawMatch previous = default;
        for (var i = 0; i < matches.Count; i++)
        {
            var m = matches[i];
            if (i > 0 && m.Rule == previous.Rule && m.Term == previous.Term && m.OriginalStart == previous.OriginalStart && m.OriginalEnd == previous.OriginalEnd)
            {
                continue; // the same span reached through two variants
            }

            previous = m;
            var rule = _rules[m.Rule];
            if (rule.IsCombination)
            {
                combinations ??= [];
                if (!combinations.TryGetValue(m.Rule, out var list))
                {
                    combinations[m.Rule] = list = [];
                }

                list.Add(m);
                continue;
            }

            work.Add(new WorkingHit(m.Rule, m.OriginalStart, m.OriginalEnd, rule.IsException ? HitKind.Exception : HitKind.Phrase, rule.Weight));
        }

        if (combinations is not null)
        {
            foreach (var (ruleIndex, occurrences) in combinations)
            {
                if (FindCombination(_rules[ruleIndex], occurrences) is var (start, end))
                {
                    work.Add(new WorkingHit(ruleIndex, start, end, HitKind.Combination, _rules[ruleIndex].Weight));
                }
            }
        }

        ApplyExceptions(work);

        var hits = new Hit[work.Count];
        for (var i = 0; i < work.Count; i++)
        {
            var w = work[i];
            var rule = _rules[w.Rule];
            hits[i] = new Hit(rule.Category, rule.Phrase, rule.Weight, w.Effective, rule.Severity, w.Start, w.End - w.Start, text[w.Start..w.End], w.Kind, rule);
        }

        Array.Sort(hits, static (a, b) =>
        {
            var c = a.Start.CompareTo(b.Start);
            return c != 0 ? c : a.End.CompareTo(b.End);
        });

        return new ScanResult(hits, ScoresOf(hits));
    }

    /// <summary>
    /// Per-category scores: the effective weights of phrase and combination hits summed, the highest severity among the
    /// hits that still count, highest score first. Shared with <see cref="ExceptionOverlay"/>, which re-scores after a
    /// school's own exceptions, so both sum alike.
    /// </summary>
    internal static CategoryScore[] ScoresOf(IEnumerable<Hit> hits)
    {
        var scores = new Dictionary<string, (int Score, int Count, Severity? Max)>(StringComparer.Ordinal);
        foreach (var hit in hits)
        {
            if (hit.Kind == HitKind.Exception)
            {
                continue;
            }

            scores.TryGetValue(hit.Category, out var s);
            var max = hit.EffectiveWeight > 0 && (s.Max is null || hit.Severity > s.Max) ? hit.Severity : s.Max;
            scores[hit.Category] = (s.Score + hit.EffectiveWeight, s.Count + 1, max);
        }

        return scores.Select(p => new CategoryScore(p.Key, p.Value.Score, p.Value.Count, p.Value.Max))
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Category, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// Smallest window (in words) holding at least one occurrence of every term: occurrences
    /// sorted by word, then a two-pointer sweep that keeps per-term counts. Returns the original
    /// span from the window's first to last occurrence, or null when no window is small enough.
    /// </summary>
    private static (int Start, int End)? FindCombination(PhraseRule rule, List<RawMatch> occurrences)
    {
        var termCount = rule.Terms.Count;
        occurrences.Sort(static (a, b) => a.Word != b.Word ? a.Word.CompareTo(b.Word) : a.OriginalStart.CompareTo(b.OriginalStart));
        Span<int> counts = stackalloc int[termCount];
        var covered = 0;
        var lo = 0;
        var best = int.MaxValue;
        (int Lo, int Hi) bestRange = default;
        for (var hi = 0; hi < occurrences.Count; hi++)
        {
            if (counts[occurrences[hi].Term]++ == 0)
            {
                covered++;
            }

            while (covered == termCount)
            {
                var width = occurrences[hi].Word - occurrences[lo].Word;
                if (width < best)
                {
                    best = width;
                    bestRange = (lo, hi);
                }

                if (--counts[occurrences[lo].Term] == 0)
                {
                    covered--;
                }

                lo++;
            }
        }

        if (best == int.MaxValue || (rule.Window > 0 && best >= rule.Window))
        {
            return null;
        }

        var start = int.MaxValue;
        var end = 0;
        for (var i = bestRange.Lo; i <= bestRange.Hi; i++)
        {
            start = Math.Min(start, occurrences[i].OriginalStart);
            end = Math.Max(end, occurrences[i].OriginalEnd);
        }

        return (start, end);
    }

    /// <summary>
    /// Each exception takes up to its weight away from the positive hits it overlaps (same
    /// category, or any for <c>*</c>), in order. It cannot cancel hits elsewhere in the text, so
    /// "kill time" in one sentence never hides "kill myself" in the next.
    /// </summary>
    private void ApplyExceptions(List<WorkingHit> work)
    {
        for (var e = 0; e < work.Count; e++)
        {
            var exception = work[e];
            if (exception.Kind != HitKind.Exception)
            {
                continue;
            }

            var category = _rules[exception.Rule].Category;
            var any = string.Equals(category, MonitoringCategories.AnyCategory, StringComparison.Ordinal);
            var budget = -_rules[exception.Rule].Weight;
            var taken = 0;
            for (var h = 0; h < work.Count && budget > 0; h++)
            {
                var hit = work[h];
                if (hit.Kind == HitKind.Exception || hit.Effective <= 0 || hit.Start >= exception.End || exception.Start >= hit.End)
                {
                    continue;
                }

                if (!any && !string.Equals(_rules[hit.Rule].Category, category, StringComparison.Ordinal))
                {
                    continue;
                }

                var take = Math.Min(budget, hit.Effective);
                work[h] = hit with { Effective = hit.Effective - take };
                budget -= take;
                taken += take;
            }

            work[e] = exception with { Effective = -taken };
        }
    }

    private readonly record struct Pattern(int Rule, int Term, int Length, bool WholeWordStart, bool WholeWordEnd, byte[]? Runs, VariantKind Kind = VariantKind.Exact);

    private readonly record struct RawMatch(int Rule, int Term, int Start, int End, int Word, int OriginalStart, int OriginalEnd);

    private readonly record struct WorkingHit(int Rule, int Start, int End, HitKind Kind, int Effective);

    /// <summary>Checks candidates on normalised text: boundaries (real or soft) and run lengths.</summary>
    private struct NormalisedSink(Pattern[] patterns, NormaliserWorkspace ws, List<RawMatch>? matches) : IMatchSink
    {
        private int _wordCursor;
        private int _words;

        public int Count { get; private set; }

        /// <summary>Where the scanned span starts in the workspace (the mask pass scans a window).</summary>
        public int Offset { get; init; }

        /// <summary>When not negative, a match must cover positions <see cref="CoverFrom"/>..<see cref="CoverTo"/> (the masks of a word).</summary>
        public int CoverFrom { get; init; } = -1;

        public int CoverTo { get; init; }

        public void OnMatch(int end, int patternId)
        {
            var p = patterns[patternId];
            end += Offset;
            var start = end - p.Length;
            // The mask pass takes no edited variants: a mask plus a misspelling is two evasions,
            // and together they complete too much ("p**s" would read as a dropped-letter "pakis").
            if (CoverFrom >= 0 && (start > CoverFrom || end <= CoverTo || p.Kind == VariantKind.Edited))
            {
                return;
            }

            var chars = ws.Chars;
            if (p.WholeWordStart && start > 0 && chars[start - 1] != ' ' && !ws.Soft[start])
            {
                return;
            }

            if (p.WholeWordEnd && end < ws.Length && chars[end] != ' ' && !ws.Soft[end])
            {
                return;
            }

            // A text run must equal the phrase's run or be a clear stretch (three or more): a
            // doubled letter is usually a different word (looser/loser, beet/bet), not an evasion.
            var textRuns = ws.Runs;
            var runs = p.Runs;
            for (var k = 0; k < p.Length; k++)
            {
                var want = runs is null ? 1 : runs[k];
                var have = textRuns[start + k];
                if (have != want && have < Math.Max(MinStretch, want))
                {
                    return;
                }
            }

            Count++;
            if (matches is null)
            {
                return;
            }

            // Ends arrive in order, so the word count advances incrementally.
            for (; _wordCursor < end; _wordCursor++)
            {
                if (chars[_wordCursor] == ' ')
                {
                    _words++;
                }
            }

            matches.Add(new RawMatch(p.Rule, p.Term, start, end, _words, start, end));
        }
    }

    /// <summary>
    /// The mask pass's merged window (<see cref="ScanMerged"/>): the scanned copy lacks slot
    /// <c>skip</c> of the workspace, and slot <c>into</c> (beside it) stands for one letter more.
    /// Positions are mapped back to the workspace; a match must cover <c>into</c>, and its span is
    /// widened over the skipped mask so the original text it points at includes the star.
    /// </summary>
    private struct MergedMaskSink(Pattern[] patterns, NormaliserWorkspace ws, List<RawMatch>? matches, int from, int skip, int into) : IMatchSink
    {
        private int _wordCursor;
        private int _words;

        public int Count { get; private set; }

        public void OnMatch(int end, int patternId)
        {
            var p = patterns[patternId];
            var copyStart = end - p.Length;
            var start = Map(copyStart);
            var last = Map(end - 1);
            if (start > into || last < into || p.Kind == VariantKind.Edited)
            {
                return;
            }

            var chars = ws.Chars;
            var before = start - 1 == skip ? start - 2 : start - 1;
            if (p.WholeWordStart && before >= 0 && chars[before] != ' ' && !ws.Soft[start])
            {
                return;
            }

            var after = last + 1 == skip ? last + 2 : last + 1;
            if (p.WholeWordEnd && after < ws.Length && chars[after] != ' ' && !ws.Soft[after])
            {
                return;
            }

            var runs = p.Runs;
            for (var k = 0; k < p.Length; k++)
            {
                var slot = Map(copyStart + k);
                var want = runs is null ? 1 : runs[k];
                var have = ws.Runs[slot] + (slot == into ? 1 : 0);
                if (have != want && have < Math.Max(MinStretch, want))
                {
                    return;
                }
            }

            Count++;
            if (matches is null)
            {
                return;
            }

            var spanStart = Math.Min(start, skip);
            var spanEnd = Math.Max(last + 1, skip + 1);
            for (; _wordCursor < spanEnd; _wordCursor++)
            {
                if (chars[_wordCursor] == ' ')
                {
                    _words++;
                }
            }

            matches.Add(new RawMatch(p.Rule, p.Term, spanStart, spanEnd, _words, spanStart, spanEnd));
        }

        private readonly int Map(int copyIndex) => from + copyIndex + (from + copyIndex >= skip ? 1 : 0);
    }

    /// <summary>Checks candidates on the original text: word boundaries by letter-or-digit.</summary>
    private ref struct RawSink(Pattern[] patterns, ReadOnlySpan<char> text, List<RawMatch>? matches) : IMatchSink
    {
        private readonly ReadOnlySpan<char> _text = text;
        private int _wordCursor;
        private int _words;

        public int Count { get; private set; }

        public void OnMatch(int end, int patternId)
        {
            var p = patterns[patternId];
            var start = end - p.Length;
            if (p.WholeWordStart && start > 0 && char.IsLetterOrDigit(_text[start - 1]))
            {
                return;
            }

            if (p.WholeWordEnd && end < _text.Length && char.IsLetterOrDigit(_text[end]))
            {
                return;
            }

            Count++;
            if (matches is null)
            {
                return;
            }

            for (; _wordCursor < end; _wordCursor++)
            {
                if (char.IsWhiteSpace(_text[_wordCursor]))
                {
                    _words++;
                }
            }

            matches.Add(new RawMatch(p.Rule, p.Term, start, end, _words, start, end));
        }
    }
}
