using Brightline.Policy.Model;

namespace Brightline.Policies;

/// <summary>
/// The terms a period covers, for counting things "per term" (issue 17: incidents per term). The school's own calendar
/// (the policy's <c>school.calendar.terms</c>) names and dates them where it reaches; before and after it, the usual
/// English terms stand in: Autumn from 1 September, Spring from 1 January, Summer from the first of April (Easter
/// moves; the school's calendar is exact where it has one).
/// </summary>
public static class SchoolTerms
{
    public static IReadOnlyList<TermSpan> Covering(AcademicCalendar? calendar, DateOnly from, DateOnly to)
    {
        var own = (calendar?.Terms ?? []).OrderBy(t => t.Start).ToList();
        var spans = new List<TermSpan>();
        for (var i = 0; i < own.Count; i++)
        {
            // The last term of the calendar runs to the end of its own summer (or of the usual term it sits in).
            var next = i + 1 < own.Count ? own[i + 1].Start : Usual(own[i].End).EndBefore;
            spans.Add(new TermSpan(own[i].Name, own[i].Start, next > own[i].Start ? next : own[i].End.AddDays(1)));
        }

        var result = new List<TermSpan>();
        // The usual terms fill whatever the calendar does not cover, clipped where they meet it.
        var day = Usual(from).Start;
        while (day <= to)
        {
            if (spans.FirstOrDefault(s => s.Contains(day)) is { } mine)
            {
                result.Add(mine);
                day = mine.EndBefore;
                continue;
            }

            var usual = Usual(day);
            var next = spans.Where(s => s.Start > day && s.Start < usual.EndBefore).OrderBy(s => s.Start).FirstOrDefault();
            if (next is not null)
            {
                // The days before the calendar's term, in the same usual term (1 September before a 3 September start),
                // belong to that term: one "Autumn 2025", not two.
                spans[spans.IndexOf(next)] = next with { Start = day };
                continue;
            }

            result.Add(usual with { Start = day });
            day = usual.EndBefore;
        }

        return result.Where(t => t.EndBefore > from).ToList();
    }

    /// <summary>The usual English term a date falls in, named as a school names it ("Autumn 2025").</summary>
    public static TermSpan Usual(DateOnly date) => date.Month switch
    {
        >= 9 => new TermSpan($"Autumn {date.Year}", new DateOnly(date.Year, 9, 1), new DateOnly(date.Year + 1, 1, 1)),
        <= 3 => new TermSpan($"Spring {date.Year}", new DateOnly(date.Year, 1, 1), new DateOnly(date.Year, 4, 1)),
        _ => new TermSpan($"Summer {date.Year}", new DateOnly(date.Year, 4, 1), new DateOnly(date.Year, 9, 1)),
    };
}
