using System.Globalization;
using Brightline.Kernel;
using Brightline.Policy.Model;

namespace Brightline.Reports;

/// <summary>
/// The terms a governors' report can be picked for. The policy's calendar names the school's own terms;
/// a policy without them gets England's usual pattern — autumn September–December, spring January–March,
/// summer April–July — so a report can always be produced. An explicit date range is accepted too.
/// </summary>
public static class ReportPeriods
{
    /// <summary>Terms of the academic year containing <paramref name="today"/> and the year before, latest first; only terms that have started.</summary>
    public static IReadOnlyList<ReportPeriod> Terms(SchoolPolicy policy, DateOnly today)
    {
        var calendar = policy.School.Calendar;
        var terms = calendar.Terms.Select(t => new ReportPeriod(t.Start, t.End, Label(t, calendar))).ToList();
        var thisYear = calendar.AcademicYearStart(today);
        foreach (var yearStart in new[] { thisYear.AddYears(-1), thisYear })
        {
            foreach (var term in DefaultTerms(yearStart.Year, calendar.AcademicYearLabel(yearStart)))
            {
                // The policy's own terms win; the usual pattern only fills the gaps.
                if (!terms.Any(t => t.Start <= term.End && term.Start <= t.End))
                {
                    terms.Add(term);
                }
            }
        }

        return terms.Where(t => t.Start <= today).OrderByDescending(t => t.Start).ToList();
    }

    /// <summary>The term containing (or most recently before) <paramref name="today"/>.</summary>
    public static ReportPeriod Current(SchoolPolicy policy, DateOnly today) => Terms(policy, today) is { Count: > 0 } terms ? terms[0] : LastYear(today);

    /// <summary>Either the named term (its start date as yyyy-MM-dd) or an explicit range; a bad range is a clear message.</summary>
    public static ReportPeriod Resolve(SchoolPolicy policy, DateOnly today, string? term, DateOnly? from, DateOnly? to)
    {
        if (from is not null || to is not null)
        {
            if (from is not { } f || to is not { } t)
            {
                throw new InvalidException("Give both the first and the last date of the period.");
            }

            if (t < f)
            {
                throw new InvalidException("The last date is before the first date.");
            }

            if (t.DayNumber - f.DayNumber > 800)
            {
                throw new InvalidException("A report covers at most two years.");
            }

            return new ReportPeriod(f, t, $"{Brightline.Kernel.UkFormat.Short(f)} to {Brightline.Kernel.UkFormat.Short(t)}");
        }

        var terms = Terms(policy, today);
        if (string.IsNullOrEmpty(term))
        {
            return Current(policy, today);
        }

        return DateOnly.TryParseExact(term, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            && terms.FirstOrDefault(t => t.Start == start) is { } found
            ? found
            : throw new InvalidException("Choose one of the terms listed.");
    }

    /// <summary>The last twelve months to <paramref name="today"/>: the annual review's default period.</summary>
    public static ReportPeriod LastYear(DateOnly today) => new(today.AddYears(-1).AddDays(1), today, $"Year to {Brightline.Kernel.UkFormat.Short(today)}");

    private static IEnumerable<ReportPeriod> DefaultTerms(int year, string label) =>
    [
        new(new DateOnly(year, 9, 1), new DateOnly(year, 12, 31), $"Autumn term {label}"),
        new(new DateOnly(year + 1, 1, 1), new DateOnly(year + 1, 3, 31), $"Spring term {label}"),
        new(new DateOnly(year + 1, 4, 1), new DateOnly(year + 1, 7, 31), $"Summer term {label}"),
    ];

    /// <summary>The policy's own name when it says the year ("Autumn 2026"), else "Autumn term 2026/27".</summary>
    private static string Label(Term term, AcademicCalendar calendar) =>
        term.Name.Any(char.IsAsciiDigit) ? term.Name : $"{Capitalise(term.Name)} term {calendar.AcademicYearLabel(term.Start)}";

    private static string Capitalise(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
}
