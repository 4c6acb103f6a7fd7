namespace Brightline.Policy.Model;

/// <summary>
/// The policy's <c>monitoring:</c> section: when a score becomes an alert of each severity, who is told about a
/// critical alert and in what order, who may see captured content, how long it is kept (O9) and the weekly digest
/// (C10). Every value has the default docs/monitoring.md gives, so a policy without the section still monitors.
/// </summary>
public sealed record MonitoringPolicy
{
    public const int DefaultRetentionDays = 45;

    /// <summary>The text devices show their users; null when the policy does not say (the host then quotes the monitoring rule).</summary>
    public string? Notice { get; init; }

    /// <summary>Category score at which an alert is raised at least to each severity.</summary>
    public MonitoringThresholds Thresholds { get; init; } = new();

    /// <summary>Repeated hits of one person in one category within this many minutes join one open alert.</summary>
    public int GroupMinutes { get; init; } = 15;

    /// <summary>Policy role keys emailed at once about a critical alert.</summary>
    public IReadOnlyList<string> Immediate { get; init; } = [RoleKeys.Dsl, RoleKeys.DeputyDsl];

    /// <summary>Ranked policy role keys a critical alert goes to, one step per <see cref="EscalateAfterMinutes"/> while nobody opens it.</summary>
    public IReadOnlyList<string> Escalation { get; init; } = [RoleKeys.Dsl, RoleKeys.DeputyDsl, RoleKeys.Head];

    public int EscalateAfterMinutes { get; init; } = 30;

    /// <summary>Portal roles that may see captured content and the alert queue.</summary>
    public IReadOnlyList<string> Viewers { get; init; } = [RoleKeys.Dsl, RoleKeys.DeputyDsl, RoleKeys.Head];

    /// <summary>Days captured content (event text, alert context, screenshots) is kept (O9: 45).</summary>
    public int RetentionDays { get; init; } = DefaultRetentionDays;

    public MonitoringDigest Digest { get; init; } = new();

    /// <summary>
    /// Host names never captured (visits, searches and typed text alike), each with its subdomains: a school's own
    /// HR or payroll system, a counselling service a pupil must be able to use in confidence. Lower case, no
    /// scheme, port or path; empty when the policy names none.
    /// </summary>
    public IReadOnlyList<string> ExcludedSites { get; init; } = [];

    /// <summary>True when <paramref name="host"/> is one of <see cref="ExcludedSites"/> or a subdomain of one.</summary>
    public bool Excludes(string host) => ExcludedSite.Matches(ExcludedSites, host);

    /// <summary>Tamper evidence for Brightline for Chrome (issue 12, point 6): when a silent browser is alerted, and to whom.</summary>
    public MonitoringTamper Tamper { get; init; } = new();

    /// <summary>
    /// <c>monitoring.categories</c>: per-category routing keyed by category id (H12: security misuse to IT support).
    /// Empty when the policy routes no category; every key is one of <see cref="MonitoringCategoryIds.All"/>.
    /// </summary>
    public IReadOnlyDictionary<string, MonitoringCategoryRoute> Categories { get; init; } = new Dictionary<string, MonitoringCategoryRoute>(StringComparer.Ordinal);

    /// <summary>The routing of <paramref name="category"/>, or null when the policy gives none.</summary>
    public MonitoringCategoryRoute? RouteFor(string category) => Categories.TryGetValue(category, out var route) ? route : null;
}

/// <summary>
/// One <c>monitoring.categories.&lt;id&gt;</c> entry: <see cref="Notify"/> roles are emailed about every alert of the
/// category (whatever its severity, besides the DSL's critical emails), and <see cref="Viewers"/> may open the queue
/// and alerts of that category only — never another category's, never a self-harm alert.
/// </summary>
public sealed record MonitoringCategoryRoute
{
    /// <summary>Policy role keys emailed about each alert of the category.</summary>
    public IReadOnlyList<string> Notify { get; init; } = [];

    /// <summary>Portal roles that may see this category's alerts and their captured content; default the notify roles that are portal roles.</summary>
    public IReadOnlyList<string> Viewers { get; init; } = [];
}

/// <summary>
/// The monitoring category ids a policy may route. The policy library cannot reference Brightline.Monitoring (it has
/// no host or engine dependencies), so the ids are repeated here; a host test proves this list equals
/// <c>MonitoringCategories.All</c>.
/// </summary>
public static class MonitoringCategoryIds
{
    public static readonly IReadOnlyList<string> All =
        ["self-harm", "grooming", "extremism", "bullying", "violence", "sexual-content", "drugs", "hate", "gambling", "security-misuse", "profanity", "other"];
}

/// <summary>
/// <c>monitoring.tamper</c>: an enrolled browser whose extension has sent no heartbeat for longer than
/// <see cref="SilentMinutes"/> during school hours (a school day, between the calendar's <c>day_starts</c> and
/// <c>day_ends</c>), or that reports the extension removed, raises one alert for <see cref="Notify"/>.
/// </summary>
public sealed record MonitoringTamper
{
    /// <summary>The extension beats every 5 minutes; 20 lets three beats be lost (a sleeping laptop, a slow network) before anyone is told.</summary>
    public const int DefaultSilentMinutes = 20;

    public int SilentMinutes { get; init; } = DefaultSilentMinutes;

    /// <summary>Policy role keys emailed about a tamper alert: IT and the DSL by default.</summary>
    public IReadOnlyList<string> Notify { get; init; } = [RoleKeys.ItProvider, RoleKeys.ComputingLead, RoleKeys.Dsl];
}

public sealed record MonitoringThresholds
{
    public int Low { get; init; } = 1;
    public int Medium { get; init; } = 40;
    public int High { get; init; } = 120;
    public int Critical { get; init; } = 240;
}

/// <summary>The weekly digest (C10), sent on <see cref="Day"/> at <see cref="Time"/>, UK local time.</summary>
public sealed record MonitoringDigest
{
    public DayOfWeek Day { get; init; } = DayOfWeek.Friday;
    public TimeOnly Time { get; init; } = new(16, 0);

    /// <summary>Policy role keys sent the digest.</summary>
    public IReadOnlyList<string> Roles { get; init; } =
        [RoleKeys.BusinessManager, RoleKeys.Head, RoleKeys.Dsl, RoleKeys.DeputyDsl, RoleKeys.ComputingLead];
}
