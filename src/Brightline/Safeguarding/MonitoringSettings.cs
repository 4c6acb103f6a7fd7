using System.Globalization;
using Brightline.Monitoring;
using Brightline.Policy.Model;
using Brightline.Portal;

namespace Brightline.Safeguarding;

/// <summary>
/// What the policy's free-form <c>monitoring:</c> section says about alerts, read with clear defaults
/// until the section gets a typed model. The keys read are listed in docs/monitoring.md.
/// </summary>
public sealed record MonitoringSettings
{
    public const string DefaultNotice =
        "This device is monitored. The school checks what is typed, searched and viewed on its computers to keep everyone safe, "
        + "as its acceptable use policy says. There is no expectation of privacy on school systems.";

    /// <summary>Category score at which an alert is raised at least to each severity (the hits' own severity may be higher).</summary>
    public int LowScore { get; init; } = 1;
    public int MediumScore { get; init; } = 40;
    public int HighScore { get; init; } = 120;
    public int CriticalScore { get; init; } = 240;

    /// <summary>Repeated hits of one person in one category within this window join one open alert.</summary>
    public TimeSpan GroupWindow { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Roles emailed at once about a critical alert.</summary>
    public IReadOnlyList<string> Immediate { get; init; } = [RoleKeys.Dsl, RoleKeys.DeputyDsl];

    /// <summary>Ranked roles a critical alert goes to, one step per <see cref="EscalateAfter"/> while nobody opens it.</summary>
    public IReadOnlyList<string> Escalation { get; init; } = [RoleKeys.Dsl, RoleKeys.DeputyDsl, RoleKeys.Head];

    public TimeSpan EscalateAfter { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Portal roles that may see captured content (matched text in context, screenshots) and the queue.</summary>
    public IReadOnlyList<string> Viewers { get; init; } = PortalRoles.MonitoringViewers;

    /// <summary>How long captured content (event text, alert context, screenshots) is kept (O9: 45 days).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(45);

    /// <summary>Day of the weekly digest (C10), in UK local time.</summary>
    public DayOfWeek DigestDay { get; init; } = DayOfWeek.Friday;

    /// <summary>Time of the weekly digest, in UK local time.</summary>
    public TimeOnly DigestTime { get; init; } = new(16, 0);

    /// <summary>Roles sent the weekly digest.</summary>
    public IReadOnlyList<string> DigestRoles { get; init; } =
        [RoleKeys.BusinessManager, RoleKeys.Head, RoleKeys.Dsl, RoleKeys.DeputyDsl, RoleKeys.ComputingLead];

    /// <summary>The text devices show their users.</summary>
    public string Notice { get; init; } = DefaultNotice;

    public Severity SeverityFor(int score, Severity hitSeverity)
    {
        var byScore = score >= CriticalScore ? Severity.Critical
            : score >= HighScore ? Severity.High
            : score >= MediumScore ? Severity.Medium
            : Severity.Low;
        return byScore > hitSeverity ? byScore : hitSeverity;
    }

    public static MonitoringSettings From(SchoolPolicy policy)
    {
        var defaults = new MonitoringSettings();
        var notice = NoticeFromSections(policy) ?? defaults.Notice;
        if (!policy.Extensions.TryGetValue("monitoring", out var raw) || raw is not IDictionary<string, object?> section)
        {
            return defaults with { Notice = notice };
        }

        var thresholds = Map(section, "thresholds");
        var alerts = Map(section, "alerts");
        var escalation = Map(section, "escalation");
        var digest = Map(section, "digest");
        return new MonitoringSettings
        {
            LowScore = Int(thresholds, "low") ?? defaults.LowScore,
            MediumScore = Int(thresholds, "medium") ?? defaults.MediumScore,
            HighScore = Int(thresholds, "high") ?? defaults.HighScore,
            CriticalScore = Int(thresholds, "critical") ?? defaults.CriticalScore,
            GroupWindow = Int(alerts, "group_minutes") is { } g and > 0 ? TimeSpan.FromMinutes(g) : defaults.GroupWindow,
            Immediate = Strings(alerts, "immediate") ?? defaults.Immediate,
            Escalation = Strings(escalation, "roles") ?? Strings(section, "escalation") ?? defaults.Escalation,
            EscalateAfter = Int(escalation, "after_minutes") is { } m and > 0 ? TimeSpan.FromMinutes(m) : defaults.EscalateAfter,
            Viewers = Strings(section, "viewers") ?? defaults.Viewers,
            Retention = Int(section, "retention_days") is { } days and > 0 ? TimeSpan.FromDays(days) : defaults.Retention,
            DigestDay = Day(digest) ?? defaults.DigestDay,
            DigestTime = digest is not null && digest.TryGetValue("time", out var t) && t is string ts
                && TimeOnly.TryParseExact(ts.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : defaults.DigestTime,
            DigestRoles = Strings(digest, "roles") is { Count: > 0 } roles ? roles : defaults.DigestRoles,
            Notice = section.TryGetValue("notice", out var n) && n is string { Length: > 0 } s ? s.Trim() : notice,
        };
    }

    private static string? NoticeFromSections(SchoolPolicy policy)
    {
        var rule = policy.Rules.FirstOrDefault(r => r.Kind == RuleKind.Monitoring);
        return rule is null ? null : $"{rule.Text} ({policy.School.Name}, acceptable use policy, rule {rule.Id}.)";
    }

    private static DayOfWeek? Day(IDictionary<string, object?>? map)
    {
        if (map is null || !map.TryGetValue("day", out var v) || v is not string s)
        {
            return null;
        }

        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            if (string.Equals(day.ToString(), s.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return day;
            }
        }

        return null;
    }

    private static IDictionary<string, object?>? Map(IDictionary<string, object?> section, string key) =>
        section.TryGetValue(key, out var v) ? v as IDictionary<string, object?> : null;

    private static int? Int(IDictionary<string, object?>? map, string key) =>
        map is not null && map.TryGetValue(key, out var v) ? v switch
        {
            long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
            string s when int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => i,
            _ => null,
        } : null;

    private static IReadOnlyList<string>? Strings(IDictionary<string, object?>? map, string key)
    {
        if (map is null || !map.TryGetValue(key, out var v))
        {
            return null;
        }

        return v switch
        {
            IEnumerable<object?> items => items.OfType<string>().Where(s => s.Length > 0).ToList(),
            string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            _ => null,
        };
    }
}
