using System.Globalization;

namespace Brightline.Kernel;

/// <summary>Dates and times as a UK school writes them ("25 November 2026", "25/11/2026 10:05").</summary>
public static class UkFormat
{
    private static readonly CultureInfo s_culture = CultureInfo.GetCultureInfo("en-GB");
    private static readonly TimeZoneInfo s_london = FindLondon();

    public static string Long(DateOnly date) => date.ToString("d MMMM yyyy", s_culture);

    public static string Long(DateOnly? date) => date is { } d ? Long(d) : "—";

    public static string Short(DateOnly date) => date.ToString("dd/MM/yyyy", s_culture);

    /// <summary>A moment in UK local time, so a signature made at 08:30 in summer reads 08:30, not 07:30.</summary>
    public static string DateTime(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, s_london).ToString("d MMMM yyyy, HH:mm", s_culture);

    /// <summary>The day of a moment in UK local time, dd/MM/yyyy: something done at 00:30 in summer is on that day, not the one before.</summary>
    public static string ShortDate(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, s_london).ToString("dd/MM/yyyy", s_culture);

    public static string ShortDateTime(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, s_london).ToString("dd/MM/yyyy HH:mm", s_culture);

    public static string Number(int n) => n.ToString("N0", s_culture);

    public static string Percent(int part, int whole) => whole == 0 ? "—" : (part * 100.0 / whole).ToString("0", s_culture) + "%";

    public static string Plural(int n, string one, string many) => $"{Number(n)} {(n == 1 ? one : many)}";

    private static TimeZoneInfo FindLondon()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
