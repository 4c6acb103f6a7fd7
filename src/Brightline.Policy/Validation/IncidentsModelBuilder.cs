using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;
using static Brightline.Policy.Validation.MonitoringModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>The <c>incidents:</c> section → <see cref="IncidentsPolicy"/>: the registers it names change only the keys given. Runs only on a checked tree.</summary>
internal static class IncidentsModelBuilder
{
    public static IncidentsPolicy Build(YNode? node)
    {
        var defaults = new IncidentsPolicy();
        if (node is not { Kind: YNodeKind.Mapping })
        {
            return defaults;
        }

        var kinds = IncidentsPolicy.DefaultKinds.ToList();
        if (node.Get("kinds") is { Kind: YNodeKind.Mapping } kindMap)
        {
            foreach (var (key, value) in kindMap.Pairs)
            {
                var index = kinds.FindIndex(k => string.Equals(k.Key, key.Value, StringComparison.Ordinal));
                var d = kinds[index];
                kinds[index] = d with
                {
                    Label = Str(value.Get("label"))?.Trim() ?? d.Label,
                    Record = OrDefault(value.Get("record"), d.Record),
                    Notify = OrDefault(value.Get("notify"), d.Notify),
                    Read = OrDefault(value.Get("read"), d.Read),
                    RetentionDays = value.Get("retention_days") is { } retention ? Int(retention) : d.RetentionDays,
                };
            }
        }

        var serious = node.Get("serious");
        var breach = node.Get("data_breach");
        var lineReports = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (node.Get("line_reports") is { Kind: YNodeKind.Mapping } lines)
        {
            foreach (var (role, reports) in lines.Pairs)
            {
                lineReports[role.Value] = Strings(reports);
            }
        }

        return new IncidentsPolicy
        {
            Kinds = kinds,
            PersistentCount = Int(serious?.Get("count")) ?? defaults.PersistentCount,
            PersistentDays = Int(serious?.Get("days")) ?? defaults.PersistentDays,
            SeriousNotify = OrDefault(serious?.Get("notify"), defaults.SeriousNotify),
            BreachDeadlineHours = Int(breach?.Get("deadline_hours")) ?? defaults.BreachDeadlineHours,
            BreachChaseHours = breach?.Get("chase_hours") is { Kind: YNodeKind.Sequence } chase
                ? [.. Items(chase).Select(Int).OfType<int>().Order()]
                : defaults.BreachChaseHours,
            LineReports = lineReports,
        };
    }
}
