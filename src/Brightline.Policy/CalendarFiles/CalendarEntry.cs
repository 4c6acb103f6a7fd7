namespace Brightline.Policy.CalendarFiles;

/// <summary>What a line of an imported calendar is.</summary>
public enum CalendarEntryKind
{
    Term,
    HalfTerm,
    Inset,
    Closure,
    BankHoliday,
}

/// <summary>One entry read from an iCalendar or CSV calendar file: its kind, name, first and last day (inclusive) and the line it came from.</summary>
public sealed record CalendarEntry(CalendarEntryKind Kind, string Name, DateOnly Start, DateOnly End, int Line);

/// <summary>A problem in a calendar file at a 1-based line.</summary>
public sealed record CalendarFileProblem(int Line, string Message);

/// <summary>What a calendar file held: every entry it could read and a problem for every line it could not.</summary>
public sealed record CalendarFileResult(IReadOnlyList<CalendarEntry> Entries, IReadOnlyList<CalendarFileProblem> Problems);

/// <summary>Reads a calendar file by its extension: .ics (RFC 5545) or .csv (kind,name,start,end).</summary>
public static class CalendarFileReader
{
    public static CalendarFileResult Read(string text, string fileName) =>
        fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? CsvCalendarReader.Read(text) : ICalendarReader.Read(text);

    /// <summary>
    /// The kind an event's name says, as local authorities word term-date files: "Autumn Term", "October Half Term",
    /// "INSET day", "Staff training day", "Bank Holiday", "Christmas Holiday", "School closed". Null when the name says
    /// none of these (a "Sports day" is no reason to close the school, so it is an error rather than a guess).
    /// </summary>
    public static CalendarEntryKind? KindFromName(string name)
    {
        var n = " " + name.ToLowerInvariant().Replace('-', ' ') + " ";
        if (n.Contains("half term", StringComparison.Ordinal) || n.Contains("halfterm", StringComparison.Ordinal))
        {
            return CalendarEntryKind.HalfTerm;
        }

        if (n.Contains("inset", StringComparison.Ordinal) || n.Contains("training day", StringComparison.Ordinal)
            || n.Contains("staff day", StringComparison.Ordinal) || n.Contains("teacher day", StringComparison.Ordinal)
            || n.Contains("pupil free", StringComparison.Ordinal) || n.Contains("non pupil", StringComparison.Ordinal))
        {
            return CalendarEntryKind.Inset;
        }

        if (n.Contains("bank holiday", StringComparison.Ordinal))
        {
            return CalendarEntryKind.BankHoliday;
        }

        if (n.Contains("holiday", StringComparison.Ordinal) || n.Contains("closed", StringComparison.Ordinal) || n.Contains("closure", StringComparison.Ordinal))
        {
            return CalendarEntryKind.Closure;
        }

        // "First day of term" marks a day, not a term; only a named term ("Autumn Term", "Spring term 2") is one.
        if (n.Contains(" term ", StringComparison.Ordinal) && !n.Contains("day of term", StringComparison.Ordinal)
            && !n.Contains("start of term", StringComparison.Ordinal) && !n.Contains("end of term", StringComparison.Ordinal))
        {
            return CalendarEntryKind.Term;
        }

        return null;
    }
}
