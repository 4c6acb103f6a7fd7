using System.Globalization;
using System.Text;

namespace Brightline.Monitoring;

/// <summary>The text report of <c>brightline monitor scan FILE|-</c>.</summary>
public static class MonitorScanReport
{
    /// <summary>
    /// Writes one line per hit — <c>category  phrase  weight  line:col  "original span"</c> — then
    /// one <c>score  category  N  (severity)</c> line per category and a total. Line and column are
    /// 1-based; the column counts UTF-16 code units from the start of the line. The weight is the
    /// effective weight (after exceptions); it is followed by <c>/declared</c> when they differ.
    /// </summary>
    public static void Write(TextWriter writer, ScanResult result, string originalText)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        Write(writer, result.Hits, originalText);
        foreach (var score in result.Scores)
        {
            var severity = score.MaxSeverity is { } s ? Severities.NameOf(s) : "cancelled";
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"score  {score.Category}  {score.Score}  ({severity}, {score.HitCount} hit(s))"));
        }

        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total  {result.TotalScore}  {result.Hits.Count} hit(s)"));
    }

    /// <summary>Writes one line per hit: <c>category  phrase  weight  line:col  "original span"</c>.</summary>
    public static void Write(TextWriter writer, IEnumerable<Hit> hits, string originalText)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(hits);
        ArgumentNullException.ThrowIfNull(originalText);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < originalText.Length; i++)
        {
            if (originalText[i] == '\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        var builder = new StringBuilder();
        foreach (var hit in hits)
        {
            var line = lineStarts.BinarySearch(hit.Start);
            line = line >= 0 ? line : ~line - 1;
            var column = hit.Start - lineStarts[line] + 1;
            builder.Clear();
            builder.Append(hit.Category).Append("  ").Append(hit.Phrase).Append("  ")
                .Append(hit.EffectiveWeight.ToString(CultureInfo.InvariantCulture));
            if (hit.EffectiveWeight != hit.Weight)
            {
                builder.Append('/').Append(hit.Weight.ToString(CultureInfo.InvariantCulture));
            }

            builder.Append("  ").Append((line + 1).ToString(CultureInfo.InvariantCulture)).Append(':')
                .Append(column.ToString(CultureInfo.InvariantCulture)).Append("  \"");
            AppendEscaped(builder, hit.MatchedText);
            builder.Append('"');
            writer.WriteLine(builder.ToString());
        }
    }

    /// <summary>Quotes, backslashes and control characters escaped so each hit stays on one line.</summary>
    private static void AppendEscaped(StringBuilder builder, string text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }
    }
}
