using System.Globalization;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy.Model;

namespace Brightline.Sanctions;

/// <summary>
/// How the school's policy says one sanction kind is used, measured from a given day on the school's calendar
/// (issue 15 part 6): its usual length and the end that gives (pre-filled on the impose form), its longest length and
/// the last day that allows, and whether parents are told. A length the calendar cannot measure (terms beyond the
/// listed ones) leaves its end null, and the messages say so rather than guess.
/// </summary>
public sealed record SanctionUse(
    SanctionKind Kind, CalendarDuration? Default, DateOnly? DefaultEnd, CalendarDuration? Max, DateOnly? MaxEnd, TellParents TellParents)
{
    /// <summary>The time of day a sanction measured in days or terms ends: the end of its last day.</summary>
    public static readonly TimeOnly EndOfDay = new(23, 59);

    public static SanctionUse None(SanctionKind kind) => new(kind, null, null, null, null, TellParents.Never);

    public static SanctionUse From(SanctionKindPolicy? settings, SanctionKind kind, AcademicCalendar calendar, DateOnly today) => settings is null
        ? None(kind)
        : new SanctionUse(kind, settings.DefaultLength, settings.DefaultLength?.EndFrom(today, calendar),
            settings.MaxLength, settings.MaxLength?.EndFrom(today, calendar), settings.TellParents);

    /// <summary>The usual end as the impose form's field takes it ("09/12/2026 23:59"); null when there is none.</summary>
    public string? DefaultEndText => DefaultEnd is { } d ? $"{SchoolClock.Uk(d)} {EndOfDay.ToString("HH:mm", CultureInfo.InvariantCulture)}" : null;

    /// <summary>Why <paramref name="ends"/> is too long under the policy's maximum; null when it is allowed (or there is no maximum).</summary>
    public string? LengthProblem(DateTimeOffset? ends)
    {
        if (Max is not { } max)
        {
            return null;
        }

        var title = SanctionText.Title(Kind);
        if (MaxEnd is not { } last)
        {
            return $"The school's policy limits '{title}' to {max}, but the school calendar does not list the terms that far ahead, so the limit cannot be measured. Ask the policy owner to add the coming terms to the calendar.";
        }

        if (ends is not { } end)
        {
            return $"The school's policy limits '{title}' to {max}: give an end on or before {UkFormat.Long(last)} ({SchoolClock.Uk(last)}).";
        }

        return SchoolClock.DateOf(end) > last
            ? $"The school's policy limits '{title}' to {max}: the end must be on or before {UkFormat.Long(last)} ({SchoolClock.Uk(last)}), not {UkFormat.ShortDateTime(end)}."
            : null;
    }

    /// <summary>A line for the form: "Usually 2 weeks (to 09/12/2026); at most 1 term (to 18/12/2026). Parents are sent a letter."</summary>
    public string? Describe()
    {
        var parts = new List<string>();
        if (Default is { } d)
        {
            parts.Add(DefaultEnd is { } de ? $"usually {d} (to {SchoolClock.Uk(de)})" : $"usually {d}");
        }

        if (Max is { } m)
        {
            parts.Add(MaxEnd is { } me ? $"at most {m} (to {SchoolClock.Uk(me)})" : $"at most {m}");
        }

        var text = parts.Count == 0 ? "" : char.ToUpperInvariant(parts[0][0]) + string.Join("; ", parts)[1..] + ".";
        var parents = TellParents switch
        {
            TellParents.Always => "Parents are sent a letter.",
            TellParents.Offer => "You will be offered a letter to parents.",
            TellParents.Never or _ => "",
        };
        var all = string.Join(" ", new[] { text, parents }.Where(t => t.Length > 0));
        return all.Length == 0 ? null : all;
    }
}
