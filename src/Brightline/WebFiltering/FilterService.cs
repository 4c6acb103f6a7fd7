using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Filtering;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.WebFiltering;

/// <summary>
/// One <see cref="FilterEngine"/> per school, compiled from the school's active policy and the lists it
/// names. A change of active policy is noticed by polling the active version IDs (cheap, and it works
/// the same when several filter nodes share one database); the new snapshot is compiled off the
/// answer path and swapped in atomically, so decisions never wait for a recompile.
/// </summary>
public sealed partial class FilterService(IServiceScopeFactory scopes, FilteringOptions options, TimeProvider time, ILogger<FilterService> logger)
{
    /// <summary>A profile name no policy defines, so the engine's fail-closed fallback applies.</summary>
    public const string NoProfile = "(no profile)";

    private readonly ConcurrentDictionary<string, SchoolFilter> _schools = new(StringComparer.Ordinal);
    private StaleRefresh? _refresh;
    private readonly ConcurrentDictionary<string, string> _overrideStamps = new(StringComparer.Ordinal);

    public FilteringOptions Options => options;

    /// <summary>Every school compiled so far.</summary>
    public IReadOnlyCollection<SchoolFilter> Schools => (IReadOnlyCollection<SchoolFilter>)_schools.Values;

    public SchoolFilter? Find(string schoolId) => _schools.GetValueOrDefault(schoolId);

    /// <summary>The school's filter, compiling it first if this process has not yet.</summary>
    public async Task<SchoolFilter> GetAsync(string schoolId, CancellationToken cancellationToken)
    {
        if (_schools.TryGetValue(schoolId, out var school))
        {
            return school;
        }

        await RefreshAsync(cancellationToken);
        return _schools.TryGetValue(schoolId, out school)
            ? school
            : throw new NotFoundException($"School '{schoolId}' has no policy loaded. Load one with `brightline policy load FILE`.");
    }

    /// <summary>Checks for policy changes at most every <see cref="FilteringOptions.RefreshInterval"/> when asked from the answer path.</summary>
    private StaleRefresh Refresher => LazyInitializer.EnsureInitialized(
        ref _refresh, () => new StaleRefresh(options.RefreshInterval, time, logger, "Checking for policy changes", CompileChangedAsync));

    /// <summary>True when the last check for policy changes is older than the refresh interval.</summary>
    public bool IsStale => Refresher.IsStale;

    /// <summary>
    /// Starts a refresh in the background if one is due and none is running; never waits. The DNS
    /// policy calls this on its answer path, so a policy change reaches DNS without a timer service.
    /// </summary>
    public void RefreshInBackgroundIfStale() => Refresher.RunInBackgroundIfStale();

    /// <summary>Compiles every school whose active policy version changed since the last refresh.</summary>
    public Task RefreshAsync(CancellationToken cancellationToken) => Refresher.RunAsync(cancellationToken);

    private async Task CompileChangedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var active = await db.PolicyVersions.AsNoTracking().Where(v => v.IsActive)
            .Select(v => new { v.SchoolId, v.Id }).ToListAsync(cancellationToken);
        // Portal overrides (approved unblock requests and reported misses) change without a new policy version:
        // a cheap stamp per school (count, newest, withdrawn) notices them, on this node or any other.
        var stamps = await db.Set<FilterOverride>().AsNoTracking().GroupBy(o => o.SchoolId)
            .Select(g => new { SchoolId = g.Key, Count = g.Count(), Max = g.Max(o => o.Id), Withdrawn = g.Count(o => o.WithdrawnAt != null) })
            .ToListAsync(cancellationToken);
        foreach (var version in active)
        {
            var stamp = stamps.FirstOrDefault(s => string.Equals(s.SchoolId, version.SchoolId, StringComparison.Ordinal)) is { } st
                ? string.Create(CultureInfo.InvariantCulture, $"{st.Count}/{st.Max}/{st.Withdrawn}")
                : "0";
            if (_schools.TryGetValue(version.SchoolId, out var existing) && existing.PolicyVersionId == version.Id
                && _overrideStamps.TryGetValue(version.SchoolId, out var known) && string.Equals(known, stamp, StringComparison.Ordinal))
            {
                continue;
            }

            var store = scope.ServiceProvider.GetRequiredService<PolicyStore>();
            var policy = await store.ActiveVersionAsync(version.SchoolId, cancellationToken);
            var overrides = await db.Set<FilterOverride>().AsNoTracking()
                .Where(o => o.SchoolId == version.SchoolId && o.WithdrawnAt == null).OrderBy(o => o.Id).ToListAsync(cancellationToken);
            Apply(version.SchoolId, policy.Version.Id, policy.Policy, $"{version.SchoolId} policy {policy.Policy.Policy.Version}", overrides);
            _overrideStamps[version.SchoolId] = stamp;
        }
    }

    /// <summary>Compiles <paramref name="policy"/> and swaps it in for <paramref name="schoolId"/> (also used by tests and the CLI).</summary>
    public SchoolFilter Apply(string schoolId, long policyVersionId, SchoolPolicy policy, string version) =>
        Apply(schoolId, policyVersionId, policy, version, []);

    /// <summary>As above, with the school's portal overrides applied on top of the policy's lists.</summary>
    public SchoolFilter Apply(string schoolId, long policyVersionId, SchoolPolicy policy, string version, IReadOnlyList<FilterOverride> overrides)
    {
        // Same policy version (only portal overrides changed): keep the lists, rebuild the profiles.
        var reuse = policyVersionId > 0 && _schools.TryGetValue(schoolId, out var current) && current.PolicyVersionId == policyVersionId && current.Loaded is { } loaded
            ? loaded
            : null;
        var compilation = FilterCompiler.Compile(policy, options.ListRoot, version, overrides, reuse: reuse);
        var networks = policy.Filtering.Networks
            .Select(n => (Ok: IPNetwork.TryParse(n.Cidr, out var range), Range: range, n.Group))
            .Where(n => n.Ok)
            .OrderByDescending(n => n.Range.PrefixLength)
            .Select(n => (n.Range, n.Group))
            .ToList();
        void Fill(SchoolFilter target)
        {
            target.Loaded = compilation.Loaded;
            target.Policy = policy;
            target.PolicyVersionId = policyVersionId;
            target.Problems = compilation.Problems;
            target.ListSizes = compilation.ListSizes;
            target.Overrides = overrides;
            target.ProfileGroups = compilation.Snapshot.Profiles.Keys.ToHashSet(StringComparer.Ordinal);
            target.Networks = networks;
        }

        // A school seen for the first time is filled in before it is published: a DNS query arriving between
        // publication and the assignments could meet a null Policy (issue 10, item 12).
        var fresh = new SchoolFilter(schoolId, new FilterEngine(compilation.Snapshot));
        Fill(fresh);
        var school = _schools.GetOrAdd(schoolId, fresh);
        if (!ReferenceEquals(school, fresh))
        {
            school.Engine.Swap(compilation.Snapshot);
            Fill(school);
        }

        LogCompiled(logger, schoolId, compilation.Snapshot.Profiles.Count, compilation.Problems.Count);
        return school;
    }

    /// <summary>Recompiles now, after a change to a school's overrides, so it takes effect at once.</summary>
    public Task RefreshNowAsync(CancellationToken cancellationToken) => RefreshAsync(cancellationToken);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Filter for school {SchoolId} compiled: {Profiles} profiles, {Problems} problems")]
    private static partial void LogCompiled(ILogger logger, string schoolId, int profiles, int problems);

}
