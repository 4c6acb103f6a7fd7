using System.Globalization;
using Brightline.Policy.Yaml;

namespace Brightline.Policy.Validation;

/// <summary>
/// Checks of <c>school.calendar</c>'s INSET days and closures (issue 15) that the schema cannot express: real dates,
/// a closure given as one date or as a first and last day, in a sane range; a repeated INSET day is an error (a slip that
/// hides the day meant). An INSET day on a weekend or in the holidays is only a warning: it changes nothing, but the
/// school probably meant another date. Terms in order without overlaps are checked in <see cref="SemanticChecks"/>.
/// </summary>
internal sealed class CalendarChecks(List<YamlProblem> problems, List<YamlProblem> warnings)
{
    /// <summary>Calendar dates outside these years are typing slips (2062 for 2026), not a school's calendar.</summary>
    internal const int FirstYear = 2000;
    internal const int LastYear = 2100;

    /// <summary>A closure longer than a year is a slip in a date, not a closure.</summary>
    internal const int LongestClosureDays = 366;

    public void Run(YNode? calendar)
    {
        if (calendar is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        var terms = new List<(DateOnly Start, DateOnly End)>();
        foreach (var term in Items(calendar.Get("terms")))
        {
            if (Parse(term.Get("start")) is { } s && Parse(term.Get("end")) is { } e)
            {
                terms.Add((s, e));
            }
        }

        var seen = new Dictionary<DateOnly, YNode>();
        foreach (var item in Items(calendar.Get("inset_days")))
        {
            if (Date(item) is not { } day)
            {
                continue;
            }

            if (!seen.TryAdd(day, item))
            {
                Add(problems, item, $"INSET day {Uk(day)} is listed twice (first at line {seen[day].Line}); remove one");
                continue;
            }

            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                Add(warnings, item, $"INSET day {Uk(day)} is a {day.DayOfWeek}, which is not a school day anyway; check the date");
            }
            else if (terms.Count > 0 && !terms.Any(t => t.Start <= day && day <= t.End))
            {
                Add(warnings, item, $"INSET day {Uk(day)} is outside every term, so it changes nothing; check the date or the terms");
            }
        }

        foreach (var closure in Items(calendar.Get("closures")))
        {
            if (closure.Kind != YNodeKind.Mapping)
            {
                continue;
            }

            var name = Text(closure.Get("name")) ?? "closure";
            var dateNode = closure.Get("date");
            var startNode = closure.Get("start");
            var endNode = closure.Get("end");
            if (dateNode is not null && (startNode is not null || endNode is not null))
            {
                Add(problems, dateNode, $"closure '{name}' has both 'date' and 'start'/'end'; give one date, or a first and last day");
                continue;
            }

            if (dateNode is null && (startNode is null || endNode is null))
            {
                Add(problems, closure, $"closure '{name}' needs 'date' (one day) or both 'start' and 'end'");
                continue;
            }

            if (dateNode is not null)
            {
                _ = Date(dateNode);
                continue;
            }

            if (Date(startNode) is { } s && Date(endNode) is { } e)
            {
                if (e < s)
                {
                    Add(problems, endNode!, $"closure '{name}' ends ({Uk(e)}) before it starts ({Uk(s)})");
                }
                else if (e.DayNumber - s.DayNumber + 1 > LongestClosureDays)
                {
                    Add(problems, endNode!, $"closure '{name}' lasts {e.DayNumber - s.DayNumber + 1} days; a closure is at most {LongestClosureDays} days (check the dates)");
                }
            }
        }
    }

    /// <summary>
    /// Issue 15: a warning at <c>terms:</c> when <paramref name="today"/> is within one term's length (the longest listed
    /// term) of the last listed term's end, or past it: after that day the calendar knows no school days, the filter's
    /// school-day schedules stop applying and "1 term" cannot be measured. Null when there are no terms or there is time.
    /// </summary>
    public static YamlProblem? RunningOut(YNode? calendarNode, Model.AcademicCalendar calendar, DateOnly today)
    {
        if (calendar.LastTermEnd is not { } last)
        {
            return null;
        }

        var at = calendarNode?.Pairs.FirstOrDefault(p => p.Key.Value == "terms")?.Key
            ?? calendarNode?.Pairs.FirstOrDefault(p => p.Key.Value == "file")?.Key
            ?? calendarNode;
        var (line, column) = at is null ? (1, 1) : (at.Line, at.Column);
        return calendar.RunsOutWarning(today) is { } message ? new YamlProblem(line, column, message) : null;
    }

    private static IEnumerable<YNode> Items(YNode? node) => node is { Kind: YNodeKind.Sequence } ? node.Items : [];

    private static string? Text(YNode? node) => node is { Kind: YNodeKind.Scalar } && !node.IsNull ? node.Value : null;

    private static void Add(List<YamlProblem> list, YNode at, string message) => list.Add(new YamlProblem(at.Line, at.Column, message));

    private static string Uk(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static DateOnly? Parse(YNode? node) =>
        Text(node) is { } text && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>The date, with an error when it is not a real date or is outside the sane range; null then.</summary>
    private DateOnly? Date(YNode? node)
    {
        if (Text(node) is not { } text)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            // The schema reports the wrong shape; only a calendar knows 2026-02-30 is not a date.
            if (text.Length == 10)
            {
                Add(problems, node!, $"'{text}' is not a real date");
            }

            return null;
        }

        if (date.Year is < FirstYear or > LastYear)
        {
            Add(problems, node!, $"{Uk(date)} is outside {FirstYear}–{LastYear}; check the year");
            return null;
        }

        return date;
    }
}
