using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>
/// Meaning checks for the <c>monitoring:</c> section that the schema cannot express: the notice says something and
/// the severity thresholds rise. Roles, the digest day and every number are checked by the schema (with a "did you
/// mean").
/// </summary>
internal sealed class MonitoringChecks(List<YamlProblem> problems)
{
    private static readonly (string Key, int Default)[] s_thresholds = [("low", 1), ("medium", 40), ("high", 120), ("critical", 240)];

    public void Run(YNode? monitoring)
    {
        if (monitoring is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        if (monitoring.Get("notice") is { } notice && Str(notice) is { } text && string.IsNullOrWhiteSpace(text))
        {
            problems.Add(new YamlProblem(notice.Line, notice.Column, "monitoring 'notice' is blank; give the text devices show, or remove it to quote the monitoring rule"));
        }

        CheckThresholds(monitoring.Get("thresholds"));
    }

    /// <summary>Each threshold, given or default, must be above the one before, or a severity could never be reached.</summary>
    private void CheckThresholds(YNode? thresholds)
    {
        if (thresholds is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        var (previousKey, previous) = (s_thresholds[0].Key, Int(thresholds.Get(s_thresholds[0].Key)) ?? s_thresholds[0].Default);
        foreach (var (key, fallback) in s_thresholds.AsSpan(1))
        {
            var node = thresholds.Get(key);
            var value = Int(node) ?? fallback;
            if (value <= previous)
            {
                var at = node ?? thresholds.Get(previousKey) ?? thresholds;
                problems.Add(new YamlProblem(at.Line, at.Column,
                    $"monitoring thresholds: '{key}' ({value}{(node is null ? ", the default" : "")}) must be higher than '{previousKey}' ({previous})"));
            }

            (previousKey, previous) = (key, value);
        }
    }
}
