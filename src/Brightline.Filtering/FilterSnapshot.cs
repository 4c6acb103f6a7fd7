using System.Collections.Frozen;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Brightline.Filtering;

/// <summary>Settings of a <see cref="FilterSnapshot"/>.</summary>
public sealed record FilterSnapshotOptions
{
    /// <summary>The school's time zone for schedules; default Europe/London (UTC if the zone database is missing).</summary>
    public TimeZoneInfo TimeZone { get; init; } = DefaultTimeZone();

    /// <summary>School days for <see cref="DayFilter.SchoolDays"/> schedules; default Monday to Friday.</summary>
    public SchoolCalendar Calendar { get; init; } = SchoolCalendar.WeekdaysOnly;

    /// <summary>
    /// Profile used for unknown profile names (e.g. a group removed from the policy while a client
    /// mapping still names it). Null = a built-in fallback with pupil defaults, safe search and strict YouTube.
    /// </summary>
    public string? FallbackProfile { get; init; }

    /// <summary>A label for logs, e.g. policy version and list date.</summary>
    public string? Version { get; init; }

    private static TimeZoneInfo DefaultTimeZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
        catch (InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}

/// <summary>
/// An immutable, validated set of category lists and profiles that decides requests. Thread-safe;
/// a <see cref="FilterEngine"/> swaps whole snapshots by reference.
/// </summary>
/// <remarks>
/// Decision algorithm (documented with examples in docs/filtering-engine.md):
/// <list type="number">
/// <item>Normalise the host and hash all its suffixes once; an invalid host is blocked.</item>
/// <item>Look the name (and path) up in the category lists once: the union of categories of every
/// matching domain suffix, the exact host and matching URL prefixes.</item>
/// <item>Illegal categories block at once, for every profile; nothing later can change that.</item>
/// <item>Each profile is then evaluated on its own: active schedules adjust its blocked categories
/// and default; the most specific local rule (URL prefix &gt; exact host &gt; domain, longer beats
/// shorter, deny beats allow at equal rank) decides if any matches; otherwise a blocked category
/// blocks; otherwise the profile's default applies.</item>
/// <item>Several profiles: most restrictive wins — if any profile blocks, the request is blocked
/// (the first blocking profile in request order is named); otherwise it is allowed, with safe search
/// if any profile asks for it and the strictest YouTube mode of any profile.</item>
/// </list>
/// </remarks>
public sealed unsafe class FilterSnapshot
{
    private const int MaxHits = 16;

    /// <summary>Profiles compared by reference before the dictionary lookup (see <see cref="Resolve"/>); bounded so a trust with hundreds of groups does not scan them all.</summary>
    private const int MaxReferenceProbes = 16;

    private readonly FrozenDictionary<string, FilterProfile> _profiles;
    private readonly FilterProfile[] _byReference;
    private readonly FilterProfile _fallback;
    private readonly TimeZoneInfo _timeZone;
    private readonly SchoolCalendar _calendar;

    /// <summary>Validates and creates a snapshot. Throws <see cref="FilterConfigurationException"/> (or <see cref="IllegalOverrideException"/>) naming the profile and entry.</summary>
    public FilterSnapshot(CategoryLists lists, IEnumerable<FilterProfile> profiles, FilterSnapshotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentNullException.ThrowIfNull(profiles);
        Options = options ?? new FilterSnapshotOptions();
        Lists = lists;
        var map = new Dictionary<string, FilterProfile>(StringComparer.Ordinal);
        foreach (var profile in profiles)
        {
            if (!map.TryAdd(profile.Name, profile))
            {
                throw new FilterConfigurationException($"Filter profile '{profile.Name}' is defined twice.") { ProfileName = profile.Name };
            }

            profile.ValidateAgainst(lists);
        }

        _profiles = map.ToFrozenDictionary(StringComparer.Ordinal);
        _byReference = [.. map.Values.Take(MaxReferenceProbes)];
        if (Options.FallbackProfile is { } fallbackName)
        {
            if (!_profiles.TryGetValue(fallbackName, out var fallback))
            {
                throw new FilterConfigurationException($"The fallback filter profile '{fallbackName}' is not defined.") { ProfileName = fallbackName };
            }

            _fallback = fallback;
        }
        else
        {
            _fallback = FilterProfile.CreateFallback();
        }

        _timeZone = Options.TimeZone;
        _calendar = Options.Calendar;
    }

    /// <summary>The category lists.</summary>
    public CategoryLists Lists { get; }

    /// <summary>Options.</summary>
    public FilterSnapshotOptions Options { get; }

    /// <summary>Profiles by name.</summary>
    public IReadOnlyDictionary<string, FilterProfile> Profiles => _profiles;

    /// <summary>The profile used for unknown names.</summary>
    public FilterProfile Fallback => _fallback;

    /// <summary>Decides a request (no trace; does not allocate on the allow path).</summary>
    /// <remarks>
    /// The common case — one plain profile (neither schedules nor local rules) and a DNS name
    /// without a path — goes through <see cref="DecidePlain(FilterProfile, ReadOnlySpan{char})"/>, a
    /// small method with a small stack frame; everything else through <see cref="Evaluate"/>, whose
    /// frame (trace formatting, several profiles) cost more to set up than the whole plain decision.
    /// Both apply the same precedence, which a seeded randomised test compares.
    /// </remarks>
    public FilterDecision Decide(scoped in FilterRequest request)
    {
        if (request.ProfileCount <= 1 && request.Path.IsEmpty && request.Exemptions is not { Count: > 0 })
        {
            var primary = Resolve(request, 0, null);
            if (primary.IsPlain)
            {
                return DecidePlain(primary, request.Host);
            }
        }

        return Evaluate(request, null);
    }

    /// <summary>Decides a request and records every step considered in <see cref="FilterDecision.Trace"/>.</summary>
    public FilterDecision Explain(scoped in FilterRequest request)
    {
        var trace = new List<TraceStep>();
        return Evaluate(request, trace).WithTrace(trace);
    }

    /// <summary>
    /// The one decision algorithm behind <see cref="Decide"/> and <see cref="Explain"/>. Trace messages
    /// are only formatted when <paramref name="trace"/> is non-null (<c>trace?.Add(...)</c> does not
    /// evaluate its argument otherwise). Profiles report a small <see cref="Verdict"/>; the full
    /// <see cref="FilterDecision"/> (a large struct) is built exactly once, at the end, so the hot path
    /// does not copy it through every profile.
    /// </summary>
    [SkipLocalsInit]
    private FilterDecision Evaluate(scoped in FilterRequest request, List<TraceStep>? trace)
    {
        NameKeySpace space;
        Span<SuffixHit> hits = stackalloc SuffixHit[MaxHits];

        var primary = Resolve(request, 0, trace);
        var key = HostName.CreateKey(request.Host, &space);
        if (!key.IsValid)
        {
            trace?.Add(new TraceStep(TraceStage.Lookup, null, $"'{request.Host}' is not a valid host name"));
            return new FilterDecision(DecisionOutcome.Block, DecisionReason.InvalidHost, primary);
        }

        // DNS requests have no path; skip the URL table entirely for them.
        UrlRuleEntry? urlBest = null;
        var urlMask = 0UL;
        if (!request.Path.IsEmpty)
        {
            urlMask = Lists.Urls.Match(key, request.Path, out urlBest);
        }

        var matched = new CategorySet(Lists.Domains.Match(key, hits, out var hitCount) | urlMask);
        trace?.Add(new TraceStep(TraceStage.Lookup, null, $"'{key.ToString()}'{(request.Path.IsEmpty ? string.Empty : $" path '{request.Path}'")} matched categories {matched} in lists '{Lists.Name}'"));

        if ((matched.Mask & Categories.Illegal.Mask) != 0)
        {
            var illegal = matched.Intersect(Categories.Illegal).First!.Value;
            trace?.Add(new TraceStep(TraceStage.Illegal, null, $"illegal category '{Categories.NameOf(illegal)}': blocked for everyone, no list, profile or schedule can allow it"));
            return CategoryBlock(DecisionReason.IllegalCategory, primary, illegal, matched, hits[..hitCount], urlBest, null, false);
        }

        trace?.Add(new TraceStep(TraceStage.Illegal, null, "no illegal category"));

        DateTime? local = null;
        FilterProfile? blockProfile = null;
        Verdict block = default;
        FilterProfile? allowProfile = null;
        Verdict allow = default;
        var safeSearch = false;
        var youTube = YouTubeMode.Off;
        var timeSensitive = false;
        string? exemptedBy = null;
        var exemptions = request.Exemptions is { Count: > 0 } some ? some : null;
        var count = Math.Max(1, request.ProfileCount);
        for (var i = 0; i < count; i++)
        {
            var profile = i == 0 ? primary : Resolve(request, i, trace);
            timeSensitive |= profile.IsTimeSensitive;
            var verdict = EvaluateProfile(profile, key, request.Path, matched, request.At, ref local, trace, exemptions, ref exemptedBy);
            if (verdict.Blocked)
            {
                if (blockProfile is null)
                {
                    blockProfile = profile;
                    block = verdict;
                    if (trace is null)
                    {
                        break;
                    }
                }
            }
            else
            {
                if (allowProfile is null)
                {
                    allowProfile = profile;
                    allow = verdict;
                }

                safeSearch |= profile.SafeSearch;
                youTube = (YouTubeMode)Math.Max((int)youTube, (int)profile.YouTube);
            }
        }

        if (blockProfile is not null)
        {
            if (count > 1)
            {
                trace?.Add(new TraceStep(TraceStage.Combine, blockProfile.Name, "most restrictive wins: this profile blocks, so the request is blocked"));
            }

            return block.Reason == DecisionReason.Category
                ? CategoryBlock(DecisionReason.Category, blockProfile, block.Category, matched, hits[..hitCount], urlBest, block.Schedule, timeSensitive)
                : new FilterDecision(DecisionOutcome.Block, block.Reason, blockProfile, block.Rule?.Category, matched, block.Rule, block.Schedule, timeSensitive: timeSensitive);
        }

        if (count > 1)
        {
            trace?.Add(new TraceStep(TraceStage.Combine, null, $"every profile allows; safe search {(safeSearch ? "on" : "off")} and YouTube {youTube} (strictest of the profiles)"));
        }

        var isYouTube = false;
        var rewrite = safeSearch || youTube != YouTubeMode.Off ? SafeSearch.RewriteFor(key, safeSearch, youTube, out isYouTube) : null;
        if (rewrite is null)
        {
            trace?.Add(new TraceStep(TraceStage.Rewrite, null, "no safe-search or YouTube rewrite applies"));
            return new FilterDecision(DecisionOutcome.Allow, allow.Reason, allowProfile, matched: matched, rule: allow.Rule, timeSensitive: timeSensitive).WithExemption(exemptedBy);
        }

        var reason = isYouTube ? DecisionReason.YouTubeRestricted : DecisionReason.SafeSearch;
        trace?.Add(new TraceStep(TraceStage.Rewrite, null, $"rewritten to {rewrite}"));
        return new FilterDecision(DecisionOutcome.Rewrite, reason, allowProfile, matched: matched, rule: allow.Rule, rewriteHost: rewrite, timeSensitive: timeSensitive).WithExemption(exemptedBy);
    }

    /// <summary>
    /// <see cref="Decide"/> for a single plain profile and a host without a path: the same steps as
    /// <see cref="Evaluate"/> (invalid host, lookup, illegal categories), then the profile's blocked
    /// categories, default and rewrites alone.
    /// </summary>
    /// <remarks>
    /// Written with one <see cref="FilterDecision"/> construction at the end: the JIT zeroes every
    /// temporary of that (reference-holding) struct when the method is entered, and with one per
    /// outcome that zeroing cost more than deciding.
    /// </remarks>
    private FilterDecision DecidePlain(FilterProfile profile, ReadOnlySpan<char> host)
    {
        NameKeySpace space;
        Unsafe.SkipInit(out SuffixHits hits);
        var key = HostName.CreateKey(host, &space);
        if (!key.IsValid)
        {
            return new FilterDecision(DecisionOutcome.Block, DecisionReason.InvalidHost, profile);
        }

        var matched = Lists.Domains.Match(key, hits, out var hitCount);
        var outcome = DecisionOutcome.Allow;
        var reason = DecisionReason.Default;
        Category? category = null;
        string? rewrite = null;
        var illegalMatch = matched & Categories.Illegal.Mask;
        var blockedMatch = matched & profile.BlockedCategories.Mask;
        if ((illegalMatch | blockedMatch) != 0)
        {
            outcome = DecisionOutcome.Block;
            reason = illegalMatch != 0 ? DecisionReason.IllegalCategory : DecisionReason.Category;
            category = (Category)BitOperations.TrailingZeroCount(illegalMatch != 0 ? illegalMatch : blockedMatch);
        }
        else if (profile.Default == DefaultAction.Block)
        {
            outcome = DecisionOutcome.Block;
            reason = DecisionReason.DefaultDeny;
        }
        else if (profile.SafeSearch || profile.YouTube != YouTubeMode.Off)
        {
            rewrite = SafeSearch.RewriteFor(key, profile.SafeSearch, profile.YouTube, out var isYouTube);
            if (rewrite is not null)
            {
                outcome = DecisionOutcome.Rewrite;
                reason = isYouTube ? DecisionReason.YouTubeRestricted : DecisionReason.SafeSearch;
            }
        }

        // A category block names the most specific list entry carrying the category (as CategoryBlock).
        var entry = -1;
        if (category is { } decided)
        {
            var bit = 1UL << (int)decided;
            for (var i = Math.Min(hitCount, MaxHits) - 1; i >= 0; i--)
            {
                if ((hits[i].Mask & bit) != 0)
                {
                    entry = i;
                    break;
                }
            }
        }

        return new FilterDecision(outcome, reason, profile, category, new CategorySet(matched),
            listName: category is { } named ? Lists.SourceOf(named) : null,
            entrySet: entry < 0 ? null : Lists.Domains,
            entryOffset: entry < 0 ? 0 : hits[entry].Offset,
            rewriteHost: rewrite);
    }

    /// <summary>Room for the suffix hits of one lookup, on the stack without <c>stackalloc</c>.</summary>
    [InlineArray(MaxHits)]
    private struct SuffixHits
    {
        private SuffixHit _first;
    }

    /// <summary>Evaluates one profile: schedules, then local lists, then categories, then the default (see the class remarks).</summary>
    private Verdict EvaluateProfile(
        FilterProfile profile,
        NameKey key,
        ReadOnlySpan<char> path,
        CategorySet matched,
        DateTimeOffset at,
        ref DateTime? local,
        List<TraceStep>? trace,
        IReadOnlyList<FilterExemption>? exemptions,
        ref string? exemptedBy)
    {
        // Schedules first: they change what the later steps see.
        var blocked = profile.BlockedCategories;
        var defaultBlock = profile.Default == DefaultAction.Block;
        FilterSchedule? blockAll = null;
        if (profile.Schedules.Length > 0)
        {
            local ??= TimeZoneInfo.ConvertTime(at, _timeZone).DateTime;
            CategorySet added = default, removed = default;
            foreach (var schedule in profile.Schedules)
            {
                if (!schedule.IsActive(local.Value, _calendar))
                {
                    trace?.Add(new TraceStep(TraceStage.Schedule, profile.Name, $"schedule '{schedule.Name}' not active at {local.Value:ddd yyyy-MM-dd HH:mm}"));
                    continue;
                }

                trace?.Add(new TraceStep(TraceStage.Schedule, profile.Name, $"schedule '{schedule.Name}' active at {local.Value:ddd yyyy-MM-dd HH:mm}: blocks {schedule.Block}, unblocks {schedule.Unblock}{(schedule.BlockAll ? ", blocks everything not allowed" : string.Empty)}"));
                added = added.Union(schedule.Block);
                removed = removed.Union(schedule.Unblock);
                if (schedule.BlockAll && blockAll is null)
                {
                    blockAll = schedule;
                    defaultBlock = true;
                }
            }

            // A block from any active schedule beats an unblock from another; illegal stays blocked.
            blocked = blocked.Except(removed).Union(added).Union(Categories.Illegal);
        }

        if (exemptions is not null)
        {
            // O3, W4: an approved exemption relaxes exactly the categories it names (never an illegal one), after the
            // schedules, so a category a schedule adds is relaxed too; every other blocked category still blocks.
            foreach (var exemption in exemptions)
            {
                var relaxed = exemption.Categories.Except(Categories.Illegal).Intersect(blocked);
                if (relaxed.IsEmpty)
                {
                    continue;
                }

                blocked = blocked.Except(relaxed);
                if (!matched.Intersect(relaxed).IsEmpty)
                {
                    exemptedBy ??= exemption.Citation;
                    trace?.Add(new TraceStep(TraceStage.Categories, profile.Name, $"category {matched.Intersect(relaxed)} is relaxed by an approved exemption: {exemption.Citation}"));
                }
            }
        }

        if (profile.Rules.Count > 0 && profile.Rules.FindBest(key, path, at, trace, profile.Name, exemptions, ref exemptedBy) is { } best)
        {
            var rule = best.Rule;
            if (best.Deny)
            {
                trace?.Add(new TraceStep(TraceStage.LocalLists, profile.Name, $"most specific rule is deny '{rule.Pattern}': blocked (local lists beat category lists)"));
                return new Verdict(DecisionReason.LocalDeny, blocked: true, rule: rule);
            }

            trace?.Add(new TraceStep(TraceStage.LocalLists, profile.Name, $"most specific rule is allow '{rule.Pattern}': allowed (local lists beat category lists)"));
            return new Verdict(DecisionReason.LocalAllow, blocked: false, rule: rule);
        }

        trace?.Add(new TraceStep(TraceStage.LocalLists, profile.Name, "no local rule matches"));
        var blockedMatch = matched.Mask & blocked.Mask;
        if (blockedMatch != 0)
        {
            var category = (Category)BitOperations.TrailingZeroCount(blockedMatch);
            FilterSchedule? cause = null;
            if (!profile.BlockedCategories.Contains(category) && local is { } now)
            {
                cause = ScheduleBlocking(profile, category, now);
            }

            trace?.Add(new TraceStep(TraceStage.Categories, profile.Name, $"blocks category '{Categories.NameOf(category)}' (blocked: {blocked})"));
            return new Verdict(DecisionReason.Category, blocked: true, category: category, schedule: cause);
        }

        trace?.Add(new TraceStep(TraceStage.Categories, profile.Name, matched.IsEmpty ? "no category matched" : $"categories {matched} are not blocked for this profile"));
        if (defaultBlock)
        {
            trace?.Add(new TraceStep(TraceStage.Default, profile.Name, blockAll is null ? "default is block: only the allow list is permitted" : $"schedule '{blockAll.Name}' blocks everything not allowed"));
            return new Verdict(blockAll is null ? DecisionReason.DefaultDeny : DecisionReason.ScheduleBlockAll, blocked: true, schedule: blockAll);
        }

        trace?.Add(new TraceStep(TraceStage.Default, profile.Name, "allowed"));
        return new Verdict(DecisionReason.Default, blocked: false);
    }

    /// <summary>The first active schedule that blocks <paramref name="category"/> (a loop, not a lambda: a closure here would allocate on every decision).</summary>
    private FilterSchedule? ScheduleBlocking(FilterProfile profile, Category category, DateTime local)
    {
        foreach (var schedule in profile.Schedules)
        {
            if (schedule.Block.Contains(category) && schedule.IsActive(local, _calendar))
            {
                return schedule;
            }
        }

        return null;
    }

    /// <summary>A category block naming the most specific list entry that carries <paramref name="category"/>.</summary>
    private FilterDecision CategoryBlock(DecisionReason reason, FilterProfile profile, Category category, CategorySet matched, ReadOnlySpan<SuffixHit> hits, UrlRuleEntry? urlBest, FilterSchedule? schedule, bool timeSensitive)
    {
        var bit = 1UL << (int)category;
        if (urlBest is { } url && url.Categories.Contains(category))
        {
            return new FilterDecision(DecisionOutcome.Block, reason, profile, category, matched, schedule: schedule, listName: Lists.SourceOf(category),
                entryText: url.Host + url.PathPrefix, timeSensitive: timeSensitive);
        }

        for (var i = hits.Length - 1; i >= 0; i--)
        {
            if ((hits[i].Mask & bit) != 0)
            {
                return new FilterDecision(DecisionOutcome.Block, reason, profile, category, matched, schedule: schedule, listName: Lists.SourceOf(category),
                    entrySet: Lists.Domains, entryOffset: hits[i].Offset, timeSensitive: timeSensitive);
            }
        }

        return new FilterDecision(DecisionOutcome.Block, reason, profile, category, matched, schedule: schedule, listName: Lists.SourceOf(category), timeSensitive: timeSensitive);
    }

    /// <summary>
    /// Maps a request's profile name to the profile. Hosts normally pass the same string instance on
    /// every request (a policy group ID, or <see cref="FilterProfile.Name"/> itself), so the first
    /// few profiles are compared by reference before the ordinal dictionary lookup, which would hash
    /// the whole name on every decision. Reference equality implies ordinal equality, so the fast path
    /// can never pick a different profile than the dictionary would.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private FilterProfile Resolve(scoped in FilterRequest request, int index, List<TraceStep>? trace)
    {
        if (trace is null && request.ProfileCount != 0)
        {
            var name = request.ProfileAt(index);
            foreach (var candidate in _byReference)
            {
                if (ReferenceEquals(candidate.Name, name))
                {
                    return candidate;
                }
            }
        }

        return ResolveSlow(request, index, trace);
    }

    private FilterProfile ResolveSlow(scoped in FilterRequest request, int index, List<TraceStep>? trace)
    {
        if (request.ProfileCount == 0)
        {
            trace?.Add(new TraceStep(TraceStage.Profile, _fallback.Name, "no profile given; using the fallback profile"));
            return _fallback;
        }

        var name = request.ProfileAt(index);
        if (name is not null && _profiles.TryGetValue(name, out var profile))
        {
            trace?.Add(new TraceStep(TraceStage.Profile, profile.Name, index == 0 ? "profile" : $"additional profile #{index + 1}"));
            return profile;
        }

        trace?.Add(new TraceStep(TraceStage.Profile, _fallback.Name, $"unknown profile '{name}'; using the fallback profile"));
        return _fallback;
    }

    /// <summary>
    /// What one profile concluded: small (two references and three bytes) so that evaluating several
    /// profiles does not copy a whole <see cref="FilterDecision"/> per profile.
    /// </summary>
    private readonly struct Verdict(DecisionReason reason, bool blocked, Category category = default, LocalRule? rule = null, FilterSchedule? schedule = null)
    {
        public DecisionReason Reason { get; } = reason;

        public bool Blocked { get; } = blocked;

        /// <summary>The blocked category; meaningful only when <see cref="Reason"/> is <see cref="DecisionReason.Category"/>.</summary>
        public Category Category { get; } = category;

        public LocalRule? Rule { get; } = rule;

        public FilterSchedule? Schedule { get; } = schedule;
    }
}

/// <summary>
/// The entry point for callers: holds the current <see cref="FilterSnapshot"/> and swaps it
/// atomically. Readers take the snapshot reference once per decision, so a swap never mixes old
/// lists with new profiles. Thread-safe.
/// </summary>
public sealed class FilterEngine
{
    private FilterSnapshot _current;

    /// <summary>Creates an engine with an initial snapshot.</summary>
    public FilterEngine(FilterSnapshot initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _current = initial;
    }

    /// <summary>The snapshot in force.</summary>
    public FilterSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Replaces the snapshot; returns the previous one. Decisions already running finish on the old one.</summary>
    public FilterSnapshot Swap(FilterSnapshot next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return Interlocked.Exchange(ref _current, next);
    }

    /// <summary>Decides <paramref name="request"/> against the current snapshot.</summary>
    public FilterDecision Decide(scoped in FilterRequest request) => Current.Decide(request);

    /// <summary>Decides with a full trace.</summary>
    public FilterDecision Explain(scoped in FilterRequest request) => Current.Explain(request);
}
