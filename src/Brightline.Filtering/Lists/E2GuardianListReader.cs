namespace Brightline.Filtering.Lists;

/// <summary>
/// Reads e2guardian site lists (<c>bannedsitelist</c>, <c>example.com</c> or <c>.example.com</c>,
/// both matching subdomains) and URL lists (<c>bannedurllist</c>, <c>example.com/path</c>).
/// <c>.Include&lt;path&gt;</c> lines are followed relative to the including file when reading from
/// a file (at most 8 deep, each file once) and otherwise skipped. Wildcard switches such as
/// <c>**</c> and <c>*ip</c> are skipped. Never throws on content; a missing include is reported.
/// </summary>
public static class E2GuardianListReader
{
    private const int MaxIncludeDepth = 8;

    /// <summary>Reads from <paramref name="reader"/>; includes are skipped (no base directory).</summary>
    public static ListReport Read(TextReader reader, IListSink sink, string source) =>
        Read(reader, sink, source, null, new HashSet<string>(StringComparer.Ordinal), 0);

    /// <summary>Reads a file, following includes relative to it.</summary>
    public static ListReport ReadFile(string path, IListSink sink)
    {
        var full = Path.GetFullPath(path);
        using var reader = new StreamReader(full, detectEncodingFromByteOrderMarks: true);
        return Read(reader, sink, path, Path.GetDirectoryName(full), new HashSet<string>(StringComparer.Ordinal) { full }, 0);
    }

    private static ListReport Read(TextReader reader, IListSink sink, string source, string? baseDirectory, HashSet<string> visited, int depth)
    {
        var report = new ListReport(source);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            report.Lines++;
            var text = line.AsSpan().Trim();
            if (text.StartsWith(".Include<", StringComparison.OrdinalIgnoreCase))
            {
                Include(text, sink, report, baseDirectory, visited, depth);
                continue;
            }

            text = EntryParser.StripComment(text);
            if (text.IsEmpty)
            {
                continue;
            }

            if (text[0] == '*')
            {
                // "**", "**s", "*ip", "*ips": blanket switches that a category list cannot express.
                report.Skipped++;
                continue;
            }

            if (text.ContainsAny(' ', '\t'))
            {
                report.AddProblem(report.Lines, text, "more than one word on the line");
                continue;
            }

            if (EntryParser.TryAdd(text, sink, out var error))
            {
                report.Accepted++;
            }
            else
            {
                report.AddProblem(report.Lines, text, error!);
            }
        }

        return report;
    }

    private static void Include(ReadOnlySpan<char> text, IListSink sink, ListReport report, string? baseDirectory, HashSet<string> visited, int depth)
    {
        var close = text.IndexOf('>');
        if (close < 0)
        {
            report.AddProblem(report.Lines, text, ".Include without a closing '>'");
            return;
        }

        var target = text[9..close].Trim().ToString();
        if (baseDirectory is null || target.Length == 0)
        {
            report.Skipped++;
            return;
        }

        if (depth >= MaxIncludeDepth)
        {
            report.AddProblem(report.Lines, text, "includes nested too deeply");
            return;
        }

        string full;
        try
        {
            full = Path.GetFullPath(Path.Combine(baseDirectory, target));
        }
        catch (ArgumentException)
        {
            report.AddProblem(report.Lines, text, "invalid include path");
            return;
        }

        if (!visited.Add(full))
        {
            report.Skipped++;
            return;
        }

        if (!File.Exists(full))
        {
            report.AddProblem(report.Lines, text, $"included file not found: {full}");
            return;
        }

        using var reader = new StreamReader(full, detectEncodingFromByteOrderMarks: true);
        var included = Read(reader, sink, full, Path.GetDirectoryName(full), visited, depth + 1);
        report.Included.Add(included);
        report.Accepted += included.Accepted;
    }
}
