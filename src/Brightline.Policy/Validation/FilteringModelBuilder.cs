using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>The <c>filtering:</c> section → <see cref="FilteringPolicy"/>. Runs only on a tree that passed every check.</summary>
internal static class FilteringModelBuilder
{
    public static FilteringPolicy Build(YNode? node)
    {
        if (node is not { Kind: YNodeKind.Mapping })
        {
            return new FilteringPolicy();
        }

        return new FilteringPolicy
        {
            FallbackGroup = Str(node.Get("fallback_group")),
            Profiles = Items(node.Get("profiles")).Select(BuildProfile).ToList(),
            Lists = Items(node.Get("lists")).Select(BuildList).ToList(),
            Networks = Items(node.Get("networks")).Select(n => new FilterNetwork
            {
                Name = Str(n.Get("name")) ?? "",
                Cidr = Str(n.Get("cidr")) ?? "",
                Group = Str(n.Get("group")) ?? "",
            }).ToList(),
            Dns = BuildDns(node.Get("dns")),
            DecisionLog = BuildDecisionLog(node.Get("decision_log")),
        };
    }

    /// <summary>The schema has already refused anything but a whole number of days in range, so an absent value is the only default.</summary>
    private static DecisionLogSettings BuildDecisionLog(YNode? node) => node is { Kind: YNodeKind.Mapping }
        ? new DecisionLogSettings { RetentionDays = Int(node.Get("retention_days")) ?? DecisionLogSettings.DefaultRetentionDays }
        : new DecisionLogSettings();

    private static bool? Bool(YNode? node) => Str(node) is { } s && bool.TryParse(s, out var b) ? b : null;

    private static FilterProfilePolicy BuildProfile(YNode node) => new()
    {
        Group = Str(node.Get("group")) ?? "",
        Rule = Str(node.Get("rule")),
        Block = node.Get("block") is { Kind: YNodeKind.Sequence } block ? Strings(block) : null,
        AllowCategories = Strings(node.Get("allow_categories")),
        Allow = Items(node.Get("allow")).Select(BuildEntry).ToList(),
        Deny = Items(node.Get("deny")).Select(BuildEntry).ToList(),
        SafeSearch = Bool(node.Get("safe_search")) ?? true,
        YouTube = Str(node.Get("youtube")) is { } yt ? PolicyNames.Parse<YouTubeRestriction>(yt) : null,
        Default = Enum(node.Get("default"), FilterDefault.Allow),
        Schedules = Items(node.Get("schedules")).Select(BuildSchedule).ToList(),
    };

    private static FilterEntry BuildEntry(YNode node) => node.Kind == YNodeKind.Mapping
        ? new FilterEntry
        {
            Entry = (Str(node.Get("entry")) ?? "").Trim(),
            Expires = Date(node.Get("expires")),
            Reason = Str(node.Get("reason"))?.Trim(),
            Category = Str(node.Get("category")),
            Rule = Str(node.Get("rule")),
            Line = node.Line,
        }
        : new FilterEntry { Entry = (Str(node) ?? "").Trim(), Line = node.Line };

    private static readonly Dictionary<string, DayOfWeek> s_days = new(StringComparer.Ordinal)
    {
        ["mon"] = DayOfWeek.Monday, ["tue"] = DayOfWeek.Tuesday, ["wed"] = DayOfWeek.Wednesday, ["thu"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday, ["sat"] = DayOfWeek.Saturday, ["sun"] = DayOfWeek.Sunday,
    };

    private static FilterSchedulePolicy BuildSchedule(YNode node) => new()
    {
        Name = Str(node.Get("name")) ?? "",
        Days = Strings(node.Get("days")).Where(s_days.ContainsKey).Select(d => s_days[d]).Distinct().ToList(),
        // Issue 15: a schedule without on: applies on school days only (docs/filtering.md).
        On = Enum(node.Get("on"), ScheduleDays.SchoolDays),
        Times = Items(node.Get("times"))
            .Select(w => (From: Time(w.Get("from")), To: Time(w.Get("to"))))
            .Where(w => w.From is not null && w.To is not null)
            .Select(w => new ScheduleWindow(w.From!.Value, w.To!.Value))
            .ToList(),
        Block = Strings(node.Get("block")),
        Unblock = Strings(node.Get("unblock")),
        BlockAll = Bool(node.Get("block_all")) ?? false,
    };

    private static FilterListSource BuildList(YNode node) => new()
    {
        Name = Str(node.Get("name")) ?? "",
        Format = Enum(node.Get("format"), FilterListFormat.Plain),
        Path = Str(node.Get("path")) ?? "",
        Category = Str(node.Get("category")),
        Line = node.Line,
    };

    private static DnsSettings BuildDns(YNode? node)
    {
        var defaults = new DnsSettings();
        if (node is not { Kind: YNodeKind.Mapping })
        {
            return defaults;
        }

        return new DnsSettings
        {
            Enabled = Bool(node.Get("enabled")) ?? false,
            Listen = Strings(node.Get("listen")),
            Upstreams = Strings(node.Get("upstreams")),
            BlockedAnswer = Enum(node.Get("blocked_answer"), defaults.BlockedAnswer),
            BlockPageIpv4 = Str(node.Get("block_page_ipv4")),
            BlockPageIpv6 = Str(node.Get("block_page_ipv6")),
            PortalIpv4 = Str(node.Get("portal_ipv4")),
            PortalIpv6 = Str(node.Get("portal_ipv6")),
            SignInBindingMinutes = Int(node.Get("sign_in_binding_minutes")) ?? defaults.SignInBindingMinutes,
            ShortTtlSeconds = Int(node.Get("short_ttl_seconds")) ?? defaults.ShortTtlSeconds,
        };
    }
}
