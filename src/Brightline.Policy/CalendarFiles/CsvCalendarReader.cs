using System.Globalization;
using System.Text;

namespace Brightline.Policy.CalendarFiles;

/// <summary>
/// Reads a calendar CSV: a header <c>kind,name,start,end</c> (any case, in that order), then one row per entry. kind is
/// term, half_term, inset, closure or bank_holiday (or empty: taken from the name, as for iCalendar); dates are
/// YYYY-MM-DD (or DD/MM/YYYY, as a spreadsheet saves UK dates); end is inclusive and optional (one day). Fields may be
/// quoted ("Polling day, hall in use"). Every bad row is a problem at its line; the rest are read.
/// </summary>
public static class CsvCalendarReader
{
    private static readonly string[] s_header = ["kind", "name", "start", "end"];

    private static readonly Dictionary<string, CalendarEntryKind> s_kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["term"] = CalendarEntryKind.Term,
        ["half_term"] = CalendarEntryKind.HalfTerm,
        ["half term"] = CalendarEntryKind.HalfTerm,
        ["inset"] = CalendarEntryKind.Inset,
        ["closure"] = CalendarEntryKind.Closure,
        ["bank_holiday"] = CalendarEntryKind.BankHoliday,
        ["bank holiday"] = CalendarEntryKind.BankHoliday,
    };

    public static CalendarFileResult Read(string text)
    {
        var entries = new List<CalendarEntry>();
        var problems = new List<CalendarFileProblem>();
        var lines = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var headerSeen = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (Fields(line) is not { } fields)
            {
                problems.Add(new(number, "a quote is not closed"));
                continue;
            }

            if (!headerSeen)
            {
                headerSeen = true;
                if (!fields.Select(f => f.Trim()).Take(4).SequenceEqual(s_header, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add(new(number, $"the first line must be the header 'kind,name,start,end', not '{line}'"));
                }

                continue;
            }

            if (fields.Count is < 3 or > 4)
            {
                problems.Add(new(number, $"expected kind,name,start,end; found {fields.Count} field{(fields.Count == 1 ? "" : "s")}"));
                continue;
            }

            var name = fields[1].Trim();
            var kindText = fields[0].Trim();
            CalendarEntryKind? kind = kindText.Length == 0 ? CalendarFileReader.KindFromName(name) : s_kinds.TryGetValue(kindText, out var k) ? k : null;
            if (kind is null)
            {
                problems.Add(new(number, kindText.Length == 0
                    ? $"cannot tell what '{name}' is; give its kind (term, half_term, inset, closure, bank_holiday)"
                    : $"kind '{kindText}' is not one of term, half_term, inset, closure, bank_holiday"));
                continue;
            }

            if (name.Length == 0)
            {
                problems.Add(new(number, "the name is empty"));
                continue;
            }

            if (Date(fields[2]) is not { } start)
            {
                problems.Add(new(number, $"start '{fields[2].Trim()}' is not a date (YYYY-MM-DD)"));
                continue;
            }

            var end = start;
            if (fields.Count == 4 && fields[3].Trim().Length > 0)
            {
                if (Date(fields[3]) is not { } e)
                {
                    problems.Add(new(number, $"end '{fields[3].Trim()}' is not a date (YYYY-MM-DD)"));
                    continue;
                }

                if (e < start)
                {
                    problems.Add(new(number, $"'{name}' ends before it starts"));
                    continue;
                }

                end = e;
            }

            entries.Add(new CalendarEntry(kind.Value, name, start, end, number));
        }

        if (!headerSeen)
        {
            problems.Add(new(1, "the file is empty; it needs the header 'kind,name,start,end'"));
        }

        return new CalendarFileResult(entries, problems);
    }

    private static DateOnly? Date(string text) =>
        DateOnly.TryParseExact(text.Trim(), ["yyyy-MM-dd", "dd/MM/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>RFC 4180 fields of one line (no line breaks inside quotes); null when a quote is left open.</summary>
    private static List<string>? Fields(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    sb.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    sb.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(ch);
            }
        }

        if (quoted)
        {
            return null;
        }

        fields.Add(sb.ToString());
        return fields;
    }
}
