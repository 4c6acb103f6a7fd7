using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary><c>school.calendar</c>'s INSET days, closures, bank-holiday region and import file (issue 15) → <see cref="AcademicCalendar"/>.</summary>
internal static class CalendarModelBuilder
{
    public static AcademicCalendar Build(YNode node, AcademicCalendar calendar)
    {
        var region = Str(node.Get("bank_holidays")) is { } word && UkBankHolidays.Spellings.TryGetValue(word, out var r) ? r : (BankHolidayRegion?)null;
        return calendar with
        {
            InsetDays = Items(node.Get("inset_days")).Select(Date).OfType<DateOnly>().Distinct().Order().ToList(),
            Closures = Items(node.Get("closures")).Select(BuildClosure).OfType<CalendarClosure>().ToList(),
            // Absent: England and Wales, the seeds' (all English) and most Brightline schools'; `policy check` prints it.
            BankHolidays = region ?? BankHolidayRegion.EnglandAndWales,
            BankHolidaysDefaulted = region is null,
            File = Str(node.Get("file")),
        };
    }

    private static CalendarClosure? BuildClosure(YNode node)
    {
        var name = Str(node.Get("name")) ?? "Closure";
        if (Date(node.Get("date")) is { } day)
        {
            return new CalendarClosure(name, day, day);
        }

        return Date(node.Get("start")) is { } s && Date(node.Get("end")) is { } e ? new CalendarClosure(name, s, e) : null;
    }
}
