using System.Globalization;
using System.Reflection;
using System.Text;

namespace Brightline.Monitoring;

/// <summary>
/// An immutable set of phrase rules with the problems found while loading them. Loading never
/// throws on bad content: bad lines are skipped and reported in <see cref="Diagnostics"/> with
/// file and line; call <see cref="ThrowIfErrors"/> for a strict load.
/// </summary>
public sealed class PhraseLibrary
{
    private const string ResourcePrefix = "Brightline.Monitoring.Libraries.";

    /// <summary>Creates a library from rules (and any diagnostics gathered while reading them).</summary>
    public PhraseLibrary(IEnumerable<PhraseRule> rules, IEnumerable<LibraryDiagnostic>? diagnostics = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = rules.ToArray();
        Diagnostics = diagnostics?.ToArray() ?? [];
    }

    /// <summary>A library with no rules.</summary>
    public static PhraseLibrary Empty { get; } = new([]);

    /// <summary>The rules, in load order.</summary>
    public IReadOnlyList<PhraseRule> Rules { get; }

    /// <summary>Problems found while loading, in file and line order.</summary>
    public IReadOnlyList<LibraryDiagnostic> Diagnostics { get; }

    /// <summary>Whether any line was skipped.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>The distinct category ids used, in first-use order.</summary>
    public IReadOnlyList<string> Categories => Rules.Select(r => r.Category).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Names of the libraries shipped in this assembly, as <c>language/category</c>
    /// (e.g. <c>en/self-harm</c>, <c>cy/self-harm</c>).
    /// </summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = typeof(PhraseLibrary).Assembly
        .GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".txt", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^4])
        .Where(n => n.Contains('.', StringComparison.Ordinal)) // language.category; textspeak.txt and morphology.txt are form rules (PhraseForms)
        .Select(n => n.IndexOf('.', StringComparison.Ordinal) is var dot and > 0 ? string.Concat(n.AsSpan(0, dot), "/", n.AsSpan(dot + 1)) : n)
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>
    /// Loads shipped libraries by name (see <see cref="BuiltInNames"/>); a name without a slash
    /// means every library of that language (<c>en</c>). No names loads all of them.
    /// </summary>
    public static PhraseLibrary BuiltIn(params string[] names)
    {
        var selected = names.Length == 0
            ? BuiltInNames
            : BuiltInNames.Where(n => names.Any(w => string.Equals(n, w, StringComparison.Ordinal) || n.StartsWith(w + "/", StringComparison.Ordinal))).ToArray();
        var unknown = names.Where(w => !BuiltInNames.Any(n => string.Equals(n, w, StringComparison.Ordinal) || n.StartsWith(w + "/", StringComparison.Ordinal))).ToArray();
        var library = new PhraseLibrary([], unknown.Select(u => new LibraryDiagnostic(u, 0, "There is no built-in library of that name.")));
        foreach (var name in selected)
        {
            var resource = ResourcePrefix + name.Replace('/', '.') + ".txt";
            using var stream = typeof(PhraseLibrary).Assembly.GetManifestResourceStream(resource);
            if (stream is null)
            {
                continue;
            }

            using var reader = new StreamReader(stream, Encoding.UTF8);
            library = library.Merge(Parse(reader, name + ".txt"));
        }

        return library;
    }

    /// <summary>Reads a library in Brightline's line format (docs/monitoring-engine.md).</summary>
    public static PhraseLibrary Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Parse(reader, source);
    }

    /// <summary>Reads a library in Brightline's line format (docs/monitoring-engine.md).</summary>
    public static PhraseLibrary Parse(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new LibraryParser(source).Parse(reader);
    }

    /// <summary>Reads a library file (UTF-8). A missing or unreadable file is a diagnostic, not an exception.</summary>
    public static PhraseLibrary LoadFile(string path)
    {
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return Parse(reader, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new PhraseLibrary([], [new LibraryDiagnostic(path, 0, "Cannot read the file: " + ex.Message)]);
        }
    }

    /// <summary>This library's rules followed by <paramref name="other"/>'s.</summary>
    public PhraseLibrary Merge(PhraseLibrary other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new PhraseLibrary(Rules.Concat(other.Rules), Diagnostics.Concat(other.Diagnostics));
    }

    /// <summary>A library with only the rules that satisfy <paramref name="predicate"/>.</summary>
    public PhraseLibrary Where(Func<PhraseRule, bool> predicate) => new(Rules.Where(predicate), Diagnostics);

    /// <summary>Throws <see cref="PhraseLibraryException"/> listing every error, or returns this library.</summary>
    public PhraseLibrary ThrowIfErrors()
    {
        if (HasErrors)
        {
            var errors = Diagnostics.Where(d => d.IsError).ToArray();
            ThrowHelper.ThrowLibrary(
                $"The phrase library has {errors.Length} error(s):{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Take(20)),
                errors);
        }

        return this;
    }

    /// <summary>
    /// Line parser for Brightline's own format. One rule per line:
    /// <c>phrase [| weight [| severity [| flags]]]</c>, with <c>@category</c>, <c>@language</c>,
    /// <c>@severity</c>, <c>@weight</c> and <c>@window</c> directives setting defaults for the
    /// lines that follow, and <c>#</c> comment lines.
    /// </summary>
    private sealed class LibraryParser(string source)
    {
        private readonly List<PhraseRule> _rules = [];
        private readonly List<LibraryDiagnostic> _diagnostics = [];
        private string? _category;
        private string _language = "en";
        private Severity _severity = Severity.Medium;
        private int _weight = 10;
        private int _window = 10;

        public PhraseLibrary Parse(TextReader reader)
        {
            var lineNumber = 0;
            string? line;
            try
            {
                while ((line = reader.ReadLine()) is not null)
                {
                    lineNumber++;
                    ParseLine(line.AsSpan().Trim().TrimStart('\uFEFF'), lineNumber);
                }
            }
            catch (Exception ex) when (ex is IOException or DecoderFallbackException)
            {
                Error(lineNumber + 1, "Cannot read further: " + ex.Message);
            }

            return new PhraseLibrary(_rules, _diagnostics);
        }

        private void ParseLine(ReadOnlySpan<char> line, int lineNumber)
        {
            if (line.IsEmpty || line[0] == '#')
            {
                return;
            }

            if (line[0] == '@')
            {
                ParseDirective(line[1..], lineNumber);
                return;
            }

            if (_category is null)
            {
                Error(lineNumber, "A phrase comes before any '@category' line.");
                return;
            }

            // '|' inside '( … )' separates alternatives of a family, not fields.
            Span<Range> fields = stackalloc Range[5];
            var count = SplitFields(line, fields);
            if (count > 4)
            {
                Error(lineNumber, "Too many '|' fields: expected 'phrase | weight | severity | flags'.");
                return;
            }

            var family = line[fields[0]].Trim();
            var weight = _weight;
            var severity = _severity;
            var partial = false;
            if (count > 1 && !line[fields[1]].Trim().IsEmpty && !int.TryParse(line[fields[1]].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out weight))
            {
                Error(lineNumber, $"The weight '{line[fields[1]].Trim()}' is not a whole number.");
                return;
            }

            if (count > 2 && !line[fields[2]].Trim().IsEmpty && !Severities.TryParse(line[fields[2]], out severity))
            {
                Error(lineNumber, $"The severity '{line[fields[2]].Trim()}' is not one of low, medium, high, critical.");
                return;
            }

            if (count > 3)
            {
                var flags = line[fields[3]].Trim();
                if (flags.Equals("part", StringComparison.OrdinalIgnoreCase))
                {
                    partial = true;
                }
                else if (!flags.IsEmpty && !flags.Equals("word", StringComparison.OrdinalIgnoreCase))
                {
                    Error(lineNumber, $"The flag '{flags}' is not 'word' or 'part'.");
                    return;
                }
            }

            if (weight == 0 || weight is < -1000 or > 1000)
            {
                Error(lineNumber, "The weight must be between -1000 and 1000 and not 0.");
                return;
            }

            var phrases = PhraseFamilies.Expand(family, out var familyError);
            if (familyError is not null)
            {
                Error(lineNumber, familyError);
                return;
            }

            foreach (var phrase in phrases)
            {
                AddRule(phrase.AsSpan(), weight, severity, partial, lineNumber);
            }
        }

        /// <summary>Splits a rule line on '|' outside parentheses (inside them '|' separates alternatives).</summary>
        private static int SplitFields(ReadOnlySpan<char> line, Span<Range> fields)
        {
            var count = 0;
            var depth = 0;
            var start = 0;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (c == '(')
                {
                    depth++;
                }
                else if (c == ')')
                {
                    depth = Math.Max(0, depth - 1);
                }
                else if (c == '|' && depth == 0)
                {
                    if (count == fields.Length)
                    {
                        return count + 1;
                    }

                    fields[count++] = new Range(start, i);
                    start = i + 1;
                }
            }

            if (count == fields.Length)
            {
                return count + 1;
            }

            fields[count++] = new Range(start, line.Length);
            return count;
        }

        private void AddRule(ReadOnlySpan<char> phrase, int weight, Severity severity, bool partial, int lineNumber)
        {
            var window = _window;
            var tilde = phrase.LastIndexOf('~');
            if (tilde >= 0)
            {
                if (!int.TryParse(phrase[(tilde + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out window) || window is < 1 or > 1000)
                {
                    Error(lineNumber, "A '~' window must be a whole number of words from 1 to 1000.");
                    return;
                }

                phrase = phrase[..tilde].Trim();
            }

            var terms = new List<PhraseTerm>();
            foreach (var range in phrase.Split('&'))
            {
                var term = ParseTerm(phrase[range], partial, lineNumber);
                if (term is null)
                {
                    return;
                }

                terms.Add(term);
            }

            if (terms.Count > 1 && weight < 0)
            {
                Error(lineNumber, "An exception (negative weight) must be a single phrase, not a combination.");
                return;
            }

            if (terms.Count == 1 && tilde >= 0)
            {
                Error(lineNumber, "A '~' window only makes sense for a combination ('a & b ~5').");
                return;
            }

            if (terms.Count > 8)
            {
                Error(lineNumber, "A combination may have at most 8 terms.");
                return;
            }

            _rules.Add(new PhraseRule(_category!, terms, weight, severity, terms.Count > 1 ? window : 0, _language, $"{source}:{lineNumber}"));
        }

        private PhraseTerm? ParseTerm(ReadOnlySpan<char> text, bool partial, int lineNumber)
        {
            text = text.Trim();
            var openStart = partial;
            var openEnd = partial;
            if (text.StartsWith('*'))
            {
                openStart = true;
                text = text[1..].TrimStart();
            }

            if (text.EndsWith('*'))
            {
                openEnd = true;
                text = text[..^1].TrimEnd();
            }

            if (text.IsEmpty)
            {
                Error(lineNumber, "Empty phrase.");
                return null;
            }

            if (text.Contains('*'))
            {
                Error(lineNumber, "'*' may only stand at the start or end of a phrase.");
                return null;
            }

            var normalised = TextNormaliser.Normalise(text.ToString());
            if (normalised.Collapsed.Length == 0)
            {
                Error(lineNumber, $"The phrase '{text}' has no letters or digits to match.");
                return null;
            }

            return new PhraseTerm(text.ToString(), !openStart, !openEnd);
        }

        private void ParseDirective(ReadOnlySpan<char> directive, int lineNumber)
        {
            var space = directive.IndexOfAny(' ', '\t');
            var name = space < 0 ? directive : directive[..space];
            var value = space < 0 ? [] : directive[(space + 1)..].Trim();
            if (name.Equals("category", StringComparison.OrdinalIgnoreCase))
            {
                if (!MonitoringCategories.IsWellFormed(value))
                {
                    Error(lineNumber, $"The category '{value}' is not 1-40 of a-z, 0-9 and '-'.");
                    _category = null;
                    return;
                }

                _category = value.ToString();
            }
            else if (name.Equals("language", StringComparison.OrdinalIgnoreCase))
            {
                if (value.IsEmpty || value.Length > 16)
                {
                    Error(lineNumber, "The language must be a short tag such as 'en' or 'cy'.");
                    return;
                }

                _language = value.ToString();
            }
            else if (name.Equals("severity", StringComparison.OrdinalIgnoreCase))
            {
                if (!Severities.TryParse(value, out _severity))
                {
                    Error(lineNumber, $"The severity '{value}' is not one of low, medium, high, critical.");
                }
            }
            else if (name.Equals("weight", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var weight) || weight == 0 || weight is < -1000 or > 1000)
                {
                    Error(lineNumber, "The default weight must be between -1000 and 1000 and not 0.");
                    return;
                }

                _weight = weight;
            }
            else if (name.Equals("window", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var window) || window is < 1 or > 1000)
                {
                    Error(lineNumber, "The default window must be a whole number of words from 1 to 1000.");
                    return;
                }

                _window = window;
            }
            else
            {
                Error(lineNumber, $"Unknown directive '@{name}': expected @category, @language, @severity, @weight or @window.");
            }
        }

        private void Error(int line, string message) => _diagnostics.Add(new LibraryDiagnostic(source, line, message));
    }
}
