using Brightline.Policies;
using System.Globalization;
using Person = Brightline.Data.Entities.Person;
using Brightline.People;
using Brightline.Policy.Model;

using Brightline.Filtering;

namespace Brightline.WebFiltering;

/// <summary>
/// The one code path behind <c>brightline filter test</c> and the portal's "Test a URL as …" page:
/// parse the school-local time, resolve a group or person to profiles, and explain the decision.
/// </summary>
public static class FilterTester
{
    private static readonly CultureInfo s_uk = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>Formats accepted for a school-local date and time.</summary>
    public static readonly string[] LocalFormats = ["dd/MM/yyyy HH:mm", "d/M/yyyy HH:mm", "dd/MM/yyyy H:mm", "yyyy-MM-dd HH:mm"];

    /// <summary>"25/11/2026 14:00" (school time) → UTC; false when it is not such a date and time.</summary>
    public static bool TryParseLocal(string text, TimeZoneInfo zone, out DateTimeOffset utc)
    {
        if (!DateTime.TryParseExact(text.Trim(), LocalFormats, s_uk, DateTimeStyles.None, out var local))
        {
            utc = default;
            return false;
        }

        utc = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        return true;
    }

    public static FilterTestSubject ForGroup(SchoolFilter filter, Group group) =>
        new($"group '{group.Id}' ({group.Name})", filter.ProfilesFor([group.Id]));

    public static FilterTestSubject ForPerson(SchoolFilter filter, Person person)
    {
        var groups = PersonGroups.For(filter.Policy, person).Select(g => g.Id).ToList();
        return new($"{person.FullName} ({person.ExternalId}), groups {string.Join(", ", groups)}", filter.ProfilesFor(groups));
    }

    /// <summary>Explains how <paramref name="target"/> (a URL or a host name) is decided for <paramref name="subject"/> at <paramref name="when"/>.</summary>
    public static FilterTestResult Test(SchoolFilter filter, string target, FilterTestSubject subject, DateTimeOffset when)
    {
        target = target.Trim();
        var request = target.Contains("://", StringComparison.Ordinal)
            ? FilterRequest.ForUrl(subject.Profiles, target, when)
            : new FilterRequest(subject.Profiles, target, when);
        var decision = filter.Engine.Explain(request);
        var zone = filter.Engine.Current.Options.TimeZone;
        return new FilterTestResult(target, subject, TimeZoneInfo.ConvertTime(when, zone), decision, filter.Problems);
    }
}
