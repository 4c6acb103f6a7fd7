namespace Brightline.Filtering;

/// <summary>YouTube Restricted Mode, enforced by DNS rewrite; independent of safe search.</summary>
public enum YouTubeMode
{
    /// <summary>No restriction.</summary>
    Off,

    /// <summary><c>restrictmoderate.youtube.com</c>.</summary>
    Moderate,

    /// <summary><c>restrict.youtube.com</c>.</summary>
    Strict,
}

/// <summary>What a profile does with a name no rule or category decided.</summary>
public enum DefaultAction
{
    /// <summary>Allow (the usual case).</summary>
    Allow,

    /// <summary>Block: only the allow list gets through ("walled garden", e.g. for EYFS).</summary>
    Block,
}

/// <summary>The definition of a filter profile, as mapped from the policy. Validated by <see cref="FilterProfile"/>.</summary>
public sealed record FilterProfileDefinition
{
    /// <summary>Stable profile name, usually the group's ID (e.g. <c>ks2</c>, <c>staff</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Name shown to people; defaults to <see cref="Name"/>.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The policy rule the profile implements (cited on the block page), if any.</summary>
    public string? RuleId { get; init; }

    /// <summary>Categories blocked. Illegal categories are always blocked whether listed or not.</summary>
    public CategorySet BlockedCategories { get; init; }

    /// <summary>Categories explicitly allowed (removed from <see cref="BlockedCategories"/>). Must not contain an illegal category.</summary>
    public CategorySet AllowedCategories { get; init; }

    /// <summary>Local allow list.</summary>
    public IReadOnlyList<LocalRule> Allow { get; init; } = [];

    /// <summary>Local deny list.</summary>
    public IReadOnlyList<LocalRule> Deny { get; init; } = [];

    /// <summary>Schedules, applied before category evaluation.</summary>
    public IReadOnlyList<FilterSchedule> Schedules { get; init; } = [];

    /// <summary>Force safe search on Google, Bing and DuckDuckGo.</summary>
    public bool SafeSearch { get; init; }

    /// <summary>YouTube Restricted Mode.</summary>
    public YouTubeMode YouTube { get; init; }

    /// <summary>What happens to names nothing else decided.</summary>
    public DefaultAction Default { get; init; } = DefaultAction.Allow;
}

/// <summary>
/// A validated, compiled filter profile for one group. Immutable and thread-safe.
/// Construction rejects any attempt to allow illegal content with <see cref="IllegalOverrideException"/>.
/// </summary>
public sealed class FilterProfile
{
    /// <summary>Validates and compiles <paramref name="definition"/>.</summary>
    public FilterProfile(FilterProfileDefinition definition)
        : this(definition, null)
    {
    }

    /// <summary>
    /// Validates and compiles <paramref name="definition"/>, also rejecting allow-list entries that
    /// are on an illegal-category list in <paramref name="lists"/>.
    /// </summary>
    public FilterProfile(FilterProfileDefinition definition, CategoryLists? lists)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (string.IsNullOrWhiteSpace(definition.Name))
        {
            ThrowHelper.ThrowConfiguration("A filter profile needs a name.");
        }

        Name = definition.Name;
        Definition = definition;
        var illegalAllowed = definition.AllowedCategories.Intersect(Categories.Illegal);
        if (illegalAllowed.First is { } allowedIllegal)
        {
            throw new IllegalOverrideException(Name, $"allowed category '{Categories.NameOf(allowedIllegal)}'", allowedIllegal);
        }

        foreach (var schedule in definition.Schedules)
        {
            ValidateSchedule(schedule);
        }

        foreach (var rule in definition.Allow)
        {
            if (rule.Category is { } category && Categories.IsIllegal(category))
            {
                throw new IllegalOverrideException(Name, $"allow rule '{rule.Pattern}'", category);
            }
        }

        if (lists is not null)
        {
            ValidateAgainst(lists);
        }

        BlockedCategories = definition.BlockedCategories.Except(definition.AllowedCategories).Union(Categories.Illegal);
        Rules = new LocalRuleTable(definition.Allow, definition.Deny);
        Schedules = [.. definition.Schedules];
        IsTimeSensitive = Schedules.Length > 0 || Rules.HasExpiringRules;
        IsPlain = Schedules.Length == 0 && Rules.Count == 0;
        SafeSearch = definition.SafeSearch;
        YouTube = definition.YouTube;
        Default = definition.Default;
    }

    /// <summary>Profile name.</summary>
    public string Name { get; }

    /// <summary>The definition it was built from.</summary>
    public FilterProfileDefinition Definition { get; }

    /// <summary>Blocked categories outside any schedule (always including the illegal ones).</summary>
    public CategorySet BlockedCategories { get; }

    /// <summary>Safe search.</summary>
    public bool SafeSearch { get; }

    /// <summary>YouTube Restricted Mode.</summary>
    public YouTubeMode YouTube { get; }

    /// <summary>Default action.</summary>
    public DefaultAction Default { get; }

    /// <summary>Whether decisions under this profile can change with time alone (schedules, expiring rules).</summary>
    public bool IsTimeSensitive { get; }

    /// <summary>No schedules and no local rules: decided by its blocked categories and default alone (the engine's fast path).</summary>
    internal bool IsPlain { get; }

    internal LocalRuleTable Rules { get; }

    internal FilterSchedule[] Schedules { get; }

    /// <summary>Creates the built-in profile used for unknown profile names: pupil defaults, safe search, strict YouTube.</summary>
    public static FilterProfile CreateFallback(string name = "fallback") => new(new FilterProfileDefinition
    {
        Name = name,
        BlockedCategories = Categories.DefaultPupilBlocked,
        SafeSearch = true,
        YouTube = YouTubeMode.Strict,
    });

    /// <summary>Throws <see cref="IllegalOverrideException"/> if an allow entry is on an illegal-category list.</summary>
    internal void ValidateAgainst(CategoryLists lists)
    {
        foreach (var rule in Definition.Allow)
        {
            var matched = lists.Match(rule.Host, rule.PathPrefix).Intersect(Categories.Illegal);
            if (matched.First is { } category)
            {
                throw new IllegalOverrideException(Name, $"allow rule '{rule.Pattern}'", category);
            }
        }
    }

    private void ValidateSchedule(FilterSchedule schedule)
    {
        if (string.IsNullOrWhiteSpace(schedule.Name))
        {
            ThrowConfiguration("a schedule has no name", "(schedule)");
        }

        if (schedule.Unblock.Intersect(Categories.Illegal).First is { } illegal)
        {
            throw new IllegalOverrideException(Name, $"schedule '{schedule.Name}' unblocking '{Categories.NameOf(illegal)}'", illegal);
        }

        if (schedule.Days.Count == 0 || schedule.Windows.Count == 0)
        {
            ThrowConfiguration($"schedule '{schedule.Name}' has no days or no time windows, so it can never apply", schedule.Name);
        }

        if (schedule.Block.Overlaps(schedule.Unblock))
        {
            ThrowConfiguration($"schedule '{schedule.Name}' both blocks and unblocks {schedule.Block.Intersect(schedule.Unblock)}", schedule.Name);
        }
    }

    private void ThrowConfiguration(string message, string entry) =>
        throw new FilterConfigurationException($"Filter profile '{Name}': {message}.") { ProfileName = Name, Entry = entry };

    /// <inheritdoc />
    public override string ToString() => Name;
}
