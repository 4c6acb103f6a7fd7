using Brightline.Monitoring;
using Brightline.Policy.Model;

namespace Brightline.Safeguarding;

/// <summary>
/// The policy's <c>monitoring:</c> section (<see cref="MonitoringPolicy"/>, typed and checked by the policy library)
/// in the units the alert pipeline works in. The keys are listed in docs/monitoring.md.
/// </summary>
public sealed record MonitoringSettings
{
    public const string DefaultNotice =
        "This device is monitored. The school checks what is typed, searched and viewed on its computers to keep everyone safe, "
        + "as its acceptable use policy says. There is no expectation of privacy on school systems.";

    /// <summary>Category score at which an alert is raised at least to each severity (the hits' own severity may be higher).</summary>
    public required int LowScore { get; init; }
    public required int MediumScore { get; init; }
    public required int HighScore { get; init; }
    public required int CriticalScore { get; init; }

    /// <summary>Repeated hits of one person in one category within this window join one open alert.</summary>
    public required TimeSpan GroupWindow { get; init; }

    /// <summary>Roles emailed at once about a critical alert.</summary>
    public required IReadOnlyList<string> Immediate { get; init; }

    /// <summary>Ranked roles a critical alert goes to, one step per <see cref="EscalateAfter"/> while nobody opens it.</summary>
    public required IReadOnlyList<string> Escalation { get; init; }

    public required TimeSpan EscalateAfter { get; init; }

    /// <summary>Portal roles that may see captured content (matched text in context, screenshots) and the queue.</summary>
    public required IReadOnlyList<string> Viewers { get; init; }

    /// <summary>How long captured content (event text, alert context, screenshots) is kept (O9: 45 days).</summary>
    public required TimeSpan Retention { get; init; }

    /// <summary>Day of the weekly digest (C10), in UK local time.</summary>
    public required DayOfWeek DigestDay { get; init; }

    /// <summary>Time of the weekly digest, in UK local time.</summary>
    public required TimeOnly DigestTime { get; init; }

    /// <summary>Roles sent the weekly digest.</summary>
    public required IReadOnlyList<string> DigestRoles { get; init; }

    /// <summary>The text devices show their users.</summary>
    public required string Notice { get; init; }

    /// <summary>Host names (with their subdomains) never captured: visits, searches and typed text alike (policy <c>monitoring: excluded_sites</c>).</summary>
    public required IReadOnlyList<string> ExcludedSites { get; init; }

    /// <summary>Per-category routing (policy <c>monitoring.categories</c>): who is emailed about, and who may see, one category's alerts (H12).</summary>
    public required IReadOnlyDictionary<string, MonitoringCategoryRoute> Categories { get; init; }

    /// <summary>The categories whose alerts (and only those) a viewer holding one of <paramref name="hasRole"/>'s roles may see.</summary>
    public IReadOnlySet<string> CategoriesViewableBy(Func<string, bool> hasRole) =>
        Categories.Where(c => c.Value.Viewers.Any(hasRole)).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>True when <paramref name="url"/> is on an excluded site; a URL that is not absolute is on none.</summary>
    public bool Excludes(string? url) =>
        ExcludedSites.Count > 0 && url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && ExcludedSite.Matches(ExcludedSites, uri.Host);

    public Severity SeverityFor(int score, Severity hitSeverity)
    {
        var byScore = score >= CriticalScore ? Severity.Critical
            : score >= HighScore ? Severity.High
            : score >= MediumScore ? Severity.Medium
            : Severity.Low;
        return byScore > hitSeverity ? byScore : hitSeverity;
    }

    /// <summary>The policy's typed <c>monitoring:</c> section as the alert pipeline uses it; the notice defaults to the monitoring rule.</summary>
    public static MonitoringSettings From(SchoolPolicy policy)
    {
        var m = policy.Monitoring;
        return new MonitoringSettings
        {
            LowScore = m.Thresholds.Low,
            MediumScore = m.Thresholds.Medium,
            HighScore = m.Thresholds.High,
            CriticalScore = m.Thresholds.Critical,
            GroupWindow = TimeSpan.FromMinutes(m.GroupMinutes),
            Immediate = m.Immediate,
            Escalation = m.Escalation,
            EscalateAfter = TimeSpan.FromMinutes(m.EscalateAfterMinutes),
            Viewers = m.Viewers,
            Retention = TimeSpan.FromDays(m.RetentionDays),
            DigestDay = m.Digest.Day,
            DigestTime = m.Digest.Time,
            DigestRoles = m.Digest.Roles,
            Notice = m.Notice ?? NoticeFromRules(policy) ?? DefaultNotice,
            ExcludedSites = m.ExcludedSites,
            Categories = m.Categories,
        };
    }

    private static string? NoticeFromRules(SchoolPolicy policy)
    {
        var rule = policy.Rules.FirstOrDefault(r => r.Kind == RuleKind.Monitoring);
        return rule is null ? null : $"{rule.Text} ({policy.School.Name}, acceptable use policy, rule {rule.Id}.)";
    }
}
