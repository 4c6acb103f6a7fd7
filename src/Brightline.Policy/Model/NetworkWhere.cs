using System.Globalization;
using Brightline.Policy.Validation;

namespace Brightline.Policy.Model;

/// <summary>
/// The location rules, in one place for the three that use them — the RADIUS answer, the DNS filter and
/// <c>brightline filter test --where</c> — so they can never disagree: whether a network (with its location) is open to
/// a person's groups now, when that next changes, the words for a refusal, and which filtering profile applies there.
/// </summary>
public static class NetworkWhere
{
    /// <summary>How far ahead the next opening or closing is looked for; the Session-Timeout cap is far shorter.</summary>
    private const int DaysAhead = 8;

    private static readonly CultureInfo s_uk = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>
    /// A network or location by name, for <c>--where</c>: the network (and its location) or the location alone; an unknown
    /// name gives the error in words with a "did you mean" — never a silent default.
    /// </summary>
    public static (SchoolNetwork? Network, NetworkLocation? Location, string? Error) FindPlace(NetworkPolicy policy, string name)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.FindNetwork(name) is { } network)
        {
            return (network, policy.FindLocation(network.Location), null);
        }

        if (policy.FindLocation(name) is { } location)
        {
            return (null, location, null);
        }

        var known = policy.Networks.Select(n => n.Name).Concat(policy.Locations.Select(l => l.Name)).ToList();
        return (null, null, known.Count == 0
            ? $"'{name}' is not a network or location: the policy's network section names none."
            : $"'{name}' is not a network or location in the policy ({string.Join(", ", known)}){(Suggest.Hint(name, known) is { Length: > 0 } hint ? hint : ".")}");
    }

    /// <summary>Whether the place is open to someone in <paramref name="groups"/> at <paramref name="now"/>, and what applies there.</summary>
    public static WhereAnswer Evaluate(SchoolPolicy policy, SchoolNetwork? network, NetworkLocation? location, IReadOnlyCollection<string> groups,
        DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(zone);
        var places = new List<(string Place, List<Interval> Open)>();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        foreach (var (place, hours) in new[] { (Label(network), network?.Hours), (LocationLabel(location), location?.Hours) })
        {
            var applicable = (hours ?? []).Where(h => h.Groups.Count == 0 || h.Groups.Any(groups.Contains)).ToList();
            if (applicable.Count > 0)
            {
                places.Add((place!, Intervals(applicable, policy.School.Calendar, today, zone)));
            }
        }

        var profile = location is null ? null : ProfileAt(location, policy.School.Calendar, groups, now, zone);
        if (places.Count == 0)
        {
            return new WhereAnswer(true, null, null, profile?.Profile, Explain(network, location, "no opening hours limit this person here", profile));
        }

        bool OpenAt(DateTimeOffset t) => places.All(p => p.Open.Any(i => i.Start <= t && t < i.End));
        var boundaries = places.SelectMany(p => p.Open).SelectMany(i => new[] { i.Start, i.End }).Distinct().Order().ToList();
        var open = OpenAt(now);
        var next = boundaries.Where(b => b > now).Cast<DateTimeOffset?>().FirstOrDefault(b => OpenAt(b!.Value) != open);
        if (open)
        {
            var until = next is { } n ? $"open until {Clock(n, today, zone)}" : "open";
            return new WhereAnswer(true, next, null, profile?.Profile, Explain(network, location, until, profile));
        }

        // Closed: say when it closed (the window that ended last, in its own words) and when it opens.
        var closedBy = places.First(p => !p.Open.Any(i => i.Start <= now && now < i.End));
        var lastClose = closedBy.Open.Where(i => i.End <= now).OrderByDescending(i => i.End).FirstOrDefault();
        var closes = lastClose is null ? "it is not open to this account's group at this time" : $"it closes at {Hm(lastClose.End, zone)} on {lastClose.Words}";
        var opens = next is { } o ? $"; opens at {Clock(o, today, zone)}" : "; no opening in the next week";
        var words = $"{closedBy.Place} is closed now: {closes}{opens}";
        return new WhereAnswer(false, next, words, profile?.Profile, Explain(network, location, "CLOSED to this person: " + words, profile));
    }

    /// <summary>The first filtering line of the location that applies to the groups now; null = their own profiles.</summary>
    public static LocationProfile? ProfileAt(NetworkLocation location, AcademicCalendar calendar, IReadOnlyCollection<string> groups, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(location);
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var today = DateOnly.FromDateTime(local);
        foreach (var rule in location.Filtering)
        {
            if (!rule.Groups.Any(groups.Contains))
            {
                continue;
            }

            if (rule.Window is null)
            {
                if (DayMatches(rule.Days, rule.On, today, calendar))
                {
                    return rule;
                }

                continue;
            }

            // A window past midnight belongs to the day it starts on: 01:00 Saturday is in Friday's 19:00–02:00.
            foreach (var day in new[] { today, today.AddDays(-1) })
            {
                if (!DayMatches(rule.Days, rule.On, day, calendar))
                {
                    continue;
                }

                var start = day.ToDateTime(rule.Window.From);
                var end = (rule.Window.To <= rule.Window.From ? day.AddDays(1) : day).ToDateTime(rule.Window.To);
                if (start <= local && local < end)
                {
                    return rule;
                }
            }
        }

        return null;
    }

    private static string Explain(SchoolNetwork? network, NetworkLocation? location, string hours, LocationProfile? profile)
    {
        var where = (network, location) switch
        {
            ({ } n, { } l) => $"network '{n.Name}' at location '{l.Name}'",
            ({ } n, null) => $"network '{n.Name}'",
            (null, { } l) => $"location '{l.Name}'",
            _ => "nowhere known",
        };
        var filtering = profile is null
            ? "their own profiles (no filtering line of the location applies)"
            : $"the '{profile.Profile}' profile (location '{location!.Name}' filters {string.Join(", ", profile.Groups)} by it{(profile.Window is { } w ? $" {w.From:HH\\:mm}–{w.To:HH\\:mm}" : "")})";
        return $"{where}: {hours}; filtered by {filtering}";
    }

    private static string? Label(SchoolNetwork? network) => network is null ? null : $"the network '{network.Name}'";

    private static string? LocationLabel(NetworkLocation? location) => location is null ? null : $"the {location.Name} network";

    private sealed record Interval(DateTimeOffset Start, DateTimeOffset End, string Words);

    private static List<Interval> Intervals(List<NetworkHours> hours, AcademicCalendar calendar, DateOnly today, TimeZoneInfo zone)
    {
        var list = new List<Interval>();
        for (var d = today.AddDays(-DaysAhead); d <= today.AddDays(DaysAhead); d = d.AddDays(1))
        {
            foreach (var h in hours)
            {
                if (!DayMatches(h.Days, h.On, d, calendar))
                {
                    continue;
                }

                var endDay = h.Window.To <= h.Window.From ? d.AddDays(1) : d;
                list.Add(new Interval(Utc(d.ToDateTime(h.Window.From), zone), Utc(endDay.ToDateTime(h.Window.To), zone), h.Name ?? DayWords(h)));
            }
        }

        return list;
    }

    private static DateTimeOffset Utc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1); // the hour the clocks skip in spring
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static bool DayMatches(IReadOnlyList<DayOfWeek> days, ScheduleDays on, DateOnly day, AcademicCalendar calendar)
    {
        if (days.Count > 0 && !days.Contains(day.DayOfWeek))
        {
            return false;
        }

        return on switch
        {
            ScheduleDays.SchoolDays => IsSchoolDay(day, calendar),
            ScheduleDays.NonSchoolDays => !IsSchoolDay(day, calendar),
            ScheduleDays.AnyDay => true,
            _ => true,
        };
    }

    /// <summary>As the filter's schedules read it (issue 15): <see cref="AcademicCalendar.IsSchoolDay"/> — terms, half terms, INSET days, closures, bank holidays.</summary>
    public static bool IsSchoolDay(DateOnly day, AcademicCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return calendar.IsSchoolDay(day);
    }

    private static string DayWords(NetworkHours h)
    {
        var days = h.Days.Count == 0 || h.Days.Count == 7 ? null
            : h.Days.Count == 5 && !h.Days.Contains(DayOfWeek.Saturday) && !h.Days.Contains(DayOfWeek.Sunday) ? "weekdays"
            : string.Join(", ", h.Days.Select(d => s_uk.DateTimeFormat.GetDayName(d) + "s"));
        return (days, h.On) switch
        {
            (null, ScheduleDays.SchoolDays) => "school days",
            (null, ScheduleDays.NonSchoolDays) => "days that are not school days",
            (null, _) => "every day",
            (_, ScheduleDays.SchoolDays) => $"{days} that are school days",
            (_, ScheduleDays.NonSchoolDays) => $"{days} that are not school days",
            _ => days,
        };
    }

    private static string Hm(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone).ToString("HH:mm", s_uk);

    /// <summary>"07:00", "07:00 tomorrow" or "07:00 on Monday 7 December".</summary>
    private static string Clock(DateTimeOffset at, DateOnly today, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        var hm = local.ToString("HH:mm", s_uk);
        return day == today ? hm : day == today.AddDays(1) ? $"{hm} tomorrow" : $"{hm} on {local.ToString("dddd d MMMM", s_uk)}";
    }
}

/// <summary>
/// The location rules' answer for one person at one place and moment: open or not, the next moment that changes
/// (a Session-Timeout ends there), the refusal's words when closed, the profile group the location puts them on (null:
/// their own), and a one-line explanation for <c>filter test --where</c>.
/// </summary>
public sealed record WhereAnswer(bool Open, DateTimeOffset? NextChange, string? ClosedWords, string? ProfileGroup, string Explanation);
