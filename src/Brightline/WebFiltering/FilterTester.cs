using System.Globalization;
using Brightline.Filtering;
using Brightline.Policies;
using Brightline.Policy.Model;
using Person = Brightline.Data.Entities.Person;

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
        new($"group '{group.Id}' ({group.Name})", filter.ProfilesFor([group.Id])) { Groups = [group.Id] };

    public static FilterTestSubject ForPerson(SchoolFilter filter, Person person)
    {
        var groups = PersonGroups.For(filter.Policy, person).Select(g => g.Id).ToList();
        return new($"{person.FullName} ({person.ExternalId}), groups {string.Join(", ", groups)}", filter.ProfilesFor(groups)) { Groups = groups };
    }

    /// <summary>
    /// <see cref="ForPerson(SchoolFilter, Person)"/> with the person's exemptions in force at <paramref name="when"/> (O3, W4),
    /// so the trace shows the approval that relaxed a category or rule, and an expired one no longer does.
    /// </summary>
    public static async Task<FilterTestSubject> ForPersonAsync(SchoolFilter filter, Person person, IFilterExemptions exemptions, DateTimeOffset when, CancellationToken cancellationToken) =>
        ForPerson(filter, person) with
        {
            Exemptions = await exemptions.ForPersonAsync(filter.Policy, filter.SchoolId, person.Id, when, cancellationToken),
        };

    /// <summary>
    /// <c>--where</c>: the subject on a network or at a location, by the same rules the DNS filter applies to a device
    /// RADIUS accounting placed there (<see cref="NetworkWhere"/>). An unknown name is an error with a "did you mean".
    /// </summary>
    public static FilterTestResult TestWhere(SchoolFilter filter, string target, FilterTestSubject subject, DateTimeOffset when, string where)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(subject);
        var (network, location, error) = NetworkWhere.FindPlace(filter.Policy.Network, where.Trim());
        if (error is not null)
        {
            throw new Kernel.InvalidException(error);
        }

        var answer = NetworkWhere.Evaluate(filter.Policy, network, location, subject.Groups, when, filter.Engine.Current.Options.TimeZone);
        var placed = answer.ProfileGroup is { } profile ? subject with { Profiles = filter.ProfilesFor([profile]) } : subject;
        var explanation = answer.Open
            ? answer.Explanation
            : $"{answer.Explanation}. The DNS filter blocks every name for a device there, and the RADIUS server refuses it";
        return Test(filter, target, placed, when) with { Where = explanation, Closed = !answer.Open };
    }

    /// <summary>Explains how <paramref name="target"/> (a URL or a host name) is decided for <paramref name="subject"/> at <paramref name="when"/>.</summary>
    public static FilterTestResult Test(SchoolFilter filter, string target, FilterTestSubject subject, DateTimeOffset when)
    {
        target = target.Trim();
        var request = target.Contains("://", StringComparison.Ordinal)
            ? FilterRequest.ForUrl(subject.Profiles, target, when, subject.Exemptions)
            : new FilterRequest(subject.Profiles, target, when) { Exemptions = subject.Exemptions };
        var decision = filter.Engine.Explain(request);
        var zone = filter.Engine.Current.Options.TimeZone;
        return new FilterTestResult(target, subject, TimeZoneInfo.ConvertTime(when, zone), decision, filter.Problems);
    }
}
