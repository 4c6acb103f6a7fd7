using System.Globalization;
using System.Text;

namespace Brightline.Policy.CalendarFiles;

/// <summary>
/// Reads the term-date events of an iCalendar file (RFC 5545), the form in which local authorities publish term dates.
/// Only what a term-date file needs: VEVENTs inside a VCALENDAR, each with SUMMARY, DTSTART and DTEND or DURATION.
/// <list type="bullet">
/// <item>Lines are unfolded first (RFC 5545 3.1: a CRLF followed by one space or tab continues the line); each logical
/// line keeps the number of its first physical line for messages.</item>
/// <item>A content line is <c>name *(";" param) ":" value</c> (3.1); parameter values may be quoted and hold ':'.</item>
/// <item>All-day events are <c>DTSTART;VALUE=DATE:20260903</c> with an exclusive <c>DTEND</c> (3.6.1: the day after the last
/// day; absent means one day). A DATE-TIME is read by its date; a DTEND at midnight is exclusive too.</item>
/// <item>TEXT values are unescaped (3.3.11: <c>\,</c> <c>\;</c> <c>\n</c> <c>\\</c>).</item>
/// <item>Other components (VTIMEZONE, VALARM, VTODO) are skipped whole. A repeating event (RRULE, RDATE) is an error:
/// a term-date file lists each holiday, and expanding rules is not worth a wrong calendar.</item>
/// </list>
/// Never throws on bad input: every line it cannot use becomes a problem with its line number, and every other event
/// is still read, so one slip costs nothing else.
/// </summary>
public static class ICalendarReader
{
    public static CalendarFileResult Read(string text)
    {
        var entries = new List<CalendarEntry>();
        var problems = new List<CalendarFileProblem>();
        var lines = Unfold(text);
        var sawCalendar = false;
        var depth = new Stack<string>();
        Dictionary<string, (string Params, string Value, int Line)>? ev = null;
        var eventLine = 0;
        foreach (var (line, number) in lines)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (!TrySplit(line, out var name, out var parameters, out var value))
            {
                problems.Add(new(number, $"'{Shorten(line)}' is not an iCalendar content line (NAME:value)"));
                continue;
            }

            if (name == "BEGIN")
            {
                var component = value.Trim().ToUpperInvariant();
                if (component == "VCALENDAR")
                {
                    sawCalendar = true;
                }
                else if (component == "VEVENT" && depth.Count == 1 && depth.Peek() == "VCALENDAR")
                {
                    ev = new Dictionary<string, (string, string, int)>(StringComparer.Ordinal);
                    eventLine = number;
                }
                else if (depth.Count == 0)
                {
                    problems.Add(new(number, $"BEGIN:{component} outside BEGIN:VCALENDAR"));
                }

                depth.Push(component);
                continue;
            }

            if (name == "END")
            {
                var component = value.Trim().ToUpperInvariant();
                if (depth.Count == 0 || depth.Peek() != component)
                {
                    problems.Add(new(number, depth.Count == 0 ? $"END:{component} without BEGIN" : $"END:{component} where END:{depth.Peek()} was expected"));
                    continue;
                }

                depth.Pop();
                if (component == "VEVENT" && ev is not null)
                {
                    ReadEvent(ev, eventLine, entries, problems);
                    ev = null;
                }

                continue;
            }

            // A property of the event itself (not of an alarm inside it); the first of each name counts.
            if (ev is not null && depth.Count == 2)
            {
                ev.TryAdd(name, (parameters, value, number));
            }
        }

        if (depth.Count > 0)
        {
            problems.Add(new(lines.Count == 0 ? 1 : lines[^1].Line, $"the file ends inside BEGIN:{depth.Peek()} (END:{depth.Peek()} missing)"));
        }

        if (!sawCalendar && problems.Count == 0)
        {
            problems.Add(new(1, "not an iCalendar file: no BEGIN:VCALENDAR"));
        }

        return new CalendarFileResult(entries, problems);
    }

    private static void ReadEvent(Dictionary<string, (string Params, string Value, int Line)> ev, int line, List<CalendarEntry> entries, List<CalendarFileProblem> problems)
    {
        if (ev.TryGetValue("RRULE", out var rrule) || ev.TryGetValue("RDATE", out rrule))
        {
            problems.Add(new(rrule.Line, "repeating events (RRULE, RDATE) are not read; list each term or holiday as its own event"));
            return;
        }

        var summary = ev.TryGetValue("SUMMARY", out var s) ? Unescape(s.Value).Trim() : "";
        if (summary.Length == 0)
        {
            problems.Add(new(line, "an event without a SUMMARY: name it (e.g. Autumn Term, Half Term, INSET day)"));
            return;
        }

        if (!ev.TryGetValue("DTSTART", out var dtstart))
        {
            problems.Add(new(line, $"event '{summary}' has no DTSTART"));
            return;
        }

        if (ParseDate(dtstart.Value, exclusiveEnd: false) is not { } start)
        {
            problems.Add(new(dtstart.Line, $"DTSTART '{dtstart.Value}' of '{summary}' is not a date (YYYYMMDD) or date-time (YYYYMMDDTHHMMSS)"));
            return;
        }

        var end = start;
        if (ev.TryGetValue("DTEND", out var dtend))
        {
            if (ParseDate(dtend.Value, exclusiveEnd: true) is not { } e)
            {
                problems.Add(new(dtend.Line, $"DTEND '{dtend.Value}' of '{summary}' is not a date (YYYYMMDD) or date-time"));
                return;
            }

            if (e < start)
            {
                problems.Add(new(dtend.Line, $"event '{summary}' ends before it starts (DTEND is the day after the last day)"));
                return;
            }

            end = e;
        }
        else if (ev.TryGetValue("DURATION", out var duration))
        {
            if (ParseDays(duration.Value) is not { } days || days < 1)
            {
                problems.Add(new(duration.Line, $"DURATION '{duration.Value}' of '{summary}' is not whole days or weeks (P3D, P2W)"));
                return;
            }

            end = start.AddDays(days - 1);
        }

        var categories = ev.TryGetValue("CATEGORIES", out var c) ? Unescape(c.Value) : "";
        if ((CalendarFileReader.KindFromName(summary) ?? CalendarFileReader.KindFromName(categories)) is not { } kind)
        {
            problems.Add(new(line, $"cannot tell what '{summary}' is: a term-date event's name says Term, Half term, INSET, Bank holiday, Holiday or Closed"));
            return;
        }

        entries.Add(new CalendarEntry(kind, summary, start, end, line));
    }

    /// <summary>Unfolds continuation lines (a line starting with a space or tab), keeping each logical line's first line number.</summary>
    internal static List<(string Text, int Line)> Unfold(string text)
    {
        var result = new List<(string, int)>();
        var physical = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        StringBuilder? current = null;
        var start = 0;
        for (var i = 0; i < physical.Length; i++)
        {
            var line = physical[i].TrimEnd('\r');
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && current is not null)
            {
                current.Append(line, 1, line.Length - 1);
                continue;
            }

            if (current is not null)
            {
                result.Add((current.ToString(), start));
            }

            current = new StringBuilder(line);
            start = i + 1;
        }

        if (current is not null && current.Length > 0)
        {
            result.Add((current.ToString(), start));
        }

        return result;
    }

    /// <summary>name *(";" param) ":" value, with ':' and ';' inside quoted parameter values ignored.</summary>
    private static bool TrySplit(string line, out string name, out string parameters, out string value)
    {
        name = parameters = value = "";
        var quoted = false;
        var nameEnd = -1;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (ch == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && ch == ';' && nameEnd < 0)
            {
                nameEnd = i;
            }
            else if (!quoted && ch == ':')
            {
                var end = nameEnd < 0 ? i : nameEnd;
                name = line[..end].Trim().ToUpperInvariant();
                parameters = nameEnd < 0 ? "" : line[(nameEnd + 1)..i];
                value = line[(i + 1)..];
                return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
            }
        }

        return false;
    }

    /// <summary>20260903 or 20260903T090000[Z] → the date; an exclusive end (DTEND) gives the day before, unless it is a date-time after midnight.</summary>
    private static DateOnly? ParseDate(string value, bool exclusiveEnd)
    {
        var v = value.Trim();
        if (v.Length < 8 || !DateOnly.TryParseExact(v[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return null;
        }

        if (v.Length == 8)
        {
            return exclusiveEnd ? date.AddDays(-1) : date;
        }

        var time = v[8..].TrimEnd('Z', 'z');
        if (time.Length != 7 || time[0] is not ('T' or 't') || !TimeOnly.TryParseExact(time[1..], "HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            return null;
        }

        return exclusiveEnd && t == TimeOnly.MinValue ? date.AddDays(-1) : date;
    }

    /// <summary>P3D, P2W, P1DT0H0M0S → whole days; null for anything with a time part that is not zero.</summary>
    private static int? ParseDays(string value)
    {
        var v = value.Trim().ToUpperInvariant();
        if (!v.StartsWith('P'))
        {
            return null;
        }

        var timeAt = v.IndexOf('T', StringComparison.Ordinal);
        if (timeAt >= 0)
        {
            if (v[(timeAt + 1)..].Any(c => c is >= '1' and <= '9'))
            {
                return null;
            }

            v = v[..timeAt];
        }

        var unit = v[^1];
        return (unit is 'D' or 'W') && int.TryParse(v.AsSpan(1, v.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? unit == 'W' ? n * 7 : n
            : null;
    }

    private static string Unescape(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                var next = value[++i];
                sb.Append(next is 'n' or 'N' ? ' ' : next);
            }
            else
            {
                sb.Append(value[i]);
            }
        }

        return sb.ToString();
    }

    private static string Shorten(string line) => line.Length <= 40 ? line : line[..40] + "…";
}
