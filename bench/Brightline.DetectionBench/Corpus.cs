using System.Globalization;
using System.Text;

namespace Brightline.DetectionBench;

/// <summary>
/// One labelled input line. <see cref="Category"/> is <c>clean</c> for the clean corpora;
/// <see cref="Class"/> is the evasion class (generated lines), the hand-written class
/// (<c>text-speak</c>, <c>plain-unlisted</c>, <c>language</c>) or the clean corpus name.
/// </summary>
public sealed record LabelledLine(string Corpus, string Category, string Language, string Class, string Source, string Text)
{
    public bool IsHarmful => Category != Corpora.Clean;
}

public static class Corpora
{
    public const string Clean = "clean";

    /// <summary>The categories a hand-written harmful line may carry (Brightline's, docs/monitoring-engine.md).</summary>
    public static readonly string[] HarmfulCategories =
        ["self-harm", "grooming", "extremism", "bullying", "violence", "sexual-content", "drugs", "hate", "gambling", "profanity"];

    /// <summary>Classes of the hand-written harmful files.</summary>
    public static readonly string[] HandWrittenClasses = ["text-speak", "plain-unlisted", "language"];

    /// <summary>Classes of the hand-written clean file.</summary>
    public static readonly string[] CleanClasses = ["school", "innocent-use", "safeguarding-lesson", "pupil-chat"];

    /// <summary>
    /// Reads a corpus file: <c>#</c> comments and blank lines skipped; harmful files have
    /// <c>category TAB class TAB language TAB text</c>, clean files <c>clean TAB class TAB language TAB text</c>.
    /// A literal <c>\n</c> in the text is a line break. Any malformed line throws with file:line.
    /// </summary>
    public static List<LabelledLine> ReadFile(string path)
    {
        var lines = new List<LabelledLine>();
        var number = 0;
        var corpus = Path.GetFileNameWithoutExtension(path);
        foreach (var raw in File.ReadLines(path, Encoding.UTF8))
        {
            number++;
            if (raw.Length == 0 || raw[0] == '#')
            {
                continue;
            }

            var fields = raw.Split('\t');
            if (fields.Length != 4 || fields[3].Trim().Length == 0)
            {
                throw new FormatException($"{path}:{number}: expected 4 tab-separated fields (category, class, language, text), got {fields.Length}.");
            }

            var (category, cls, language, text) = (fields[0], fields[1], fields[2], fields[3].Replace("\\n", "\n", StringComparison.Ordinal));
            var known = category == Clean ? CleanClasses.Contains(cls) : HarmfulCategories.Contains(category) && HandWrittenClasses.Contains(cls);
            if (!known)
            {
                throw new FormatException($"{path}:{number}: unknown category/class '{category}'/'{cls}'.");
            }

            if (language.Length is < 2 or > 8)
            {
                throw new FormatException($"{path}:{number}: bad language tag '{language}'.");
            }

            lines.Add(new LabelledLine(corpus, category, language, cls, "hand-written", text));
        }

        return lines;
    }

    /// <summary>Every word of the word list, one line each.</summary>
    public static List<LabelledLine> Dictionary(string path) =>
        File.ReadLines(path).Where(w => w.Length > 0).Select(w => new LabelledLine("dictionary", Clean, "en", "dictionary", path, w)).ToList();

    /// <summary>
    /// A bounded, seeded sample of prose lines from /usr/share/doc: files named README*, *.txt or
    /// copyright (sorted paths), lines of 8+ words and 40–200 characters that are mostly letters
    /// and spaces (so tables, code and file lists drop out).
    /// </summary>
    public static List<LabelledLine> DocProse(string root, int count, int seed)
    {
        var candidates = new List<string>();
        if (Directory.Exists(root))
        {
            var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => { var n = Path.GetFileName(f); return n == "copyright" || n.StartsWith("README", StringComparison.Ordinal) && !n.EndsWith(".gz", StringComparison.Ordinal) || n.EndsWith(".txt", StringComparison.Ordinal); })
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                try
                {
                    foreach (var line in File.ReadLines(file))
                    {
                        var t = line.Trim();
                        if (t.Length is < 40 or > 200 || t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < 8)
                        {
                            continue;
                        }

                        var letters = t.Count(c => char.IsLetter(c) || c == ' ');
                        if (letters >= t.Length * 0.85)
                        {
                            candidates.Add(t);
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
                {
                    // unreadable file: skip
                }
            }
        }

        var distinct = candidates.Distinct(StringComparer.Ordinal).ToList();
        var rng = new Random(seed);
        return distinct.OrderBy(_ => rng.Next()).Take(count)
            .Select(t => new LabelledLine("doc-prose", Clean, "en", "doc-prose", root, t)).ToList();
    }

    public static string Percent(int numerator, int denominator) =>
        denominator == 0 ? "–" : (100.0 * numerator / denominator).ToString(numerator * 1000 < denominator && numerator > 0 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + "%";
}
