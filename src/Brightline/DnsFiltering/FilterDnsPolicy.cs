using System.Collections.Concurrent;
using System.Net;
using Brightline.Access;
using Brightline.AccessChanges;
using Brightline.ClientBindings;
using Brightline.Data;
using Brightline.Dns.Policy;
using Brightline.Filtering;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.WebFiltering;
using Microsoft.EntityFrameworkCore;

namespace Brightline.DnsFiltering;

/// <summary>
/// Who is asking, and what they may resolve. A client address bound to a signed-in person gets that
/// person's groups' profiles — or, when the access gate refuses them the internet (agreement unsigned,
/// sanction), the portal for every name. Otherwise the most specific policy network decides the group.
/// The filtering engine then allows (forward), blocks (block page or NXDOMAIN, per policy) or rewrites
/// (safe search, YouTube Restricted Mode). Answers that may change soon carry the short TTL.
/// </summary>
/// <remarks>
/// Warm queries do no I/O: the gate's answer for a person is cached for <see cref="DnsHostOptions.GateCacheSeconds"/>
/// seconds; only a cold person costs one database round trip. A published access change (sanction, approval,
/// signature, sign-in, leaver) drops the person's cached answer (<see cref="OnChanged"/>): at once when it was
/// committed in this process, within <c>Brightline:Access:ChangePollMilliseconds</c> when another process committed it. Search terms never appear in DNS names
/// (a query carries only the host), so there is nothing to strip here; the proxy path must strip them from URLs.
/// </remarks>
public sealed class FilterDnsPolicy(
    FilterService filters,
    DnsClientBindings bindings,
    IServiceScopeFactory scopes,
    DnsHostOptions options,
    TimeProvider time) : IDnsQueryPolicy, IAccessChangeSubscriber
{
    private readonly ConcurrentDictionary<(string School, Guid Person), GateEntry> _gate = new();

    private sealed record GateEntry(bool InternetAllowed, string? RefusedCode, string[] Groups, DateTimeOffset Expires, CategorySet Restricted = default)
    {
        /// <summary>The person's class: a teacher's temporary unblock for it swaps in the class's copy of the profile.</summary>
        public string? ClassName { get; init; }

        /// <summary>C11: end of the person's unrestricted override; compared with now on every query.</summary>
        public DateTimeOffset? UnrestrictedUntil { get; init; }

        /// <summary>O3, W4: exemptions in force, each relaxing exactly its category or deny rules (the entry expires with the first to end).</summary>
        public IReadOnlyList<FilterExemption> Exemptions { get; init; } = [];
    }

    public async ValueTask<DnsPolicyAnswer> DecideAsync(DnsQueryContext context, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (filters.Schools.Count == 0 && filters.IsStale)
        {
            // Cold start: nothing compiled yet, so this query waits for the first compile (at most once per refresh interval).
            await filters.RefreshAsync(cancellationToken);
        }

        filters.RefreshInBackgroundIfStale();
        bindings.SyncInBackgroundIfStale();

        var binding = bindings.Find(context.ClientAddress);
        if (binding is not null && filters.Find(binding.SchoolId) is { } boundSchool
            && await DecideForPersonAsync(boundSchool, binding.PersonId, context.QueryName, path: default, cancellationToken, binding.Network) is { } personal)
        {
            return personal;
        }

        foreach (var school in filters.Schools)
        {
            if (school.GroupFor(context.ClientAddress) is { } group)
            {
                return Decide(school, school.ProfilesForGroup(group), context.QueryName, now, null, forceShortTtl: false);
            }
        }

        // Outside every known network: with one school, its fallback profile (fail closed); with several, refuse rather than guess.
        return filters.Schools.Count == 1 && filters.Schools.First() is { } only
            ? Decide(only, only.ProfilesFor([]), context.QueryName, now, null, forceShortTtl: false)
            : DnsPolicyAnswer.Refuse(new DnsLogPayload(null, "unknown-client", null, null));
    }

    /// <summary>
    /// The answer for a person known by other means than a bound address — the browser extension's token
    /// (<c>Brightline.BrowserExtension</c>) — with exactly what a bound address gets: the gate (agreements,
    /// sanctions), restricted categories, approvals (C11, O14), class unblocks, schedules and illegal lists.
    /// A <paramref name="path"/> (the extension sees whole URLs) lets the profiles' path rules decide as well.
    /// Null when the person is not (or no longer) at the school. A <paramref name="network"/> (RADIUS accounting said where the
    /// device is) brings that network's location rules: outside its opening hours for the person every name is blocked,
    /// and a location's filtering line may put them on another group's profile (docs/network.md#locations).
    /// </summary>
    public async ValueTask<DnsPolicyAnswer?> DecideForPersonAsync(SchoolFilter school, Guid personId, string host, string? path, CancellationToken cancellationToken,
        string? network = null)
    {
        ArgumentNullException.ThrowIfNull(school);
        var gate = await GateAsync(school.SchoolId, personId, cancellationToken);
        if (gate is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var settings = school.Policy.Filtering.Dns;
        var shortTtl = TimeSpan.FromSeconds(settings.ShortTtlSeconds);
        var person = personId.ToString();
        if (!gate.InternetAllowed)
        {
            return DnsPolicyAnswer.Portal(Parse(settings.PortalIpv4 ?? settings.BlockPageIpv4), Parse(settings.PortalIpv6 ?? settings.BlockPageIpv6), shortTtl,
                new DnsLogPayload(null, gate.RefusedCode, null, person, school.SchoolId));
        }

        var groups = gate.Groups;
        if (school.Policy.Network.FindNetwork(network) is { } on)
        {
            var where = NetworkWhere.Evaluate(school.Policy, on, school.Policy.Network.FindLocation(on.Location), gate.Groups, now, school.Engine.Current.Options.TimeZone);
            if (!where.Open)
            {
                // The network is closed to them now (RADIUS ends the session at the boundary; a device that lingers gets nothing).
                return Closed(school, shortTtl, person, where.ClosedWords!);
            }

            if (where.ProfileGroup is { } profile)
            {
                groups = [profile];
            }
        }

        if (!gate.Restricted.IsEmpty && Restricted(school, gate.Restricted, host, shortTtl, person) is { } restricted)
        {
            return restricted;
        }

        if (gate.UnrestrictedUntil is { } until && until > now)
        {
            return Unrestricted(school, host, shortTtl, person);
        }

        // A binding lapses and a sanction can start at any moment: keep the person's answers short-lived.
        return Decide(school, school.ProfilesFor(groups, gate.ClassName), host, now, person, forceShortTtl: true, path, gate.Exemptions);
    }

    /// <summary>Outside the network's or location's opening hours for the person: every name is blocked, saying why in the log.</summary>
    private static DnsPolicyAnswer Closed(SchoolFilter school, TimeSpan ttl, string person, string words)
    {
        var settings = school.Policy.Filtering.Dns;
        var payload = new DnsLogPayload(null, $"network_closed: {words}", "(closed)", person, school.SchoolId);
        return settings.BlockedAnswer switch
        {
            BlockedAnswer.Address => DnsPolicyAnswer.BlockWithAddress(Parse(settings.BlockPageIpv4), Parse(settings.BlockPageIpv6), ttl, payload),
            BlockedAnswer.Nxdomain => DnsPolicyAnswer.BlockWithNxDomain(ttl, payload),
            _ => DnsPolicyAnswer.BlockWithNxDomain(ttl, payload),
        };
    }

    private static DnsPolicyAnswer Decide(SchoolFilter school, string[] profiles, string name, DateTimeOffset now, string? person, bool forceShortTtl, string? path = null,
        IReadOnlyList<FilterExemption>? exemptions = null)
    {
        var decision = school.Engine.Decide(new FilterRequest(profiles, name, now, path) { Exemptions = exemptions });
        var settings = school.Policy.Filtering.Dns;
        TimeSpan? cap = forceShortTtl || decision.IsTimeSensitive ? TimeSpan.FromSeconds(settings.ShortTtlSeconds) : null;
        var payload = new DnsLogPayload(
            decision.Category is { } c ? Categories.NameOf(c) : null,
            Reason(decision),
            decision.ProfileName ?? string.Join(',', profiles),
            person,
            school.SchoolId);
        return decision.Outcome switch
        {
            DecisionOutcome.Allow => DnsPolicyAnswer.Forward(cap, payload),
            DecisionOutcome.Rewrite => DnsPolicyAnswer.Rewrite(decision.RewriteHost!, cap, payload),
            DecisionOutcome.Block => settings.BlockedAnswer switch
            {
                BlockedAnswer.Nxdomain => DnsPolicyAnswer.BlockWithNxDomain(cap, payload),
                BlockedAnswer.Address => DnsPolicyAnswer.BlockWithAddress(Parse(settings.BlockPageIpv4), Parse(settings.BlockPageIpv6), cap, payload),
                _ => DnsPolicyAnswer.BlockWithNxDomain(cap, payload),
            },
            _ => DnsPolicyAnswer.BlockWithNxDomain(cap, payload),
        };
    }

    /// <summary>A restrict_categories sanction: names in the restricted categories are blocked whatever the profiles allow.</summary>
    private static DnsPolicyAnswer? Restricted(SchoolFilter school, CategorySet restricted, string name, TimeSpan ttl, string person)
    {
        var hit = school.Engine.Current.Lists.Match(name).Intersect(restricted);
        if (hit.IsEmpty)
        {
            return null;
        }

        var settings = school.Policy.Filtering.Dns;
        var category = Categories.All.First(c => hit.Contains(c.Category)).Name;
        var payload = new DnsLogPayload(category, "sanction: restrict_categories", null, person, school.SchoolId);
        return settings.BlockedAnswer switch
        {
            BlockedAnswer.Address => DnsPolicyAnswer.BlockWithAddress(Parse(settings.BlockPageIpv4), Parse(settings.BlockPageIpv6), ttl, payload),
            BlockedAnswer.Nxdomain => DnsPolicyAnswer.BlockWithNxDomain(ttl, payload),
            _ => DnsPolicyAnswer.BlockWithNxDomain(ttl, payload),
        };
    }

    /// <summary>C11 override in force: every name is forwarded except those on an illegal-content list, which nothing can allow.</summary>
    private static DnsPolicyAnswer Unrestricted(SchoolFilter school, string name, TimeSpan ttl, string person)
    {
        var illegal = school.Engine.Current.Lists.Match(name).Intersect(Categories.Illegal);
        if (illegal.IsEmpty)
        {
            return DnsPolicyAnswer.Forward(ttl, new DnsLogPayload(null, "approval: unrestricted (C11)", "(unrestricted)", person, school.SchoolId));
        }

        var settings = school.Policy.Filtering.Dns;
        var category = Categories.All.First(c => illegal.Contains(c.Category)).Name;
        var payload = new DnsLogPayload(category, "illegal_category", "(unrestricted)", person, school.SchoolId);
        return settings.BlockedAnswer switch
        {
            BlockedAnswer.Address => DnsPolicyAnswer.BlockWithAddress(Parse(settings.BlockPageIpv4), Parse(settings.BlockPageIpv6), ttl, payload),
            BlockedAnswer.Nxdomain => DnsPolicyAnswer.BlockWithNxDomain(ttl, payload),
            _ => DnsPolicyAnswer.BlockWithNxDomain(ttl, payload),
        };
    }

    /// <summary>The log's reason: what decided, and the rule or list behind it.</summary>
    private static string Reason(in FilterDecision d)
    {
        var reason = PolicyReason(d.Reason);
        var rule = d.Rule?.RuleId ?? d.Profile?.Definition.RuleId;
        var detail = d.Reason switch
        {
            DecisionReason.LocalAllow or DecisionReason.LocalDeny => d.Rule?.Pattern,
            DecisionReason.Category or DecisionReason.IllegalCategory => d.Schedule is { } s ? $"{d.ListName} during {s.Name}" : d.ListName,
            DecisionReason.ScheduleBlockAll => d.Schedule?.Name,
            DecisionReason.SafeSearch or DecisionReason.YouTubeRestricted => d.RewriteHost,
            DecisionReason.Default or DecisionReason.InvalidHost or DecisionReason.DefaultDeny => null,
            _ => null,
        };
        var text = detail is null ? reason : $"{reason}: {detail}";
        text = rule is null || d.Outcome != DecisionOutcome.Block ? text : $"{text} (rule {rule})";
        // O3, W4: an allow that an approved exemption made says so, citing the approval.
        text = d.Exemption is { } exemption ? $"{text} (exemption: {exemption})" : text;
        return text.Length > 300 ? text[..300] : text;
    }

    private static string PolicyReason(DecisionReason reason) => Brightline.Policy.PolicyNames.ToSnake(reason);

    private static IPAddress? Parse(string? text) => text is not null && IPAddress.TryParse(text, out var a) ? a : null;

    private async Task<GateEntry?> GateAsync(string schoolId, Guid personId, CancellationToken cancellationToken)
    {
        var key = (schoolId, personId);
        var now = time.GetUtcNow();
        if (_gate.TryGetValue(key, out var cached) && cached.Expires > now)
        {
            return cached;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == schoolId && p.Id == personId, cancellationToken);
        var school = filters.Find(schoolId);
        if (person is null || school is null)
        {
            // Someone removed since they signed in: treat the address as unbound.
            return null;
        }

        var decision = await scope.ServiceProvider.GetRequiredService<AccessGate>().EvaluateAsync(schoolId, personId, cancellationToken);
        var internet = decision.Items.First(i => i.Access == AccessKind.Internet);
        // Approvals in force (C11 unrestricted, O14 official capacity); the cached answer never outlives the earliest end.
        var approvals = await Approvals.ApprovalEffects.ForPersonAsync(db, school.Policy, schoolId, personId, now, cancellationToken);
        var expires = now + TimeSpan.FromSeconds(options.GateCacheSeconds);
        var entry = new GateEntry(
            internet.Allowed,
            internet.Reasons.Count > 0 ? internet.Reasons[0].Code : null,
            [.. PersonGroups.For(school.Policy, person).Select(g => g.Id), .. approvals.ExtraGroups],
            approvals.ValidUntil is { } end && end < expires ? end : expires,
            decision.RestrictedCategories.Aggregate(CategorySet.Empty, (set, n) => Categories.TryParse(n, out var c) ? set.With(c) : set))
        {
            ClassName = person.ClassName,
            UnrestrictedUntil = approvals.UnrestrictedUntil,
            Exemptions = approvals.Exemptions,
        };
        if (_gate.Count > DnsClientBindings.MaxBindings)
        {
            _gate.Clear();
        }

        _gate[key] = entry;
        return entry;
    }

    /// <summary>An access change: the person's next query asks the gate afresh (every person of the school, for a school-wide change).</summary>
    public void OnChanged(AccessChange change) => change.ForgetIn(_gate);
}
