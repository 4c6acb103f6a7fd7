namespace Brightline.Filtering;

/// <summary>Which dates a schedule applies on, in addition to its days of the week.</summary>
public enum DayFilter
{
    /// <summary>Any date.</summary>
    AnyDay,

    /// <summary>Only school days (per the snapshot's <see cref="SchoolCalendar"/>).</summary>
    SchoolDays,

    /// <summary>Only dates that are not school days (weekends, holidays, closures).</summary>
    NonSchoolDays,
}

/// <summary>A local-time window [Start, End). End before Start wraps past midnight; Start equal to End is the whole day.</summary>
public sealed record TimeWindow(TimeOnly Start, TimeOnly End)
{
    /// <summary>The whole day.</summary>
    public static TimeWindow WholeDay { get; } = new(TimeOnly.MinValue, TimeOnly.MinValue);

    /// <summary>Whether <paramref name="time"/> falls in the window.</summary>
    public bool Contains(TimeOnly time)
    {
        if (Start == End)
        {
            return true;
        }

        return Start < End ? time >= Start && time < End : time >= Start || time < End;
    }
}

/// <summary>
/// A time-based change to a profile: while active (local day of week, optional school-day filter,
/// any of the time windows) it blocks extra categories, unblocks categories, or blocks everything
/// not on an allow list. Days and windows are evaluated against the local date and time of the request.
/// </summary>
public sealed record FilterSchedule
{
    /// <summary>Name used in traces (e.g. <c>teaching-hours</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Days of the week; default every day.</summary>
    public IReadOnlyList<DayOfWeek> Days { get; init; } = Enum.GetValues<DayOfWeek>();

    /// <summary>Time windows; default the whole day.</summary>
    public IReadOnlyList<TimeWindow> Windows { get; init; } = [TimeWindow.WholeDay];

    /// <summary>School-day filter.</summary>
    public DayFilter DayFilter { get; init; } = DayFilter.AnyDay;

    /// <summary>Categories blocked while active.</summary>
    public CategorySet Block { get; init; }

    /// <summary>Categories unblocked while active (never illegal ones). If another active schedule blocks the same category, the block wins.</summary>
    public CategorySet Unblock { get; init; }

    /// <summary>While active, everything not on the profile's allow list is blocked (e.g. internet off overnight).</summary>
    public bool BlockAll { get; init; }

    /// <summary>Whether the schedule is active at local time <paramref name="local"/>.</summary>
    public bool IsActive(DateTime local, SchoolCalendar calendar)
    {
        // Indexed loops: foreach over an IReadOnlyList would allocate an enumerator on the hot path.
        var day = local.DayOfWeek;
        var dayMatch = false;
        for (var i = 0; i < Days.Count; i++)
        {
            dayMatch |= Days[i] == day;
        }

        if (!dayMatch)
        {
            return false;
        }

        switch (DayFilter)
        {
            case DayFilter.AnyDay:
                break;
            case DayFilter.SchoolDays:
                if (!calendar.IsSchoolDay(DateOnly.FromDateTime(local)))
                {
                    return false;
                }

                break;
            case DayFilter.NonSchoolDays:
                if (calendar.IsSchoolDay(DateOnly.FromDateTime(local)))
                {
                    return false;
                }

                break;
            default:
                return false;
        }

        var time = TimeOnly.FromDateTime(local);
        for (var i = 0; i < Windows.Count; i++)
        {
            if (Windows[i].Contains(time))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>An inclusive range of dates.</summary>
public sealed record DateRange(DateOnly First, DateOnly Last)
{
    /// <summary>Whether <paramref name="date"/> is in the range.</summary>
    public bool Contains(DateOnly date) => date >= First && date <= Last;
}

/// <summary>
/// Which dates are school days. Without terms, every Monday to Friday is a school day; with terms,
/// a school day is a Monday to Friday inside a term and not a closure (INSET day, bank holiday).
/// The host builds it from the policy's calendar.
/// </summary>
public sealed class SchoolCalendar
{
    private readonly DateRange[] _terms;
    private readonly HashSet<DateOnly> _closures;
    private readonly Func<DateOnly, bool>? _isSchoolDay;

    /// <summary>Creates a calendar.</summary>
    public SchoolCalendar(IEnumerable<DateRange>? terms = null, IEnumerable<DateOnly>? closures = null)
    {
        _terms = terms?.ToArray() ?? [];
        _closures = closures is null ? [] : [.. closures];
    }

    /// <summary>
    /// A calendar that asks the host which dates are school days (the policy's calendar knows bank holidays for any
    /// year, which no precomputed list could). The function must be thread-safe and cheap: schedules call it per request.
    /// </summary>
    public SchoolCalendar(Func<DateOnly, bool> isSchoolDay)
    {
        ArgumentNullException.ThrowIfNull(isSchoolDay);
        _terms = [];
        _closures = [];
        _isSchoolDay = isSchoolDay;
    }

    /// <summary>Every weekday is a school day.</summary>
    public static SchoolCalendar WeekdaysOnly { get; } = new();

    /// <summary>Whether <paramref name="date"/> is a school day.</summary>
    public bool IsSchoolDay(DateOnly date)
    {
        if (_isSchoolDay is not null)
        {
            return _isSchoolDay(date);
        }

        if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || _closures.Contains(date))
        {
            return false;
        }

        if (_terms.Length == 0)
        {
            return true;
        }

        foreach (var term in _terms)
        {
            if (term.Contains(date))
            {
                return true;
            }
        }

        return false;
    }
}
