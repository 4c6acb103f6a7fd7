using System.Collections.Concurrent;

namespace Brightline.Policy.Model;

/// <summary>Whose statutory bank holidays a school keeps (<c>school.calendar.bank_holidays</c>).</summary>
public enum BankHolidayRegion
{
    EnglandAndWales,
    Scotland,
    NorthernIreland,
    None,
}

/// <summary>One bank holiday: its date (after any substitution) and its name as gov.uk prints it.</summary>
public sealed record BankHoliday(DateOnly Date, string Name);

/// <summary>
/// The UK's bank holidays, computed from the standing rules (Banking and Financial Dealings Act 1971 and the yearly
/// proclamations' usual pattern) rather than a downloaded list, so the filter and the loan book work offline and for
/// any year:
/// <list type="bullet">
/// <item>everywhere: New Year's Day, Good Friday, the early May bank holiday (first Monday of May), the spring bank
/// holiday (last Monday of May), Christmas Day and Boxing Day;</item>
/// <item>England and Wales, and Northern Ireland: Easter Monday and the summer bank holiday (last Monday of August);</item>
/// <item>Scotland: 2 January, the summer bank holiday on the first Monday of August, and St Andrew's Day (30 November);</item>
/// <item>Northern Ireland: St Patrick's Day (17 March) and the Battle of the Boyne (12 July).</item>
/// </list>
/// A fixed-date holiday that falls on a Saturday or Sunday is replaced by a "substitute day": the next weekday that is
/// not already a bank holiday (so Christmas on a Saturday moves to Monday 27 and Boxing Day on the Sunday to Tuesday 28).
/// One-off changes by proclamation (the 2020 VE Day move, the 2022 Jubilee, the 2023 coronation) are not rules: a school
/// lists such days under <c>closures:</c>.
/// </summary>
public static class UkBankHolidays
{
    private static readonly ConcurrentDictionary<(BankHolidayRegion, int), IReadOnlyList<BankHoliday>> s_cache = new();

    /// <summary>
    /// Easter Sunday in the Gregorian calendar by the anonymous algorithm (Meeus/Jones/Butcher, published in Nature in
    /// 1876): the ecclesiastical full moon on or after 21 March from the 19-year Metonic cycle (a, h) with the century
    /// corrections for leap years (b, d, e) and for the moon's orbit (f, g), then the following Sunday (i, k, l); m moves
    /// the two exceptional cases. Integer division throughout; valid for every Gregorian year.
    /// </summary>
    public static DateOnly Easter(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var n = h + l - (7 * m) + 114;
        return new DateOnly(year, n / 31, (n % 31) + 1);
    }

    /// <summary>The bank holidays of <paramref name="region"/> in <paramref name="year"/>, in date order (cached per year).</summary>
    public static IReadOnlyList<BankHoliday> For(BankHolidayRegion region, int year) =>
        region == BankHolidayRegion.None || year is < 1 or > 9998 ? [] : s_cache.GetOrAdd((region, year), static key => Compute(key.Item1, key.Item2));

    /// <summary>The bank holiday on <paramref name="date"/>, or null.</summary>
    public static BankHoliday? On(BankHolidayRegion region, DateOnly date)
    {
        var list = For(region, date.Year);
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Date == date)
            {
                return list[i];
            }
        }

        return null;
    }

    /// <summary>The policy file's spelling of each region.</summary>
    public static readonly IReadOnlyDictionary<string, BankHolidayRegion> Spellings = new Dictionary<string, BankHolidayRegion>(StringComparer.Ordinal)
    {
        ["england-and-wales"] = BankHolidayRegion.EnglandAndWales,
        ["scotland"] = BankHolidayRegion.Scotland,
        ["northern-ireland"] = BankHolidayRegion.NorthernIreland,
        ["none"] = BankHolidayRegion.None,
    };

    /// <summary>"England and Wales", for messages and the calendar listing.</summary>
    public static string Describe(BankHolidayRegion region) => region switch
    {
        BankHolidayRegion.EnglandAndWales => "England and Wales",
        BankHolidayRegion.Scotland => "Scotland",
        BankHolidayRegion.NorthernIreland => "Northern Ireland",
        BankHolidayRegion.None or _ => "none",
    };

    private static List<BankHoliday> Compute(BankHolidayRegion region, int year)
    {
        var easter = Easter(year);
        var movable = new List<BankHoliday>
        {
            new(easter.AddDays(-2), "Good Friday"),
            new(FirstMonday(year, 5), "Early May bank holiday"),
            new(LastMonday(year, 5), "Spring bank holiday"),
        };

        // Fixed dates, in the order their substitutes are handed out (New Year's Day before 2 January, Christmas before Boxing Day).
        var fixedDates = new List<BankHoliday> { new(new DateOnly(year, 1, 1), "New Year's Day") };
        switch (region)
        {
            case BankHolidayRegion.Scotland:
                fixedDates.Add(new(new DateOnly(year, 1, 2), "2nd January"));
                movable.Add(new(FirstMonday(year, 8), "Summer bank holiday"));
                fixedDates.Add(new(new DateOnly(year, 11, 30), "St Andrew's Day"));
                break;
            case BankHolidayRegion.NorthernIreland:
                movable.Add(new(easter.AddDays(1), "Easter Monday"));
                movable.Add(new(LastMonday(year, 8), "Summer bank holiday"));
                fixedDates.Add(new(new DateOnly(year, 3, 17), "St Patrick's Day"));
                fixedDates.Add(new(new DateOnly(year, 7, 12), "Battle of the Boyne (Orangemen's Day)"));
                break;
            case BankHolidayRegion.EnglandAndWales:
            case BankHolidayRegion.None:
            default:
                movable.Add(new(easter.AddDays(1), "Easter Monday"));
                movable.Add(new(LastMonday(year, 8), "Summer bank holiday"));
                break;
        }

        fixedDates.Add(new(new DateOnly(year, 12, 25), "Christmas Day"));
        fixedDates.Add(new(new DateOnly(year, 12, 26), "Boxing Day"));

        // Holidays that fall on a weekday keep their day first, so a substitute never takes it (Christmas on a Sunday:
        // Boxing Day stays Monday 26 and Christmas's substitute is Tuesday 27, as gov.uk lists 2022).
        var result = new List<BankHoliday>(movable);
        var taken = new HashSet<DateOnly>(movable.Select(h => h.Date));
        foreach (var h in fixedDates.Where(h => !IsWeekend(h.Date)))
        {
            result.Add(h);
            taken.Add(h.Date);
        }

        foreach (var h in fixedDates.Where(h => IsWeekend(h.Date)))
        {
            var d = h.Date;
            while (IsWeekend(d) || taken.Contains(d))
            {
                d = d.AddDays(1);
            }

            result.Add(new BankHoliday(d, h.Name + " (substitute day)"));
            taken.Add(d);
        }

        return result.Where(h => h.Date.Year == year).OrderBy(h => h.Date).ToList();
    }

    private static bool IsWeekend(DateOnly d) => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    private static DateOnly FirstMonday(int year, int month)
    {
        var d = new DateOnly(year, month, 1);
        return d.AddDays(((int)DayOfWeek.Monday - (int)d.DayOfWeek + 7) % 7);
    }

    private static DateOnly LastMonday(int year, int month)
    {
        var d = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return d.AddDays(-(((int)d.DayOfWeek - (int)DayOfWeek.Monday + 7) % 7));
    }
}
