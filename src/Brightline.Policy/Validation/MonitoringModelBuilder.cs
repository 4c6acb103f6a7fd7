using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>The <c>monitoring:</c> section → <see cref="MonitoringPolicy"/>. Runs only on a tree that passed every check, so an absent key is the only default.</summary>
internal static class MonitoringModelBuilder
{
    public static MonitoringPolicy Build(YNode? node)
    {
        var defaults = new MonitoringPolicy();
        if (node is not { Kind: YNodeKind.Mapping })
        {
            return defaults;
        }

        var thresholds = node.Get("thresholds");
        var alerts = node.Get("alerts");
        var escalation = node.Get("escalation");
        var digest = node.Get("digest");
        var tamper = node.Get("tamper");
        return new MonitoringPolicy
        {
            Notice = Str(node.Get("notice"))?.Trim(),
            Thresholds = new MonitoringThresholds
            {
                Low = Int(thresholds?.Get("low")) ?? defaults.Thresholds.Low,
                Medium = Int(thresholds?.Get("medium")) ?? defaults.Thresholds.Medium,
                High = Int(thresholds?.Get("high")) ?? defaults.Thresholds.High,
                Critical = Int(thresholds?.Get("critical")) ?? defaults.Thresholds.Critical,
            },
            GroupMinutes = Int(alerts?.Get("group_minutes")) ?? defaults.GroupMinutes,
            Immediate = OrDefault(alerts?.Get("immediate"), defaults.Immediate),
            // escalation: is either the ranked list itself or a mapping with roles and after_minutes.
            Escalation = escalation is { Kind: YNodeKind.Sequence } ? Strings(escalation) : OrDefault(escalation?.Get("roles"), defaults.Escalation),
            EscalateAfterMinutes = Int(escalation?.Get("after_minutes")) ?? defaults.EscalateAfterMinutes,
            Viewers = OrDefault(node.Get("viewers"), defaults.Viewers),
            RetentionDays = Int(node.Get("retention_days")) ?? defaults.RetentionDays,
            ExcludedSites = Strings(node.Get("excluded_sites")).Select(ExcludedSite.Normalise).Distinct(StringComparer.Ordinal).ToList(),
            Digest = new MonitoringDigest
            {
                Day = Str(digest?.Get("day")) is { } day ? System.Enum.Parse<DayOfWeek>(day, ignoreCase: true) : defaults.Digest.Day,
                Time = Time(digest?.Get("time")) ?? defaults.Digest.Time,
                Roles = OrDefault(digest?.Get("roles"), defaults.Digest.Roles),
            },
            Tamper = new MonitoringTamper
            {
                SilentMinutes = Int(tamper?.Get("silent_minutes")) ?? defaults.Tamper.SilentMinutes,
                Notify = OrDefault(tamper?.Get("notify"), defaults.Tamper.Notify),
            },
            Categories = BuildCategories(node.Get("categories")),
        };
    }

    /// <summary>
    /// <c>monitoring.categories</c>: viewers default to the notify roles that are portal roles, so whoever is emailed a
    /// link to an alert can open it (a chair of governors holds no portal role, and is only emailed).
    /// </summary>
    private static Dictionary<string, MonitoringCategoryRoute> BuildCategories(YNode? categories)
    {
        var routes = new Dictionary<string, MonitoringCategoryRoute>(StringComparer.Ordinal);
        if (categories is not { Kind: YNodeKind.Mapping })
        {
            return routes;
        }

        foreach (var (key, value) in categories.Pairs)
        {
            var notify = Strings(value.Get("notify"));
            routes[key.Value] = new MonitoringCategoryRoute
            {
                Notify = notify,
                Viewers = OrDefault(value.Get("viewers"), notify.Where(PortalRoleKeys.StaffRoles.Contains).ToList()),
            };
        }

        return routes;
    }

    internal static IReadOnlyList<string> OrDefault(YNode? list, IReadOnlyList<string> fallback) =>
        list is { Kind: YNodeKind.Sequence } ? Strings(list) : fallback;
}
