using System.CommandLine;
using System.Globalization;
using System.Text;
using Brightline.Kernel;
using Brightline.Policy;
using Brightline.Policy.Model;

namespace Brightline.Policies;

/// <summary>
/// `brightline policy calendar FILE [--from DATE] [--to DATE]` (issue 15): what the policy's calendar holds, with any
/// imported iCalendar/CSV file merged — terms and their half terms, INSET days, closures and bank holidays, in UK dates
/// — so a school can check what it loaded. Needs no database. Default range: the academic year containing today and
/// the next one.
/// </summary>
public static class CalendarCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The policy YAML file." };
        var from = new Option<string?>("--from") { Description = "First day to list (YYYY-MM-DD or DD/MM/YYYY); default the start of this academic year." };
        var to = new Option<string?>("--to") { Description = "Last day to list (YYYY-MM-DD or DD/MM/YYYY); default the end of next academic year." };
        var command = new Command("calendar", "List the policy's school calendar: terms, half terms, INSET days, closures and bank holidays.") { file, from, to };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"{path}: file not found");
                return 2;
            }

            var today = SchoolClock.Today(TimeProvider.System);
            var result = PolicyLoader.Load(await File.ReadAllTextAsync(path, cancellationToken), path, today);
            foreach (var warning in result.Warnings)
            {
                await Console.Error.WriteLineAsync($"{warning.File}:{warning.Line}:{warning.Column}: warning: {warning.Message}");
            }

            if (!result.Succeeded)
            {
                foreach (var error in result.Errors)
                {
                    await Console.Error.WriteLineAsync(error.ToString());
                }

                await Console.Error.WriteLineAsync($"{path}: {result.Errors.Count} error(s)");
                return 1;
            }

            var calendar = result.Policy!.School.Calendar;
            var start = calendar.AcademicYearStart(today);
            DateOnly? first = ParseDate(parse.GetValue(from)), last = ParseDate(parse.GetValue(to));
            if ((parse.GetValue(from) is not null && first is null) || (parse.GetValue(to) is not null && last is null))
            {
                await Console.Error.WriteLineAsync("--from and --to take a date: YYYY-MM-DD or DD/MM/YYYY");
                return 2;
            }

            var rangeFrom = first ?? start;
            var rangeTo = last ?? start.AddYears(2).AddDays(-1);
            if (rangeTo < rangeFrom)
            {
                await Console.Error.WriteLineAsync("--to is before --from");
                return 2;
            }

            await Console.Out.WriteAsync(Render(result.Policy!, rangeFrom, rangeTo));
            return 0;
        });
        return command;
    }

    /// <summary>The listing, one line per entry in date order (also used by tests).</summary>
    public static string Render(SchoolPolicy policy, DateOnly from, DateOnly to)
    {
        var calendar = policy.School.Calendar;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{policy.School.Name}: school calendar {SchoolClock.Uk(from)} to {SchoolClock.Uk(to)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Bank holidays: {UkBankHolidays.Describe(calendar.BankHolidays)}{(calendar.BankHolidaysDefaulted ? " (the default)" : "")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"School day: {calendar.DayStarts:HH\\:mm}–{calendar.DayEnds:HH\\:mm}\n");
        if (calendar.File is { } f)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Imported from: {f}\n");
        }

        if (calendar.Terms.Count == 0)
        {
            sb.Append("No terms listed: every weekday that is not a bank holiday, INSET day or closure is a school day.\n");
        }

        var rows = new List<(DateOnly Start, string Text)>();
        foreach (var t in calendar.OrderedTerms.Where(t => t.End >= from && t.Start <= to))
        {
            rows.Add((t.Start, $"term          {Span(t.Start, t.End)}  {t.Name}"));
            if (t.HalfTerm is { } h)
            {
                rows.Add((h.Start, $"half term     {Span(h.Start, h.End)}  {t.Name}"));
            }
        }

        rows.AddRange(calendar.InsetDays.Where(d => d >= from && d <= to).Select(d => (d, $"INSET day     {Span(d, d)}")));
        rows.AddRange(calendar.Closures.Where(c => c.End >= from && c.Start <= to).Select(c => (c.Start, $"closure       {Span(c.Start, c.End)}  {c.Name}")));
        rows.AddRange(calendar.BankHolidaysBetween(from, to).Select(b => (b.Date, $"bank holiday  {Span(b.Date, b.Date)}  {b.Name}")));
        foreach (var (_, text) in rows.OrderBy(r => r.Start))
        {
            sb.Append(text.TrimEnd()).Append('\n');
        }

        if (calendar.LastTermEnd is { } lastEnd)
        {
            sb.Append(CultureInfo.InvariantCulture, $"The listed terms end on {SchoolClock.Uk(lastEnd)}.\n");
        }

        return sb.ToString();
    }

    private static string Span(DateOnly a, DateOnly b) =>
        a == b ? $"{Day(a)}".PadRight(31) : $"{Day(a)} to {Day(b)}".PadRight(31);

    private static string Day(DateOnly d) => $"{d.ToString("ddd", CultureInfo.GetCultureInfo("en-GB"))} {SchoolClock.Uk(d)}";

    private static DateOnly? ParseDate(string? text) =>
        text is not null && DateOnly.TryParseExact(text.Trim(), ["yyyy-MM-dd", "dd/MM/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
