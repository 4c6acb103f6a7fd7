using System.Net;

namespace Brightline.Filtering.Lists;

/// <summary>
/// Reads a hosts file (<c>0.0.0.0 name</c>, <c>127.0.0.1 name other-name</c>, <c>#</c> comments).
/// A hosts entry names one host, so by default entries are exact hosts; blocklists that rely on
/// subdomain blocking can pass <c>asDomains: true</c>. The usual loop-back lines
/// (<c>localhost</c>, <c>broadcasthost</c>, ...) are skipped. Never throws on content.
/// </summary>
public static class HostsFileReader
{
    private static readonly HashSet<string> s_loopbackNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost", "ip6-loopback",
        "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters", "ip6-allhosts", "0.0.0.0",
    };

    /// <summary>Reads from <paramref name="reader"/> into <paramref name="sink"/>.</summary>
    public static ListReport Read(TextReader reader, IListSink sink, string source, bool asDomains = false)
    {
        var report = new ListReport(source);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            report.Lines++;
            var text = EntryParser.StripComment(line);
            if (text.IsEmpty)
            {
                continue;
            }

            var space = text.IndexOfAny(' ', '\t');
            if (space < 0)
            {
                report.AddProblem(report.Lines, text, "expected an address followed by host names");
                continue;
            }

            if (!IPAddress.TryParse(text[..space], out _))
            {
                report.AddProblem(report.Lines, text, "not an IP address");
                continue;
            }

            var rest = text[space..].TrimStart();
            foreach (var range in rest.SplitAny(' ', '\t'))
            {
                var name = rest[range];
                if (name.IsEmpty)
                {
                    continue;
                }

                if (s_loopbackNames.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name))
                {
                    report.Skipped++;
                    continue;
                }

                if (name.Contains('/'))
                {
                    report.AddProblem(report.Lines, text, "a hosts file cannot hold a URL");
                    continue;
                }

                if (EntryParser.TryAdd(name, sink, out var error, exactHost: !asDomains))
                {
                    report.Accepted++;
                }
                else
                {
                    report.AddProblem(report.Lines, text, error!);
                }
            }
        }

        return report;
    }

    /// <summary>Reads a file.</summary>
    public static ListReport ReadFile(string path, IListSink sink, bool asDomains = false)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Read(reader, sink, path, asDomains);
    }
}
