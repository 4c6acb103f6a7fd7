namespace Brightline.Filtering.Lists;

/// <summary>
/// Reads a plain list: one entry per line (see <see cref="EntryParser"/>), <c>#</c> comments and blank
/// lines ignored. This is also the format of squidGuard/UT1 <c>domains</c> and <c>urls</c> files.
/// Never throws on content; bad lines are reported with their line numbers.
/// </summary>
public static class PlainListReader
{
    /// <summary>Reads from <paramref name="reader"/> into <paramref name="sink"/>.</summary>
    public static ListReport Read(TextReader reader, IListSink sink, string source)
    {
        var report = new ListReport(source);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            report.Lines++;
            var entry = EntryParser.StripComment(line);
            if (entry.IsEmpty)
            {
                continue;
            }

            if (entry.ContainsAny(' ', '\t'))
            {
                report.AddProblem(report.Lines, entry, "more than one word on the line");
                continue;
            }

            if (EntryParser.TryAdd(entry, sink, out var error))
            {
                report.Accepted++;
            }
            else
            {
                report.AddProblem(report.Lines, entry, error!);
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
