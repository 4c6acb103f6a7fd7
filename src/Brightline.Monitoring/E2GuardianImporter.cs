using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Brightline.Monitoring;

/// <summary>What an e2guardian import read: the library, and counts for the report a school sees when it migrates.</summary>
/// <param name="Library">The imported rules and every problem found (file and line).</param>
/// <param name="FilesRead">Files read, including ones reached through <c>.Include</c>.</param>
/// <param name="PhraseCounts">Rules imported per Brightline category.</param>
/// <param name="SkippedLines">Lines skipped as malformed.</param>
public sealed record E2GuardianImportResult(PhraseLibrary Library, int FilesRead, IReadOnlyDictionary<string, int> PhraseCounts, int SkippedLines);

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
        ParseInto(state, Decode(bytes, full), full, category, language, kind, depth);
    }

    private static string Decode(byte[] bytes, string path)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Legacy lists: the folder says which code page; most others are ISO-8859-1.
        }

        var codePage = path.Contains("koi8", StringComparison.Ordinal) ? 20866
            : path.Contains("1251", StringComparison.Ordinal) || path.Contains("russian", StringComparison.Ordinal) ? 1251
            : path.Contains("big5", StringComparison.Ordinal) ? 950
            : path.Contains("gb2312", StringComparison.Ordinal) || path.Contains("chinese", StringComparison.Ordinal) ? 936
            : path.Contains("japanese", StringComparison.Ordinal) ? 20932
            : 28591;
        try
        {
            return Encoding.GetEncoding(codePage).GetString(bytes);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
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

            terms.Add(new PhraseTerm(trimmed, group.Length > 0 && group[0] == ' ', group.Length > 0 && group[^1] == ' '));
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

        var severity = weight >= 100 ? Severity.High : weight >= 50 ? Severity.Medium : Severity.Low;
        state.Rules.Add(new PhraseRule(category, terms, weight, severity, 0, language, $"{source}:{lineNumber}"));
    }

    private sealed class ImportState
    {
        public List<PhraseRule> Rules { get; } = [];

        public List<LibraryDiagnostic> Diagnostics { get; } = [];

        public HashSet<string> Visited { get; } = new(StringComparer.Ordinal);

        public int FilesRead { get; set; }

        public void Error(string source, int line, string message, bool isError = true) =>
            Diagnostics.Add(new LibraryDiagnostic(source, line, message, isError));

        public E2GuardianImportResult ToResult()
        {
            var counts = Rules.GroupBy(r => r.Category, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            return new E2GuardianImportResult(new PhraseLibrary(Rules, Diagnostics), FilesRead, counts, Diagnostics.Count(d => d.IsError));
        }
    }
}
