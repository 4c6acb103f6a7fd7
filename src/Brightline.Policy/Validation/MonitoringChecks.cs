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
        CheckExcludedSites(monitoring.Get("excluded_sites"));
        CheckCategories(monitoring.Get("categories"));
    }

    /// <summary>
    /// Each key of <c>monitoring.categories</c> is a category the engine raises alerts in (a misspelt one would route
    /// nothing, silently), and each entry says who is told or who may see (H12).
    /// </summary>
    private void CheckCategories(YNode? categories)
    {
        if (categories is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        foreach (var (key, value) in categories.Pairs)
        {
            if (!Model.MonitoringCategoryIds.All.Contains(key.Value, StringComparer.Ordinal))
            {
                problems.Add(new YamlProblem(key.Line, key.Column,
                    $"monitoring.categories: '{key.Value}' is not a monitoring category{Suggest.Hint(key.Value, Model.MonitoringCategoryIds.All)} (known: {string.Join(", ", Model.MonitoringCategoryIds.All)})"));
            }
            else if (value is { Kind: YNodeKind.Mapping, Pairs.Count: 0 })
            {
                problems.Add(new YamlProblem(key.Line, key.Column, $"monitoring.categories.{key.Value} names nobody: give 'notify' (roles emailed) or 'viewers' (roles that may see its alerts), or remove it"));
            }
        }
    }

    /// <summary>
    /// Each excluded site is a host name (subdomains included). A URL or a wildcard is an error naming the host the
    /// school probably meant, never silently cut down to one: an exclusion that matched nothing would capture what
    /// the school promised not to (O9).
    /// </summary>
    private void CheckExcludedSites(YNode? sites)
    {
        if (sites is not { Kind: YNodeKind.Sequence })
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in Items(sites))
        {
            index++;
            if (Str(item) is not { } entry)
            {
                continue;
            }

            if (Model.ExcludedSite.Problem(entry) is { } problem)
            {
                var meant = Model.ExcludedSite.HostOfUrl(entry);
                problems.Add(new YamlProblem(item.Line, item.Column,
                    $"monitoring.excluded_sites[{index}] '{entry}' {problem}{(meant is not null && !string.Equals(meant, entry, StringComparison.Ordinal) ? $"; did you mean '{meant}'?" : "")}"));
            }
            else if (!seen.Add(Model.ExcludedSite.Normalise(entry)))
            {
                problems.Add(new YamlProblem(item.Line, item.Column, $"monitoring.excluded_sites[{index}] '{entry}' is listed twice"));
            }
        }
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
