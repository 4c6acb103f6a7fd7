using System.Globalization;
using System.Text.RegularExpressions;

namespace Brightline.Policy.Model;

/// <summary>The unit of a <see cref="CalendarDuration"/>.</summary>
public enum CalendarUnit
{
    Days,
    Weeks,
    HalfTerms,
    Terms,
}

/// <summary>
/// A length of time as a school says it: "30 days", "2 weeks", "half a term", "1 half term", "2 half terms", "1 term".
/// Days and weeks are plain calendar days. Terms and half terms are measured on the school's calendar and end where a
/// school would say they end: <b>N terms from date X ends on the last day of the N-th term counting the term that
/// contains X</b> (a date in the holidays counts from the next term), and N half terms likewise ends on the last day of
/// the N-th teaching half (the days before or after a half-term holiday). So "held for one term" (H15) means "until the
/// end of this term" and never runs longer than a term, and "every half term" (C16) comes round at each half-term
/// holiday. When the calendar does not list enough terms, <see cref="EndFrom"/> returns null and the caller decides (the
/// lost-property hold falls back to days; a warning says the calendar is running out).
/// </summary>
public readonly partial record struct CalendarDuration(int Count, CalendarUnit Unit)
{
    /// <summary>Whether the duration needs the calendar's terms to be measured.</summary>
    public bool IsCalendarBased => Unit is CalendarUnit.Terms or CalendarUnit.HalfTerms;

    /// <summary>
    /// Reads "30 days", "30d", "1 day", "2 weeks", "1 week", "1 term", "2 terms", "half a term", "a half term",
    /// "half term", "1 half term", "2 half terms" (case and spacing ignored). False, with a message, for anything else.
    /// </summary>
    public static bool TryParse(string? text, out CalendarDuration duration, out string? error)
    {
        duration = default;
        error = null;
        var t = Spaces().Replace((text ?? "").Trim().ToLowerInvariant(), " ");
        if (t is "half a term" or "a half term" or "half term" or "half-term")
        {
            duration = new CalendarDuration(1, CalendarUnit.HalfTerms);
            return true;
        }

        var m = Shape().Match(t);
        if (!m.Success || !int.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return Fail(out error, text);
        }

        if (n <= 0)
        {
            error = $"'{text}' must be at least one";
            return false;
        }

        var unit = m.Groups["unit"].Value switch
        {
            "d" or "day" or "days" => CalendarUnit.Days,
            "w" or "week" or "weeks" => CalendarUnit.Weeks,
            "term" or "terms" => CalendarUnit.Terms,
            _ => CalendarUnit.HalfTerms,
        };
        duration = new CalendarDuration(n, unit);
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/>.</summary>
    public static CalendarDuration Parse(string text) =>
        TryParse(text, out var d, out var error) ? d : throw new FormatException(error);

    /// <summary>
    /// The last day of the duration counted from <paramref name="start"/> (see the type's summary for how terms are
    /// measured); days and weeks give <paramref name="start"/> plus that many days. Null when the calendar's listed
    /// terms do not reach that far.
    /// </summary>
    public DateOnly? EndFrom(DateOnly start, AcademicCalendar calendar)
    {
        switch (Unit)
        {
            case CalendarUnit.Days:
                return start.AddDays(Count);
            case CalendarUnit.Weeks:
                return start.AddDays(7 * Count);
            case CalendarUnit.Terms:
            {
                var terms = calendar.OrderedTerms;
                var first = IndexOfFirst(terms, t => t.End >= start);
                return first >= 0 && first + Count - 1 < terms.Count ? terms[first + Count - 1].End : null;
            }

            case CalendarUnit.HalfTerms:
            default:
            {
                var halves = calendar.TermHalves();
                var first = IndexOfFirst(halves, h => h.End >= start);
                return first >= 0 && first + Count - 1 < halves.Count ? halves[first + Count - 1].End : null;
            }
        }
    }

    /// <summary>The name of the term or half the duration ends in ("Autumn 2026", "Autumn 2026, second half"), for messages; null for days and weeks.</summary>
    public string? EndName(DateOnly start, AcademicCalendar calendar)
    {
        if (!IsCalendarBased || EndFrom(start, calendar) is not { } end)
        {
            return null;
        }

        if (Unit == CalendarUnit.Terms)
        {
            return calendar.TermContaining(end)?.Name;
        }

        var half = calendar.HalfTermContaining(end);
        return half is null ? null : half.Term.HalfTerm is null ? half.Term.Name : $"{half.Term.Name}, {(half.Half == 1 ? "first" : "second")} half";
    }

    public override string ToString() => Unit switch
    {
        CalendarUnit.Days => Count == 1 ? "1 day" : $"{Count} days",
        CalendarUnit.Weeks => Count == 1 ? "1 week" : $"{Count} weeks",
        CalendarUnit.Terms => Count == 1 ? "1 term" : $"{Count} terms",
        CalendarUnit.HalfTerms or _ => Count == 1 ? "half a term" : $"{Count} half terms",
    };

    private static int IndexOfFirst<T>(IReadOnlyList<T> list, Func<T, bool> test)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (test(list[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Fail(out string? error, string? text)
    {
        error = $"'{text}' is not a duration; write e.g. 30 days, 2 weeks, half a term, 2 half terms or 1 term";
        return false;
    }

    [GeneratedRegex("^(?<n>[0-9]{1,4}) ?(?<unit>d|days?|w|weeks?|terms?|half terms?|half-terms?)$")]
    private static partial Regex Shape();

    [GeneratedRegex("\\s+")]
    private static partial Regex Spaces();
}
