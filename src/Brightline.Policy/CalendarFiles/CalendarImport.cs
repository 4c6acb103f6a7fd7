using System.Globalization;
using Brightline.Policy.Model;

namespace Brightline.Policy.CalendarFiles;

/// <summary>
/// Merges a calendar file's entries into the policy's calendar (issue 15): terms are added (one overlapping a term
/// already listed is a problem at its line); a half term becomes the half-term holiday of the term it falls in (a
/// different one already given is a problem; one in no term is kept as a closure so nothing is lost); INSET days and
/// closures are added; a bank holiday the rules already compute is dropped, any other (a coronation) becomes a closure.
/// </summary>
public static class CalendarImport
{
    public static (AcademicCalendar Calendar, IReadOnlyList<CalendarFileProblem> Problems) Merge(AcademicCalendar calendar, IReadOnlyList<CalendarEntry> entries)
    {
        var problems = new List<CalendarFileProblem>();
        var terms = calendar.Terms.ToList();
        var inset = calendar.InsetDays.ToHashSet();
        var closures = calendar.Closures.ToList();
        foreach (var e in entries.Where(e => e.Kind == CalendarEntryKind.Term).OrderBy(e => e.Start))
        {
            if (terms.FirstOrDefault(t => t.Start <= e.End && e.Start <= t.End) is { } clash)
            {
                problems.Add(new(e.Line, $"term '{e.Name}' ({Uk(e.Start)} to {Uk(e.End)}) overlaps term '{clash.Name}' ({Uk(clash.Start)} to {Uk(clash.End)})"));
                continue;
            }

            terms.Add(new Term { Name = e.Name, Start = e.Start, End = e.End });
        }

        foreach (var e in entries.Where(e => e.Kind != CalendarEntryKind.Term))
        {
            switch (e.Kind)
            {
                case CalendarEntryKind.HalfTerm:
                    var index = terms.FindIndex(t => t.Start <= e.Start && e.End <= t.End);
                    if (index < 0)
                    {
                        closures.Add(new CalendarClosure(e.Name, e.Start, e.End));
                    }
                    else if (terms[index].HalfTerm is { } given && (given.Start != e.Start || given.End != e.End))
                    {
                        problems.Add(new(e.Line, $"'{e.Name}' ({Uk(e.Start)} to {Uk(e.End)}) falls in term '{terms[index].Name}', which already has its half term ({Uk(given.Start)} to {Uk(given.End)})"));
                    }
                    else
                    {
                        terms[index] = terms[index] with { HalfTerm = new Model.DateRange(e.Start, e.End) };
                    }

                    break;
                case CalendarEntryKind.Inset:
                    for (var d = e.Start; d <= e.End && d.DayNumber - e.Start.DayNumber < 366; d = d.AddDays(1))
                    {
                        inset.Add(d);
                    }

                    break;
                case CalendarEntryKind.BankHoliday:
                    for (var d = e.Start; d <= e.End && d.DayNumber - e.Start.DayNumber < 366; d = d.AddDays(1))
                    {
                        if (UkBankHolidays.On(calendar.BankHolidays, d) is null && d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                        {
                            closures.Add(new CalendarClosure(e.Name, d, d));
                        }
                    }

                    break;
                case CalendarEntryKind.Closure:
                case CalendarEntryKind.Term:
                default:
                    closures.Add(new CalendarClosure(e.Name, e.Start, e.End));
                    break;
            }
        }

        return (calendar with
        {
            Terms = terms.OrderBy(t => t.Start).ToList(),
            InsetDays = inset.Order().ToList(),
            Closures = closures,
        }, problems);
    }

    private static string Uk(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
}
