using System.Globalization;
using Brightline.Policy.Model;

namespace Brightline.LostProperty;

/// <summary>
/// How long a found device is held once the custodian has it (H15: "held in lost property for no longer than one
/// term"). With <c>hold_terms: N</c> and a calendar that has terms, the hold ends on the last day of the N-th term
/// counting the term it was handed in (a device handed in during a holiday counts from the next term): so one term
/// means "until the end of this term", which never exceeds one term. A calendar with no term covering that date,
/// or a policy that sets days, holds for <c>hold_days</c> days instead.
/// </summary>
public static class HoldPeriod
{
    public static (DateOnly Until, string Rule) Compute(LostPropertyPolicy rule, AcademicCalendar calendar, DateOnly receivedOn)
    {
        // The policy's own words ("half a term") when it counts half terms; the term count otherwise (CalendarDuration
        // documents how a term is measured: to the end of the N-th term counting the current one).
        CalendarDuration? measure = rule.Hold is { Unit: CalendarUnit.HalfTerms } half ? half
            : rule.HoldTerms is { } terms && terms > 0 ? new CalendarDuration(terms, CalendarUnit.Terms)
            : null;
        if (measure is { } m && m.EndFrom(receivedOn, calendar) is { } end)
        {
            return (end, string.Create(CultureInfo.InvariantCulture, $"until the end of {m.EndName(receivedOn, calendar)} ({m})"));
        }

        var days = Math.Max(1, rule.HoldDays);
        return (receivedOn.AddDays(days), string.Create(CultureInfo.InvariantCulture, $"{days} days"));
    }
}
