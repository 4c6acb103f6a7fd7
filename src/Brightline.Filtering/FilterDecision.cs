namespace Brightline.Filtering;

/// <summary>The outcome of a decision.</summary>
public enum DecisionOutcome : byte
{
    /// <summary>Resolve or fetch normally.</summary>
    Allow,

    /// <summary>Block (DNS: block page address or NXDOMAIN; proxy: block page).</summary>
    Block,

    /// <summary>Answer with <see cref="FilterDecision.RewriteHost"/> instead (safe search, YouTube Restricted Mode).</summary>
    Rewrite,
}

/// <summary>Which step of the precedence decided.</summary>
public enum DecisionReason : byte
{
    /// <summary>Allowed: nothing blocked it.</summary>
    Default,

    /// <summary>Blocked: the host is not a valid host name.</summary>
    InvalidHost,

    /// <summary>Blocked: an illegal category (child abuse, terrorism). Nothing can override this.</summary>
    IllegalCategory,

    /// <summary>Blocked by a local deny rule.</summary>
    LocalDeny,

    /// <summary>Allowed by a local allow rule.</summary>
    LocalAllow,

    /// <summary>Blocked: the name is in a category the profile blocks (possibly because of a schedule).</summary>
    Category,

    /// <summary>Blocked: a schedule blocking everything not on the allow list is active.</summary>
    ScheduleBlockAll,

    /// <summary>Blocked: the profile allows only its allow list.</summary>
    DefaultDeny,

    /// <summary>Rewritten to a search engine's safe-search endpoint.</summary>
    SafeSearch,

    /// <summary>Rewritten to YouTube's Restricted Mode endpoint.</summary>
    YouTubeRestricted,
}

/// <summary>Stage of the precedence a trace step belongs to.</summary>
public enum TraceStage : byte
{
    /// <summary>Name normalisation and list lookup.</summary>
    Lookup,

    /// <summary>Illegal-category check.</summary>
    Illegal,

    /// <summary>Profile resolution.</summary>
    Profile,

    /// <summary>Schedules.</summary>
    Schedule,

    /// <summary>Local allow and deny lists.</summary>
    LocalLists,

    /// <summary>Category lists.</summary>
    Categories,

    /// <summary>Default action.</summary>
    Default,

    /// <summary>Combining several profiles.</summary>
    Combine,

    /// <summary>Safe search and YouTube rewrite.</summary>
    Rewrite,
}

/// <summary>One step the engine considered.</summary>
/// <param name="Stage">Precedence stage.</param>
/// <param name="Profile">Profile concerned, or null for global steps.</param>
/// <param name="Message">What was considered and found.</param>
public sealed record TraceStep(TraceStage Stage, string? Profile, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Profile is null ? $"[{Stage}] {Message}" : $"[{Stage}] {Profile}: {Message}";
}

/// <summary>
/// A decision and why: the outcome, the precedence step that decided, the profile, the local rule or
/// list entry, and the category. A struct so the common (allow) path does not allocate; the matched
/// list entry's text is materialised only when read.
/// </summary>
public readonly struct FilterDecision
{
    private readonly DomainSet? _entrySet;
    private readonly uint _entryOffset;
    private readonly string? _entryText;
    private readonly Category _category;
    private readonly bool _hasCategory;

    internal FilterDecision(
        DecisionOutcome outcome,
        DecisionReason reason,
        FilterProfile? profile,
        Category? category = null,
        CategorySet matched = default,
        LocalRule? rule = null,
        FilterSchedule? schedule = null,
        string? listName = null,
        DomainSet? entrySet = null,
        uint entryOffset = 0,
        string? entryText = null,
        string? rewriteHost = null,
        bool timeSensitive = false,
        IReadOnlyList<TraceStep>? trace = null)
    {
        Outcome = outcome;
        Reason = reason;
        Profile = profile;
        _hasCategory = category.HasValue;
        _category = category.GetValueOrDefault();
        MatchedCategories = matched;
        Rule = rule;
        Schedule = schedule;
        ListName = listName;
        _entrySet = entrySet;
        _entryOffset = entryOffset;
        _entryText = entryText;
        RewriteHost = rewriteHost;
        IsTimeSensitive = timeSensitive;
        Trace = trace ?? [];
    }

    /// <summary>Allow, block or rewrite.</summary>
    public DecisionOutcome Outcome { get; }

    /// <summary>Which precedence step decided.</summary>
    public DecisionReason Reason { get; }

    /// <summary>Whether the outcome is <see cref="DecisionOutcome.Block"/>.</summary>
    public bool IsBlocked => Outcome == DecisionOutcome.Block;

    /// <summary>The profile that decided (for an allow, the first profile of the request).</summary>
    public FilterProfile? Profile { get; }

    /// <summary>Name of <see cref="Profile"/>.</summary>
    public string? ProfileName => Profile?.Name;

    /// <summary>The category that decided, if any (a block by category, or a deny rule with a category).</summary>
    public Category? Category => _hasCategory ? _category : null;

    /// <summary>Every category the name (and path) matched in the lists, whether blocked or not; for logs.</summary>
    public CategorySet MatchedCategories { get; }

    /// <summary>The local rule that decided, if any.</summary>
    public LocalRule? Rule { get; }

    /// <summary>The schedule that caused the decision, if any (a block-all window or a category it blocked).</summary>
    public FilterSchedule? Schedule { get; }

    /// <summary>The category list bundle that decided, if any.</summary>
    public string? ListName { get; }

    /// <summary>The list entry that matched (e.g. <c>example.com</c> or <c>example.com/path</c>), if a list decided.</summary>
    public string? MatchedEntry => _entryText ?? _entrySet?.NameAt(_entryOffset);

    /// <summary>For <see cref="DecisionOutcome.Rewrite"/>, the host to answer with (as a CNAME).</summary>
    public string? RewriteHost { get; }

    /// <summary>Whether the same request could be decided differently later without any change of lists or profiles (use a short DNS TTL).</summary>
    public bool IsTimeSensitive { get; }

    /// <summary>
    /// The citation of the approved exemption that let this request through (O3, W4: "type, approved by …, until …"),
    /// or null when no exemption changed the outcome. Set only on an allow or rewrite.
    /// </summary>
    public string? Exemption { get; private init; }

    /// <summary>Every step considered; empty unless the decision came from <c>Explain</c>.</summary>
    public IReadOnlyList<TraceStep> Trace { get; }

    /// <summary>A one-line reason for logs and the block page.</summary>
    public string Summary
    {
        get
        {
            var profile = ProfileName is null ? string.Empty : $" (profile '{ProfileName}')";
            var category = Category is { } c ? Categories.NameOf(c) : null;
            return Reason switch
            {
                DecisionReason.Default when Exemption is not null => $"allowed by an approved exemption: {Exemption}{profile}",
                DecisionReason.LocalAllow when Exemption is not null => $"allowed by local allow rule '{Rule?.Pattern}'{profile} (an approved exemption relaxed a deny rule: {Exemption})",
                DecisionReason.Default => $"allowed: no rule or blocked category matched{profile}",
                DecisionReason.InvalidHost => "blocked: not a valid host name",
                DecisionReason.IllegalCategory => $"blocked: illegal content, category '{category}', list '{ListName}' entry '{MatchedEntry}'",
                DecisionReason.LocalDeny => $"blocked by local deny rule '{Rule?.Pattern}'{profile}",
                DecisionReason.LocalAllow => $"allowed by local allow rule '{Rule?.Pattern}'{profile}",
                DecisionReason.Category => $"blocked: category '{category}', list '{ListName}' entry '{MatchedEntry}'{profile}"
                    + (Schedule is null ? string.Empty : $" during schedule '{Schedule.Name}'"),
                DecisionReason.ScheduleBlockAll => $"blocked: schedule '{Schedule?.Name}' blocks everything not on the allow list{profile}",
                DecisionReason.DefaultDeny => $"blocked: only the allow list is permitted{profile}",
                DecisionReason.SafeSearch => $"rewritten to {RewriteHost} (safe search){profile}",
                DecisionReason.YouTubeRestricted => $"rewritten to {RewriteHost} (YouTube Restricted Mode){profile}",
                _ => Reason.ToString(),
            };
        }
    }

    /// <inheritdoc />
    public override string ToString() => Summary;

    internal FilterDecision WithTrace(IReadOnlyList<TraceStep> trace) => new(
        Outcome, Reason, Profile, Category, MatchedCategories, Rule, Schedule, ListName, _entrySet, _entryOffset, _entryText, RewriteHost, IsTimeSensitive, trace) { Exemption = Exemption };

    internal FilterDecision WithTimeSensitive(bool timeSensitive) => new(
        Outcome, Reason, Profile, Category, MatchedCategories, Rule, Schedule, ListName, _entrySet, _entryOffset, _entryText, RewriteHost, timeSensitive, Trace) { Exemption = Exemption };

    internal FilterDecision WithExemption(string? exemption) => exemption is null ? this : this with { Exemption = exemption };
}
