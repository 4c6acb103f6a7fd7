namespace Brightline.Filtering.Lists;

/// <summary>
/// Reads the DNS-relevant subset of adblock filter syntax: <c>||example.com^</c> blocks the domain
/// and its subdomains. Comments (<c>!</c>), headers (<c>[Adblock Plus 2.0]</c>) and blank lines are
/// ignored; every other rule (exceptions <c>@@</c>, modifiers <c>$...</c>, cosmetic <c>##</c>,
/// paths, wildcards) is counted as skipped, because a DNS filter cannot apply it faithfully.
/// A line that looks like <c>||name^</c> but whose name is invalid is reported. Never throws on content.
/// </summary>
public static class AdblockListReader
{
    /// <summary>Reads from <paramref name="reader"/> into <paramref name="sink"/>.</summary>
    public static ListReport Read(TextReader reader, IListSink sink, string source)
    {
        var report = new ListReport(source);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            report.Lines++;
            var text = line.AsSpan().Trim();
            if (text.IsEmpty || text[0] == '!' || text[0] == '[' || (text[0] == '#' && !text.StartsWith("##")))
            {
                continue;
            }

            if (!text.StartsWith("||") || !text.EndsWith('^'))
            {
                report.Skipped++;
                continue;
            }

            var name = text[2..^1];
            if (name.ContainsAny('/', '*', '$') || name.ContainsAny('^', '|', ':'))
            {
                report.Skipped++;
                continue;
            }

            if (EntryParser.TryAdd(name, sink, out var error))
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

    /// <summary>Reads a file.</summary>
    public static ListReport ReadFile(string path, IListSink sink)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Read(reader, sink, path);
    }
}
