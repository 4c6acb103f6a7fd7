using Brightline.Kernel;
using Brightline.Policy.Model;
using Brightline.WebFiltering;

namespace Brightline.BrowserExtension;

/// <summary>
/// School hours as the policy already says them: a school day of the calendar (the filter's own reading of the terms,
/// half terms closed; Monday to Friday when no terms are listed) between <c>calendar.day_starts</c> and
/// <c>calendar.day_ends</c>, UK time. The tamper alerts count silence only inside these hours.
/// </summary>
public static class SchoolHours
{
    /// <summary>When today's school hours began and end, or null when <paramref name="at"/> is outside them.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? Around(SchoolPolicy policy, DateTimeOffset at)
    {
        var calendar = policy.School.Calendar;
        var day = SchoolClock.DateOf(at);
        if (!FilterCompiler.Calendar(calendar).IsSchoolDay(day))
        {
            return null;
        }

        var start = SchoolClock.FromUk(day.ToDateTime(calendar.DayStarts));
        var end = SchoolClock.FromUk(day.ToDateTime(calendar.DayEnds));
        return at >= start && at < end ? (start, end) : null;
    }
}
