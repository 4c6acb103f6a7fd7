namespace Brightline.Policy.Model;

/// <summary>A character class a password rule can require (<c>require:</c>).</summary>
public enum PasswordCharClass
{
    Lower,
    Upper,
    Digit,
    Symbol,
}

/// <summary>What a password rule refuses (<c>reject:</c>; F3: "not common or the school's or a staff member's name").</summary>
public enum PasswordRejection
{
    /// <summary>A common password (the shipped list), also with trailing digits and symbols removed ("Summer2024!").</summary>
    Common,
    /// <summary>The school's name, or a word of it ("Westfield2025!").</summary>
    SchoolName,
    /// <summary>The account holder's own given or family name, or the name part of their email address.</summary>
    OwnName,
    /// <summary>The given or family name of any member of staff at the school (F3).</summary>
    StaffNames,
}

/// <summary>The unit of a password's maximum age.</summary>
public enum PasswordAgeUnit
{
    Days,
    /// <summary>Counted on <c>school.calendar.terms</c>: each term's halves (before and after its half-term break) (C16).</summary>
    HalfTerms,
    /// <summary>Counted on <c>school.calendar.terms</c>.</summary>
    Terms,
}

/// <summary>"90 days", "1 half term", "2 terms".</summary>
public sealed record PasswordMaxAge(int Count, PasswordAgeUnit Unit)
{
    public override string ToString() => Unit switch
    {
        PasswordAgeUnit.Days => Count == 1 ? "1 day" : $"{Count} days",
        PasswordAgeUnit.HalfTerms => Count == 1 ? "1 half term" : $"{Count} half terms",
        PasswordAgeUnit.Terms => Count == 1 ? "1 term" : $"{Count} terms",
        _ => $"{Count} {Unit}",
    };

    /// <summary>
    /// The first day on which a password changed on <paramref name="changedOn"/> is too old. A half term (or term)
    /// ends when the next half term (or term) starts: a password changed at any point of the autumn term's first half
    /// must be changed on the first day back after the October half term (C16). A change made during a holiday counts
    /// for the half term that follows it. Measured with <see cref="CalendarDuration"/> (the same count as every other
    /// "N half terms" in the policy); beyond the calendar's last listed term the period is counted in days (a half term
    /// as 7 weeks, a term as 14 weeks), so an out-of-date calendar never leaves a password unexpired for ever.
    /// </summary>
    public DateOnly ExpiresOn(DateOnly changedOn, AcademicCalendar calendar)
    {
        if (Unit == PasswordAgeUnit.Days)
        {
            return changedOn.AddDays(Count);
        }

        var halves = Unit == PasswordAgeUnit.HalfTerms;
        var duration = new CalendarDuration(Count, halves ? CalendarUnit.HalfTerms : CalendarUnit.Terms);
        if (duration.EndFrom(changedOn, calendar) is { } lastDay)
        {
            var next = halves
                ? calendar.NextHalfTermBoundary(lastDay)
                : calendar.OrderedTerms.Where(t => t.Start > lastDay).Select(t => (DateOnly?)t.Start).FirstOrDefault();
            if (next is { } firstDayTooOld)
            {
                return firstDayTooOld;
            }
        }

        return changedOn.AddDays((halves ? 49 : 98) * Count);
    }
}

/// <summary>What happens when someone says their password may be compromised (F3: "change at once and tell the IT provider + Head/SBM").</summary>
public sealed record PasswordCompromise
{
    /// <summary>Policy role keys told, in addition to the register's own list.</summary>
    public IReadOnlyList<string> Notify { get; init; } = [];
    /// <summary>The incident register (a key of <c>incidents.kinds</c>) the report is recorded in.</summary>
    public string Register { get; init; } = IncidentKindKeys.Security;
}

/// <summary>One rule of the <c>passwords:</c> section: the groups it is for (empty = the default rule) and what it asks.</summary>
public sealed record PasswordRule
{
    /// <summary>Group IDs; empty for the default rule (accounts whose person is in no listed group, or who have no person).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];
    public int MinLength { get; init; } = 12;
    /// <summary>The built-in rule's "at least 5 different characters"; a policy rule leaves it at 1.</summary>
    public int MinUniqueChars { get; init; } = 1;
    public IReadOnlyList<PasswordCharClass> Require { get; init; } = [];
    public IReadOnlyList<PasswordRejection> Reject { get; init; } = [];
    /// <summary>How many earlier passwords may not be used again (the current one included); 0 = no check.</summary>
    public int Remember { get; init; }
    /// <summary><c>remember: all</c>: no password this account ever had (F3: "never reused").</summary>
    public bool RememberAll { get; init; }
    public PasswordMaxAge? MaxAge { get; init; }
    /// <summary>Days before expiry from which the portal shows "Your password expires on …".</summary>
    public int WarnBeforeDays { get; init; } = 14;
    public PasswordCompromise? Compromised { get; init; }
    /// <summary>Requirement IDs the rule implements (F3, C16, H13).</summary>
    public IReadOnlyList<string> Requirements { get; init; } = [];
    /// <summary>True only for <see cref="BuiltIn"/>: the portal's rules before a policy had a <c>passwords:</c> section.</summary>
    public bool IsBuiltIn { get; init; }

    /// <summary>What the portal asks when the policy has no <c>passwords:</c> section (or no rule for an account): 12 characters, 5 different, not guessable.</summary>
    public static readonly PasswordRule BuiltIn = new() { MinLength = 12, MinUniqueChars = 5, Reject = [PasswordRejection.Common], IsBuiltIn = true };
}

/// <summary>The policy's <c>passwords:</c> section (issue 15; F3, C16, H13). Empty = the built-in rule for everyone.</summary>
public sealed record PasswordsPolicy
{
    public IReadOnlyList<PasswordRule> Rules { get; init; } = [];

    /// <summary>
    /// The rules for someone in <paramref name="groupIds"/>: every rule naming one of their groups, otherwise the
    /// default rule, otherwise the built-in rule. A person in two groups with different rules meets both.
    /// </summary>
    public IReadOnlyList<PasswordRule> For(IReadOnlyCollection<string> groupIds)
    {
        var matched = Rules.Where(r => r.Groups.Count > 0 && r.Groups.Any(groupIds.Contains)).ToList();
        if (matched.Count > 0)
        {
            return matched;
        }

        return [Rules.FirstOrDefault(r => r.Groups.Count == 0) ?? PasswordRule.BuiltIn];
    }
}
