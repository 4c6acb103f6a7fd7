namespace Brightline.Filtering;

/// <summary>
/// A school-local allow or deny entry on a profile: a domain (with subdomains), an exact host, or a
/// URL prefix (host with subdomains + path prefix, ASCII case-insensitive), optionally expiring.
/// </summary>
public sealed record LocalRule
{
    private LocalRule(MatchKind kind, string host, string? pathPrefix)
    {
        Kind = kind;
        Host = host;
        PathPrefix = pathPrefix;
    }

    /// <summary>How the rule matches.</summary>
    public MatchKind Kind { get; }

    /// <summary>Normalised host.</summary>
    public string Host { get; }

    /// <summary>Path prefix (starting with <c>/</c>) for <see cref="MatchKind.UrlPrefix"/>; otherwise null.</summary>
    public string? PathPrefix { get; }

    /// <summary>The rule stops applying at this instant (time-limited unblock or block); null = never.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>Why the rule exists (e.g. "approved unblock request 42 by J. Smith").</summary>
    public string? Reason { get; init; }

    /// <summary>The policy rule ID the entry implements, cited on the block page.</summary>
    public string? RuleId { get; init; }

    /// <summary>For a deny rule, the category to show on the block page; for an allow rule, must not be illegal.</summary>
    public Category? Category { get; init; }

    /// <summary>The rule as text: <c>example.com</c>, <c>=host.example.com</c> or <c>example.com/path</c> (the syntax <see cref="Parse"/> reads).</summary>
    public string Pattern => Kind switch
    {
        MatchKind.Domain => Host,
        MatchKind.ExactHost => "=" + Host,
        MatchKind.UrlPrefix => Host + PathPrefix,
        _ => Host,
    };

    /// <summary>A domain rule (the name and its subdomains).</summary>
    public static LocalRule Domain(string host) => new(MatchKind.Domain, NormaliseOrThrow(host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host.TrimStart('.')), null);

    /// <summary>An exact-host rule.</summary>
    public static LocalRule ExactHost(string host) => new(MatchKind.ExactHost, NormaliseOrThrow(host), null);

    /// <summary>A URL-prefix rule from <c>host/path</c> (scheme optional).</summary>
    public static LocalRule UrlPrefix(string hostAndPath)
    {
        var text = StripScheme(hostAndPath);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            ThrowHelper.ThrowConfiguration($"URL-prefix rule '{hostAndPath}' has no path; use a domain or exact-host rule.");
        }

        return new LocalRule(MatchKind.UrlPrefix, NormaliseOrThrow(text[..slash]), text[slash..]);
    }

    /// <summary>Parses <c>example.com</c> / <c>.example.com</c> / <c>*.example.com</c> (domain), <c>=host</c> (exact host) or <c>host/path</c> (URL prefix).</summary>
    public static LocalRule Parse(string text)
    {
        var trimmed = StripScheme(text.Trim());
        if (trimmed.StartsWith('='))
        {
            return ExactHost(trimmed[1..]);
        }

        return trimmed.Contains('/', StringComparison.Ordinal) ? UrlPrefix(trimmed) : Domain(trimmed);
    }

    /// <summary>Whether the rule applies at <paramref name="at"/>.</summary>
    public bool IsActiveAt(DateTimeOffset at) => Expires is not { } expires || at < expires;

    private static string StripScheme(string text)
    {
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return text[7..];
        }

        return text.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? text[8..] : text;
    }

    private static string NormaliseOrThrow(string host)
    {
        var normal = HostName.NormaliseToString(host);
        if (normal is null)
        {
            ThrowHelper.ThrowConfiguration($"'{host}' is not a valid host name.");
        }

        return normal;
    }
}

/// <summary>
/// A profile's allow and deny rules, compiled for lookup: rules are bucketed by host in a
/// <see cref="DomainTable"/>, and a lookup walks the query's suffixes collecting candidates.
/// </summary>
/// <remarks>
/// Precedence among matching rules (see docs/filtering-engine.md): the most specific rule wins,
/// ranked by (tier: URL prefix 3 &gt; exact host 2 &gt; domain 1; then host labels; then path length);
/// at equal rank a deny beats an allow. Expired rules are ignored.
/// </remarks>
internal sealed class LocalRuleTable
{
    private readonly DomainTable _table;
    private readonly (LocalRule Rule, bool Deny)[][] _buckets;

    public LocalRuleTable(IEnumerable<LocalRule> allow, IEnumerable<LocalRule> deny)
    {
        var table = new DomainTable();
        var buckets = new List<List<(LocalRule, bool)>>();
        Span<byte> buffer = stackalloc byte[HostName.BufferSize];
        foreach (var (rule, isDeny) in allow.Select(r => (r, false)).Concat(deny.Select(r => (r, true))))
        {
            HostName.TryNormalise(rule.Host, buffer, out var length);
            var name = buffer[..length];
            ref var value = ref table.GetOrAdd(HostName.Hash(name), name, out var added);
            if (added)
            {
                value = (uint)buckets.Count;
                buckets.Add([]);
            }

            buckets[(int)value].Add((rule, isDeny));
            Count++;
            HasExpiringRules |= rule.Expires is not null;
        }

        table.Seal();
        _table = table;
        _buckets = [.. buckets.Select(b => b.ToArray())];
    }

    public int Count { get; }

    public bool HasExpiringRules { get; }

    public (LocalRule Rule, bool Deny)? FindBest(NameKey key, ReadOnlySpan<char> path, DateTimeOffset at, List<TraceStep>? trace, string profile)
    {
        string? unused = null;
        return FindBest(key, path, at, trace, profile, null, ref unused);
    }

    /// <summary>
    /// As above, skipping the deny rules an approved exemption relaxes (O3, W4); <paramref name="exemptedBy"/> gets the
    /// citation of the first exemption that skipped a matching rule.
    /// </summary>
    public (LocalRule Rule, bool Deny)? FindBest(NameKey key, ReadOnlySpan<char> path, DateTimeOffset at, List<TraceStep>? trace, string profile,
        IReadOnlyList<FilterExemption>? exemptions, ref string? exemptedBy)
    {
        if (Count == 0)
        {
            return null;
        }

        (LocalRule Rule, bool Deny)? best = null;
        (int Tier, int Labels, int PathLength, int Deny) bestRank = default;
        var last = key.Count - 1;
        for (var i = 0; i <= last; i++)
        {
            if (!_table.TryGetValue(key.HashAt(i), key.Suffix(i), out var value, out _))
            {
                continue;
            }

            foreach (var candidate in _buckets[value])
            {
                var rule = candidate.Rule;
                int tier;
                switch (rule.Kind)
                {
                    case MatchKind.Domain:
                        tier = 1;
                        break;
                    case MatchKind.ExactHost:
                        if (i != last)
                        {
                            continue;
                        }

                        tier = 2;
                        break;
                    case MatchKind.UrlPrefix:
                        if (path.IsEmpty || !path.StartsWith(rule.PathPrefix, StringComparison.OrdinalIgnoreCase))
                        {
                            continue;
                        }

                        tier = 3;
                        break;
                    default:
                        continue;
                }

                if (!rule.IsActiveAt(at))
                {
                    trace?.Add(new TraceStep(TraceStage.LocalLists, profile, $"{(candidate.Deny ? "deny" : "allow")} rule '{rule.Pattern}' matches but expired at {rule.Expires:u}; ignored"));
                    continue;
                }

                if (candidate.Deny && exemptions is not null && Exempting(exemptions, rule) is { } exemption)
                {
                    trace?.Add(new TraceStep(TraceStage.LocalLists, profile, $"deny rule '{rule.Pattern}' (rule {rule.RuleId}) matches but is relaxed by an approved exemption: {exemption.Citation}"));
                    exemptedBy ??= exemption.Citation;
                    continue;
                }

                trace?.Add(new TraceStep(TraceStage.LocalLists, profile, $"{(candidate.Deny ? "deny" : "allow")} rule '{rule.Pattern}' matches"));
                var rank = (tier, i + 1, rule.PathPrefix?.Length ?? 0, candidate.Deny ? 1 : 0);
                if (best is null || rank.CompareTo(bestRank) > 0)
                {
                    best = candidate;
                    bestRank = rank;
                }
            }
        }

        return best;
    }

    private static FilterExemption? Exempting(IReadOnlyList<FilterExemption> exemptions, LocalRule rule)
    {
        foreach (var e in exemptions)
        {
            if (e.Relaxes(rule))
            {
                return e;
            }
        }

        return null;
    }
}
