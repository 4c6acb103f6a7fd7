using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Brightline.Monitoring;

/// <summary>What an e2guardian import read: the library, and counts for the report a school sees when it migrates.</summary>
/// <param name="Library">The imported rules and every problem found (file and line).</param>
/// <param name="FilesRead">Files read, including ones reached through <c>.Include</c>.</param>
/// <param name="PhraseCounts">Rules imported per Brightline category.</param>
/// <param name="SkippedLines">Lines skipped as malformed.</param>
/// <param name="RefusedPhrases">Phrases refused by the guards (too short, or matching inside many dictionary words), each reported as a warning with file and line.</param>
public sealed record E2GuardianImportResult(PhraseLibrary Library, int FilesRead, IReadOnlyDictionary<string, int> PhraseCounts, int SkippedLines, int RefusedPhrases = 0);

/// <summary>
/// Imports e2guardian (and DansGuardian) weighted phrase lists so a school can migrate. Reads
/// <c>&lt;phrase&gt;&lt;weight&gt;</c>, combinations <c>&lt;a&gt;,&lt;b&gt;&lt;weight&gt;</c>, negative weights
/// (exceptions), banned and exception lists (no weight), <c>.Include&lt;path&gt;</c>, comments and
/// <c>#listcategory:</c>. Never throws on content: every bad line becomes a diagnostic with file
/// and line number. Files that are not valid UTF-8 are read as the legacy code page their folder
/// names (<c>russian-1251</c>, <c>russian-koi8-r</c>, <c>chinesebig5</c>, <c>chinesegb2312</c>,
/// <c>japanese</c>), otherwise as ISO-8859-1, which is what most of the lists are.
/// </summary>
public static class E2GuardianImporter
{
    private const int MaxIncludeDepth = 16;
    private const int BannedWeight = 200;
    private const int ExceptionWeight = -200;

    /// <summary>
    /// e2guardian list folders (and <c>#listcategory</c> names, lower-cased, without a language
    /// suffix) → Brightline categories. Anything not here maps to <see cref="MonitoringCategories.Other"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> CategoryMap { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["pornography"] = MonitoringCategories.SexualContent,
        ["porn"] = MonitoringCategories.SexualContent,
        ["pornografia"] = MonitoringCategories.SexualContent,
        ["adult"] = MonitoringCategories.SexualContent,
        ["nudism"] = MonitoringCategories.SexualContent,
        ["personals"] = MonitoringCategories.Grooming,
        ["badwords"] = MonitoringCategories.Profanity,
        ["bad words"] = MonitoringCategories.Profanity,
        ["violence"] = MonitoringCategories.Violence,
        ["gore"] = MonitoringCategories.Violence,
        ["weapons"] = MonitoringCategories.Violence,
        ["illegaldrugs"] = MonitoringCategories.Drugs,
        ["illegal drugs"] = MonitoringCategories.Drugs,
        ["drugadvocacy"] = MonitoringCategories.Drugs,
        ["drug advocacy"] = MonitoringCategories.Drugs,
        ["legaldrugs"] = MonitoringCategories.Drugs,
        ["legal drugs"] = MonitoringCategories.Drugs,
        ["gambling"] = MonitoringCategories.Gambling,
        ["intolerance"] = MonitoringCategories.Hate,
        ["conspiracy"] = MonitoringCategories.Extremism,
        ["goodphrases"] = MonitoringCategories.AnyCategory,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> s_languageFolders = new[]
    {
        "chinesebig5", "chinesegb2312", "danish", "dutch", "french", "german", "italian", "japanese", "malay",
        "norwegian", "polish", "portuguese", "russian-1251", "russian-koi8-r", "spanish", "swedish", "ukenglish",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly UTF8Encoding s_strictUtf8 = new(false, throwOnInvalidBytes: true);

    static E2GuardianImporter() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>
    /// Imports every list file under <paramref name="root"/> (e.g. <c>/etc/e2guardian/lists/phraselists</c>):
    /// files named <c>weighted*</c>, <c>banned*</c> and <c>exception*</c>. The category comes from
    /// the folder (<see cref="CategoryMap"/>); the language from a language folder or a
    /// <c>_language</c> file suffix.
    /// </summary>
    public static E2GuardianImportResult ImportTree(string root)
    {
        var state = new ImportState();
        string[] files;
        try
        {
            files = Directory.GetFiles(root, "*", SearchOption.AllDirectories);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            state.Diagnostics.Add(new LibraryDiagnostic(root, 0, "Cannot list the folder: " + ex.Message));
            return state.ToResult();
        }

        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            if (!name.StartsWith("weighted", StringComparison.Ordinal) && !name.StartsWith("banned", StringComparison.Ordinal) && !name.StartsWith("exception", StringComparison.Ordinal))
            {
                continue;
            }

            var (category, language) = Classify(Path.GetRelativePath(root, file));
            ImportFileInto(state, file, category, language, 0);
        }

        return state.ToResult();
    }

    /// <summary>Imports one list file (and what it includes). <paramref name="category"/> overrides the folder-derived category.</summary>
    public static E2GuardianImportResult ImportFile(string path, string? category = null)
    {
        var state = new ImportState();
        var (folderCategory, language) = Classify(Path.GetFileName(Path.GetDirectoryName(path) ?? string.Empty) + "/" + Path.GetFileName(path));
        ImportFileInto(state, path, category ?? folderCategory, language, 0);
        return state.ToResult();
    }

    /// <summary>
    /// Parses list text already in memory. <paramref name="kind"/> is the file name's stem
    /// (<c>weighted</c>, <c>banned</c>, <c>exception</c>): banned phrases get a weight of 200,
    /// exception phrases -200. <c>.Include</c> lines are resolved relative to the file system.
    /// </summary>
    public static E2GuardianImportResult Parse(string text, string source, string category, string kind = "weighted", string language = "en")
    {
        ArgumentNullException.ThrowIfNull(text);
        var state = new ImportState();
        ParseInto(state, text, source, category, language, kind, 0);
        return state.ToResult();
    }

    /// <summary>Maps a path relative to the phraselists folder to (category, language).</summary>
    internal static (string Category, string Language) Classify(string relativePath)
    {
        var parts = relativePath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var language = "en";
        var folder = parts.Length > 1 ? parts[0] : string.Empty;
        if (parts.Length > 2 && s_languageFolders.Contains(parts[0]))
        {
            language = LanguageTag(parts[0]);
            folder = parts[1];
        }

        var file = parts.Length > 0 ? parts[^1] : string.Empty;
        var underscore = file.IndexOf('_', StringComparison.Ordinal);
        if (underscore > 0)
        {
            var suffix = file[(underscore + 1)..];
            if (suffix.StartsWith("general_", StringComparison.Ordinal))
            {
                suffix = suffix["general_".Length..];
            }

            if (suffix is not ("general" or "news" or "email"))
            {
                language = LanguageTag(suffix);
            }
        }

        var category = CategoryMap.TryGetValue(folder, out var mapped) ? mapped : MonitoringCategories.Other;
        return (category, language);
    }

    private static string LanguageTag(string name) => name switch
    {
        "danish" => "da",
        "dutch" => "nl",
        "french" => "fr",
        "german" => "de",
        "italian" => "it",
        "japanese" => "ja",
        "malay" => "ms",
        "norwegian" => "no",
        "polish" => "pl",
        "portuguese" => "pt",
        "spanish" => "es",
        "swedish" => "sv",
        "chinese" or "chinesebig5" or "chinesegb2312" => "zh",
        "russian" or "russian_utf8" or "russian-1251" or "russian-koi8-r" => "ru",
        "ukenglish" => "en-GB",
        _ => name.Length is > 0 and <= 16 ? name : "und",
    };

    private static void ImportFileInto(ImportState state, string path, string category, string language, int depth)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            state.Diagnostics.Add(new LibraryDiagnostic(path, 0, "Bad path: " + ex.Message));
            return;
        }

        if (!state.Visited.Add(full))
        {
            return; // already read (two includes of one file, or an include cycle)
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            state.Diagnostics.Add(new LibraryDiagnostic(path, 0, "Cannot read the file: " + ex.Message));
            return;
        }

        state.FilesRead++;
        var name = Path.GetFileName(full);
        var kind = name.StartsWith("banned", StringComparison.Ordinal) ? "banned" : name.StartsWith("exception", StringComparison.Ordinal) ? "exception" : "weighted";
        ParseInto(state, Decode(state, bytes, full), full, category, language, kind, depth);
    }

    /// <summary>
    /// Decodes a list file. A file that is valid UTF-8 is UTF-8. Otherwise each line is decoded on
    /// its own: a line that is plain ASCII or valid UTF-8 stays so, and any other line is tried with
    /// a strict decoder for each code page the folder allows (<see cref="CandidateCodePages"/>).
    /// Why per line: e2guardian compares raw bytes, so list authors write a phrase once per encoding
    /// a page might use — the Japanese lists say "all phrases are in UTF-8, EUC-JP and SHIFT_JIS"
    /// and mix the three, line by line. Decoding the whole file with one code page (EUC-JP, as
    /// before) turned the Shift-JIS lines into garbage that normalised to a single letter and
    /// matched inside every word. When two strict decoders both accept a line (short Japanese
    /// strings often decode as both Shift-JIS and EUC-JP), the reading with fewer half-width
    /// katakana wins: a wrong Shift-JIS reading of EUC-JP bytes is mostly half-width katakana,
    /// which real phrases almost never use. A line no candidate accepts is read leniently with the
    /// first one and reported as a warning.
    /// </summary>
    private static string Decode(ImportState state, byte[] bytes, string path)
    {
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Legacy list: decode per line below.
        }

        var candidates = CandidateCodePages(path);
        var text = new StringBuilder(bytes.Length);
        var lineNumber = 0;
        var start = 0;
        while (start <= bytes.Length)
        {
            var newline = Array.IndexOf(bytes, (byte)'\n', start);
            var end = newline < 0 ? bytes.Length : newline;
            lineNumber++;
            text.Append(DecodeLine(state, bytes.AsSpan(start, end - start), candidates, path, lineNumber)).Append('\n');
            start = end + 1;
        }

        return text.ToString();
    }

    private static string DecodeLine(ImportState state, ReadOnlySpan<byte> line, Encoding[] candidates, string path, int lineNumber)
    {
        if (System.Text.Ascii.IsValid(line))
        {
            return System.Text.Encoding.ASCII.GetString(line);
        }

        if (System.Text.Unicode.Utf8.IsValid(line))
        {
            return Encoding.UTF8.GetString(line);
        }

        string? best = null;
        var bestPenalty = int.MaxValue;
        foreach (var encoding in candidates)
        {
            string decoded;
            try
            {
                decoded = encoding.GetString(line);
            }
            catch (DecoderFallbackException)
            {
                continue;
            }

            var penalty = 0;
            foreach (var c in decoded)
            {
                if (c is (>= '\uFF61' and <= '\uFF9F') or (>= '\uE000' and <= '\uF8FF'))
                {
                    penalty++; // half-width katakana or Windows-31J's private-use area: the tell of a wrong multi-byte reading
                }
            }

            if (penalty < bestPenalty)
            {
                best = decoded;
                bestPenalty = penalty;
            }
        }

        if (best is not null && (bestPenalty == 0 || candidates.Length == 1))
        {
            return best;
        }

        if (best is not null)
        {
            // Only a reading full of half-width katakana or private-use characters exists: a
            // truncated or garbled phrase (the Japanese list has one: half of "オナニー" in
            // EUC-JP). Importing it would add a phrase of nonsense, so the line is dropped.
            state.Error(path, lineNumber, "The line decodes only to half-width katakana or private-use characters (a garbled or truncated phrase); skipped.", isError: false);
            return string.Empty;
        }

        state.Error(path, lineNumber, $"The line is not valid in any encoding expected here ({string.Join(", ", candidates.Select(e => e.WebName))}); it was read with replacement characters.", isError: false);
        return Encoding.GetEncoding(candidates[0].CodePage).GetString(line);
    }

    /// <summary>
    /// The code pages a legacy (non-UTF-8) list may use, by what its path names, each with a strict
    /// (throwing) decoder. Japanese lists mix Shift-JIS (as Windows-31J, code page 932, its common
    /// superset) and EUC-JP; Russian lists are KOI8-R or Windows-1251; Chinese ones Big5 or GB2312;
    /// everything else ISO-8859-1, which accepts any byte.
    /// </summary>
    internal static Encoding[] CandidateCodePages(string path)
    {
        int[] pages = path.Contains("koi8", StringComparison.Ordinal) ? [20866]
            : path.Contains("1251", StringComparison.Ordinal) || path.Contains("russian", StringComparison.Ordinal) ? [1251]
            : path.Contains("big5", StringComparison.Ordinal) ? [950]
            : path.Contains("gb2312", StringComparison.Ordinal) || path.Contains("chinese", StringComparison.Ordinal) ? [936]
            : path.Contains("japanese", StringComparison.Ordinal) ? [932, 51932, 20932]
            : [28591];
        var encodings = new List<Encoding>(pages.Length);
        foreach (var page in pages)
        {
            try
            {
                encodings.Add(Encoding.GetEncoding(page, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback));
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                // Not available on this platform: try the next candidate.
            }
        }

        return encodings.Count > 0 ? [.. encodings] : [Encoding.Latin1];
    }

    private static void ParseInto(ImportState state, string text, string source, string category, string language, string kind, int depth)
    {
        var lineNumber = 0;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = rawLine.Trim().TrimStart('\uFEFF');
            if (line.IsEmpty)
            {
                continue;
            }

            if (line[0] == '#')
            {
                // "#listcategory:" only names the list for e2guardian's logs; the folder decides our category.
                continue;
            }

            if (line.StartsWith(".Include<", StringComparison.OrdinalIgnoreCase))
            {
                var close = line.IndexOf('>');
                if (close < 0)
                {
                    state.Error(source, lineNumber, "'.Include<' without a closing '>'.");
                    continue;
                }

                if (depth >= MaxIncludeDepth)
                {
                    state.Error(source, lineNumber, "Includes nested too deeply (more than 16).");
                    continue;
                }

                var target = line[".Include<".Length..close].Trim().ToString();
                if (!Path.IsPathRooted(target))
                {
                    target = Path.Combine(Path.GetDirectoryName(source) ?? ".", target);
                }

                if (!File.Exists(target))
                {
                    state.Error(source, lineNumber, $"The included file '{target}' does not exist.");
                    continue;
                }

                var (includedCategory, includedLanguage) = Classify(Path.GetFileName(Path.GetDirectoryName(target) ?? string.Empty) + "/" + Path.GetFileName(target));
                ImportFileInto(state, target, includedCategory == MonitoringCategories.Other ? category : includedCategory, includedLanguage, depth + 1);
                continue;
            }

            ParsePhraseLine(state, line, source, lineNumber, category, language, kind);
        }
    }

    /// <summary>
    /// Reads <c>&lt;t1&gt;,&lt;t2&gt;…&lt;weight&gt;</c>. Inside a term a leading or trailing space means
    /// "at a word boundary" (e2guardian's convention); without spaces the term matches inside
    /// words. Anything after the last <c>&gt;</c> must be empty or a <c>#</c> comment.
    /// </summary>
    private static void ParsePhraseLine(ImportState state, ReadOnlySpan<char> line, string source, int lineNumber, string category, string language, string kind)
    {
        var groups = new List<string>(4);
        var pos = 0;
        while (pos < line.Length)
        {
            var c = line[pos];
            if (c == '<')
            {
                var close = line[(pos + 1)..].IndexOf('>');
                if (close < 0)
                {
                    state.Error(source, lineNumber, "A '<' without a closing '>'.");
                    return;
                }

                groups.Add(line.Slice(pos + 1, close).ToString());
                pos += close + 2;
            }
            else if (c is ',' or ' ' or '\t')
            {
                pos++;
            }
            else if (c == '#')
            {
                break;
            }
            else
            {
                state.Error(source, lineNumber, $"Unexpected '{c}' outside '<…>'.");
                return;
            }
        }

        if (groups.Count == 0)
        {
            state.Error(source, lineNumber, "No '<phrase>' on the line.");
            return;
        }

        int weight;
        if (string.Equals(kind, "weighted", StringComparison.Ordinal))
        {
            if (groups.Count < 2 || !int.TryParse(groups[^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out weight))
            {
                state.Error(source, lineNumber, "A weighted phrase needs a '<number>' weight at the end.");
                return;
            }

            groups.RemoveAt(groups.Count - 1);
            if (weight == 0)
            {
                return; // weight 0 is e2guardian's way of disabling a phrase
            }

            weight = Math.Clamp(weight, -1000, 1000);
        }
        else
        {
            weight = string.Equals(kind, "exception", StringComparison.Ordinal) ? ExceptionWeight : BannedWeight;
        }

        var terms = new List<PhraseTerm>(groups.Count);
        foreach (var group in groups)
        {
            var trimmed = group.Trim();
            if (trimmed.Length == 0 || TextNormaliser.Normalise(trimmed).Collapsed.Length == 0)
            {
                state.Error(source, lineNumber, $"The phrase '<{group}>' has no letters or digits to match.");
                return;
            }

            // A term that starts or ends with a literal separator (`_arse_`, `-porn`) is bounded
            // there in e2guardian, which compares bytes; our normaliser turns that separator into
            // a word boundary, so the faithful translation is "whole word at that end" — else
            // `_arse_` would match inside "parse" and "coarse".
            terms.Add(new PhraseTerm(trimmed, group[0] == ' ' || IsLiteralBoundary(trimmed[0]), group[^1] == ' ' || IsLiteralBoundary(trimmed[^1])));
        }

        if (terms.Count > 1 && weight < 0)
        {
            // Our exceptions cancel the hits they overlap, which a spread-out combination cannot define.
            state.Error(source, lineNumber, "A combination with a negative weight cannot be imported.", isError: false);
            return;
        }

        if (terms.Count > 8)
        {
            state.Error(source, lineNumber, "A combination may have at most 8 terms.");
            return;
        }

        if (weight > 0 && string.Equals(category, MonitoringCategories.AnyCategory, StringComparison.Ordinal))
        {
            category = MonitoringCategories.Other;
        }

        if (weight > 0 && RefusalReason(terms) is { } reason)
        {
            state.Refused++;
            state.Error(source, lineNumber, "Refused: " + reason, isError: false);
            return;
        }

        var severity = weight >= 100 ? Severity.High : weight >= 50 ? Severity.Medium : Severity.Low;
        var rule = new PhraseRule(category, terms, weight, severity, 0, language, $"{source}:{lineNumber}");

        // The same phrase twice in one file is one phrase written in several encodings (see Decode):
        // e2guardian reads a page in one encoding, so it scores once. Keep the larger weight.
        var key = string.Join('\u0001', source, category, language, weight < 0 ? "-" : "+", rule.Phrase);
        if (state.Seen.TryGetValue(key, out var index))
        {
            if (Math.Abs(weight) > Math.Abs(state.Rules[index].Weight))
            {
                state.Rules[index] = rule;
            }

            return;
        }

        state.Seen[key] = state.Rules.Count;
        state.Rules.Add(rule);
    }

    /// <summary>
    /// The import guards (issue 16): why a positive phrase would flag ordinary text, or null.
    /// (1) A term that normalises to fewer than three letters (a CJK ideograph or kana counts as
    /// two: one carries about a syllable) matches almost anything — this is what garbled decodes
    /// produce. (2) A term that may match inside words (no <c>&lt; &gt;</c> space at an end) and
    /// occurs, with its word-boundary ends respected, inside more than
    /// <see cref="MaxDictionaryShare"/> of a fixed sample of dictionary words. Exceptions are not
    /// guarded: they can only lower scores.
    /// </summary>
    internal static string? RefusalReason(IReadOnlyList<PhraseTerm> terms)
    {
        foreach (var term in terms)
        {
            var normalised = TextNormaliser.Normalise(term.Text).Text;
            var letters = 0;
            foreach (var c in normalised)
            {
                letters += c == '\uE001' || char.IsLetter(c) ? (IsIdeographicOrKana(c) ? 2 : 1) : 0;
            }

            if (letters < 3)
            {
                return $"'{term}' normalises to '{normalised}', fewer than three letters; it would match almost any text.";
            }

            if (term.WholeWord)
            {
                continue;
            }

            var sample = DictionarySample.Value;
            if (sample.Length == 0)
            {
                continue;
            }

            var inside = 0;
            foreach (var word in sample)
            {
                var found = term.WholeWordStart ? word.StartsWith(normalised, StringComparison.Ordinal)
                    : term.WholeWordEnd ? word.EndsWith(normalised, StringComparison.Ordinal)
                    : word.Contains(normalised, StringComparison.Ordinal);
                inside += found && word.Length > normalised.Length ? 1 : 0;
            }

            if (inside > sample.Length * MaxDictionaryShare)
            {
                return $"'{term}' matches inside {inside} of {sample.Length} sample dictionary words (more than {MaxDictionaryShare:P1}); it would flag ordinary text.";
            }
        }

        return null;
    }

    /// <summary>The share of sample dictionary words a part-word phrase may occur inside before it is refused.</summary>
    internal const double MaxDictionaryShare = 0.0025;

    private static bool IsLiteralBoundary(char c) => c is '_' or '-' or '.' or '/' or '=' or '?' or '&' or ',' or ':' or ';' or '"' or '\'';

    private static bool IsIdeographicOrKana(char c) =>
        c is (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF') or (>= '\uAC00' and <= '\uD7AF');

    /// <summary>
    /// Every 50th word of Debian's British English list (about 2,000 words), normalised like the
    /// text: enough to tell "matches inside most words" from "matches inside a few", cheap enough
    /// to check every part-word phrase of e2guardian's tree in well under a second. Empty (the
    /// second guard is off) when the word list is not installed.
    /// </summary>
    private static readonly Lazy<string[]> DictionarySample = new(() =>
    {
        foreach (var path in (string[])["/usr/share/dict/british-english", "/usr/share/dict/words"])
        {
            try
            {
                if (File.Exists(path))
                {
                    return File.ReadLines(path).Where((_, i) => i % 50 == 0).Select(w => TextNormaliser.Normalise(w).Text).Where(w => w.Length > 0).ToArray();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // No sample: only the length guard applies.
            }
        }

        return [];
    });

    private sealed class ImportState
    {
        public List<PhraseRule> Rules { get; } = [];

        public List<LibraryDiagnostic> Diagnostics { get; } = [];

        public HashSet<string> Visited { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Seen { get; } = new(StringComparer.Ordinal);

        public int Refused { get; set; }

        public int FilesRead { get; set; }

        public void Error(string source, int line, string message, bool isError = true) =>
            Diagnostics.Add(new LibraryDiagnostic(source, line, message, isError));

        public E2GuardianImportResult ToResult()
        {
            var counts = Rules.GroupBy(r => r.Category, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            return new E2GuardianImportResult(new PhraseLibrary(Rules, Diagnostics), FilesRead, counts, Diagnostics.Count(d => d.IsError), Refused);
        }
    }
}
