namespace Brightline.Policy.Model;

/// <summary>One teaching half of a term: the days before or after its half-term holiday (a term without one is one half).</summary>
/// <param name="Term">The term this half belongs to.</param>
/// <param name="Half">1 for the first half, 2 for the second; 1 for a term with no half-term holiday.</param>
/// <param name="Start">First day of the half.</param>
/// <param name="End">Last day of the half (inclusive).</param>
public sealed record TermHalf(Term Term, int Half, DateOnly Start, DateOnly End)
{
    public bool Contains(DateOnly date) => Start <= date && date <= End;
}

/// <summary>Why a date is not a school day, for the calendar listing and traces.</summary>
public enum DayKind
{
    SchoolDay,
    Weekend,
    BankHoliday,
    Closure,
    InsetDay,
    HalfTermHoliday,
    Holiday,
}

public sealed partial record AcademicCalendar
{
    /// <summary>
    /// Whether pupils are in school on <paramref name="date"/>: a Monday to Friday that is not a bank holiday of the
    /// calendar's region, a closure, an INSET day or a half-term holiday, and — when the calendar lists terms — inside
    /// a term. A calendar without terms treats every other weekday as a school day: the school has not said when its
    /// holidays are, and guessing them would relax a rule on a day pupils are there.
    /// </summary>
    public bool IsSchoolDay(DateOnly date) => Classify(date) == DayKind.SchoolDay;

    /// <summary>What kind of day <paramref name="date"/> is (the first reason that applies).</summary>
    public DayKind Classify(DateOnly date)
    {
        if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            return DayKind.Weekend;
        }

        if (UkBankHolidays.On(BankHolidays, date) is not null)
        {
            return DayKind.BankHoliday;
        }

        // Linear scans: a calendar holds a few dozen entries, and the filter asks once per request at most.
        for (var i = 0; i < Closures.Count; i++)
        {
            if (Closures[i].Start <= date && date <= Closures[i].End)
            {
                return DayKind.Closure;
            }
        }

        for (var i = 0; i < InsetDays.Count; i++)
        {
            if (InsetDays[i] == date)
            {
                return DayKind.InsetDay;
            }
        }

        if (Terms.Count == 0)
        {
            return DayKind.SchoolDay;
        }

        for (var i = 0; i < Terms.Count; i++)
        {
            var t = Terms[i];
            if (t.Start <= date && date <= t.End)
            {
                return t.HalfTerm is { } h && h.Start <= date && date <= h.End ? DayKind.HalfTermHoliday : DayKind.SchoolDay;
            }
        }

        return DayKind.Holiday;
    }

    /// <summary>The first school day on or after <paramref name="date"/> within <paramref name="maxDays"/> days, or null.</summary>
    public DateOnly? NextSchoolDay(DateOnly date, int maxDays = 120)
    {
        for (var i = 0; i <= maxDays; i++)
        {
            var d = date.AddDays(i);
            if (IsSchoolDay(d))
            {
                return d;
            }
        }

        return null;
    }

    /// <summary>The terms in date order.</summary>
    public IReadOnlyList<Term> OrderedTerms => [.. Terms.OrderBy(t => t.Start)];

    /// <summary>The last day of the last listed term; null when the calendar lists no terms.</summary>
    public DateOnly? LastTermEnd => Terms.Count == 0 ? null : Terms.Max(t => t.End);

    /// <summary>The teaching halves of every term, in date order: a term with a half-term holiday gives two, one without gives one.</summary>
    public IReadOnlyList<TermHalf> TermHalves()
    {
        var halves = new List<TermHalf>();
        foreach (var t in OrderedTerms)
        {
            if (t.HalfTerm is { } h && h.Start > t.Start && h.End < t.End)
            {
                halves.Add(new TermHalf(t, 1, t.Start, h.Start.AddDays(-1)));
                // The second half starts on the first weekday after the holiday (the Monday back, not the Saturday).
                var back = h.End.AddDays(1);
                while (back.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && back < t.End)
                {
                    back = back.AddDays(1);
                }

                halves.Add(new TermHalf(t, 2, back, t.End));
            }
            else
            {
                halves.Add(new TermHalf(t, 1, t.Start, t.End));
            }
        }

        return halves;
    }

    /// <summary>The teaching half (before or after the half-term holiday) containing <paramref name="date"/>, or null in a holiday.</summary>
    public TermHalf? HalfTermContaining(DateOnly date) => TermHalves().FirstOrDefault(h => h.Contains(date));

    /// <summary>
    /// The first day of the next teaching half that starts after <paramref name="date"/> (the Monday after half term,
    /// or the first day of next term): when "every half term" comes round (C16). Null when the calendar lists no
    /// later half.
    /// </summary>
    public DateOnly? NextHalfTermBoundary(DateOnly date) => TermHalves().Where(h => h.Start > date).Select(h => (DateOnly?)h.Start).FirstOrDefault();

    /// <summary>
    /// Issue 15: a warning when <paramref name="today"/> is within one term's length (the longest listed term) of the
    /// last listed term's end, or past it — after that day no date is a school day, school-day schedules stop applying
    /// and "1 term" cannot be measured. Null when there are no terms or there is time. `policy check`, `policy load`
    /// and the dashboard show it.
    /// </summary>
    public string? RunsOutWarning(DateOnly today)
    {
        if (LastTermEnd is not { } last)
        {
            return null;
        }

        static string Uk(DateOnly d) => d.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        var longest = Terms.Max(t => t.End.DayNumber - t.Start.DayNumber + 1);
        if (today > last)
        {
            return $"the calendar's last term ended on {Uk(last)}; add the terms from {Uk(today)} on, or school-day schedules stop applying and terms cannot be counted";
        }

        return last.DayNumber - today.DayNumber <= longest
            ? $"the calendar runs out on {Uk(last)}, within a term of today ({Uk(today)}); add next year's terms before then"
            : null;
    }

    /// <summary>Every bank holiday of the calendar's region from <paramref name="from"/> to <paramref name="to"/> inclusive.</summary>
    public IEnumerable<BankHoliday> BankHolidaysBetween(DateOnly from, DateOnly to)
    {
        for (var year = from.Year; year <= to.Year; year++)
        {
            foreach (var h in UkBankHolidays.For(BankHolidays, year))
            {
                if (h.Date >= from && h.Date <= to)
                {
                    yield return h;
                }
            }
        }
    }
}
