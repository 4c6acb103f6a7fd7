namespace Brightline.Policy.Model;

/// <summary>
/// The policy's <c>filtering:</c> section: profiles per group, blocklists to load, client networks and
/// the DNS filter. Category names are kept as the policy's stable names (for example
/// <c>social-networking</c>); the host maps them to the engine's categories, and a test checks the
/// two lists agree, because this project deliberately references nothing of ours.
/// </summary>
public sealed record FilteringPolicy
{
    /// <summary>Group whose profile applies to clients nothing else matches; null = the engine's fail-closed fallback.</summary>
    public string? FallbackGroup { get; init; }
    public IReadOnlyList<FilterProfilePolicy> Profiles { get; init; } = [];
    public IReadOnlyList<FilterListSource> Lists { get; init; } = [];
    public IReadOnlyList<FilterNetwork> Networks { get; init; } = [];
    public DnsSettings Dns { get; init; } = new();
    public DecisionLogSettings DecisionLog { get; init; } = new();

    public FilterProfilePolicy? FindProfile(string groupId) =>
        Profiles.FirstOrDefault(p => string.Equals(p.Group, groupId, StringComparison.Ordinal));
}

public enum YouTubeRestriction
{
    Off,
    Moderate,
    Strict,
}

public enum FilterDefault
{
    Allow,
    Block,
}

/// <summary>How the web is filtered for one group.</summary>
public sealed record FilterProfilePolicy
{
    public required string Group { get; init; }
    /// <summary>The rule the profile implements, cited on block pages.</summary>
    public string? Rule { get; init; }
    /// <summary>
    /// Blocked category names as written (may contain <see cref="FilterCategoryNames.Defaults"/>); null when the
    /// policy does not say, which means the pupil defaults for pupil groups and only the illegal categories for adults.
    /// </summary>
    public IReadOnlyList<string>? Block { get; init; }
    public IReadOnlyList<string> AllowCategories { get; init; } = [];
    public IReadOnlyList<FilterEntry> Allow { get; init; } = [];
    public IReadOnlyList<FilterEntry> Deny { get; init; } = [];
    public bool SafeSearch { get; init; } = true;
    /// <summary>Null when the policy does not say: strict for pupil groups, off for adults.</summary>
    public YouTubeRestriction? YouTube { get; init; }
    public FilterDefault Default { get; init; } = FilterDefault.Allow;
    public IReadOnlyList<FilterSchedulePolicy> Schedules { get; init; } = [];
}

/// <summary>A local allow or deny entry: <c>example.com</c>, <c>=host.example.com</c> or <c>example.com/path</c>.</summary>
public sealed record FilterEntry
{
    public required string Entry { get; init; }
    /// <summary>Last day the entry applies (inclusive, in the school's time zone).</summary>
    public DateOnly? Expires { get; init; }
    public string? Reason { get; init; }
    public string? Category { get; init; }
    public string? Rule { get; init; }
    /// <summary>Line of the entry in the policy file, for messages from later checks (lists loaded from disk).</summary>
    public int Line { get; init; }
}

public enum ScheduleDays
{
    AnyDay,
    SchoolDays,
    NonSchoolDays,
}

public sealed record ScheduleWindow(TimeOnly From, TimeOnly To);

public sealed record FilterSchedulePolicy
{
    public required string Name { get; init; }
    /// <summary>Days of the week; empty = every day.</summary>
    public IReadOnlyList<DayOfWeek> Days { get; init; } = [];
    public ScheduleDays On { get; init; } = ScheduleDays.SchoolDays;
    /// <summary>Windows in school local time; empty = the whole day.</summary>
    public IReadOnlyList<ScheduleWindow> Times { get; init; } = [];
    public IReadOnlyList<string> Block { get; init; } = [];
    public IReadOnlyList<string> Unblock { get; init; } = [];
    public bool BlockAll { get; init; }
}

public enum FilterListFormat
{
    Plain,
    Hosts,
    Adblock,
    E2guardian,
    Squidguard,
    Rpz,
}

/// <summary>A blocklist to load from disk.</summary>
public sealed record FilterListSource
{
    public required string Name { get; init; }
    public required FilterListFormat Format { get; init; }
    /// <summary>As written; relative paths are resolved by the host.</summary>
    public required string Path { get; init; }
    public string? Category { get; init; }
    /// <summary>Line of the list's entry in the policy file, for messages about the list's own contents.</summary>
    public int Line { get; init; }
}

/// <summary>A client network whose DNS clients get a group's profile when no signed-in person is bound to the address.</summary>
public sealed record FilterNetwork
{
    public required string Name { get; init; }
    /// <summary>CIDR as written (validated when the policy is loaded).</summary>
    public required string Cidr { get; init; }
    public required string Group { get; init; }
}

public enum BlockedAnswer
{
    Address,
    Nxdomain,
}

/// <summary>The DNS filter's policy settings. Configuration (<c>Brightline:Dns</c>) may override the endpoints.</summary>
public sealed record DnsSettings
{
    public bool Enabled { get; init; }
    /// <summary>Empty = the host's default (127.0.0.1:5353).</summary>
    public IReadOnlyList<string> Listen { get; init; } = [];
    /// <summary>Empty = the host's default.</summary>
    public IReadOnlyList<string> Upstreams { get; init; } = [];
    public BlockedAnswer BlockedAnswer { get; init; } = BlockedAnswer.Address;
    public string? BlockPageIpv4 { get; init; }
    public string? BlockPageIpv6 { get; init; }
    public string? PortalIpv4 { get; init; }
    public string? PortalIpv6 { get; init; }
    public int SignInBindingMinutes { get; init; } = 480;
    public int ShortTtlSeconds { get; init; } = 10;
}

/// <summary>
/// How long the filter's decision log (every DNS answer: who asked for which name, and what the
/// filter did) is kept. Rows older than this are deleted by the host's background purge, which
/// audits each deletion. The log records children's browsing, so it is kept no longer than the school needs.
/// </summary>
public sealed record DecisionLogSettings
{
    /// <summary>Used when the policy does not say.</summary>
    public const int DefaultRetentionDays = 30;

    /// <summary>Whole days a decision is kept (1–3650).</summary>
    public int RetentionDays { get; init; } = DefaultRetentionDays;
}

/// <summary>
/// The filtering categories' stable names, as the policy may write them. Must equal
/// <c>Brightline.Filtering.Categories</c> (a host test checks): duplicated so the policy language
/// can validate a file without depending on the engine.
/// </summary>
public static class FilterCategoryNames
{
    /// <summary>In a <c>block</c> list: every category blocked for pupils by default.</summary>
    public const string Defaults = "defaults";

    public static IReadOnlyList<string> All { get; } =
    [
        "child-abuse", "terrorism", "pornography", "self-harm", "extremism", "hate", "violence", "weapons", "drugs",
        "malware-hacking", "proxy-vpn", "encrypted-dns", "gambling", "piracy", "misinformation", "dating", "peer-to-peer",
        "social-networking", "chat", "ai-chat", "games", "streaming", "webmail", "advertising",
    ];

    /// <summary>Illegal content: blocked for everyone, always; no profile, entry or schedule may allow it.</summary>
    public static IReadOnlyList<string> Illegal { get; } = ["child-abuse", "terrorism"];

    public static bool IsIllegal(string name) => Illegal.Contains(name, StringComparer.Ordinal);
}
