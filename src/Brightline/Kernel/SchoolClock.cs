namespace Brightline.Kernel;

/// <summary>Dates as the school sees them: schools in Brightline are in the UK, so "today" is London's today.</summary>
public static class SchoolClock
{
    private static readonly TimeZoneInfo s_london = FindLondon();

    /// <summary>The school's time zone (London), for rules written in school local time.</summary>
    public static TimeZoneInfo Zone => s_london;

    public static DateOnly Today(TimeProvider time) => DateOf(time.GetUtcNow());

    public static DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, s_london).DateTime);

    /// <summary>The UTC instant of a UK wall-clock time (typed on a form, or the start of a day a filter names).</summary>
    public static DateTimeOffset FromUk(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, s_london.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>Midnight at the start of a UK calendar day, as a UTC instant (for "from … to …" filters and report periods).</summary>
    public static DateTimeOffset StartOf(DateOnly day) => FromUk(day.ToDateTime(TimeOnly.MinValue));

    /// <summary>25/11/2026 — how a UK school writes a date.</summary>
    public static string Uk(DateOnly date) => date.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);

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
