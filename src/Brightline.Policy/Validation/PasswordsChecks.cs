using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>
/// Meaning checks for the <c>passwords:</c> section (issue 15; F3, C16, H13) that the schema cannot express: groups
/// exist and are in one rule each, one default rule at most, <c>remember</c> is a number or <c>all</c>, <c>max_age</c>
/// is a period the portal can count (half terms and terms need <c>school.calendar.terms</c>), the warning comes before
/// the expiry. Unknown keys and words are the schema's (with a "did you mean").
/// </summary>
internal sealed class PasswordsChecks(List<YamlProblem> problems, IReadOnlyCollection<string> groupIds, int calendarTerms)
{
    public void Run(YNode? passwords)
    {
        if (passwords is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        var seen = new Dictionary<string, YNode>(StringComparer.Ordinal);
        YNode? defaultRule = null;
        foreach (var rule in Items(passwords.Get("rules")))
        {
            if (rule.Kind != YNodeKind.Mapping)
            {
                continue;
            }

            if (rule.Get("groups") is null)
            {
                if (defaultRule is not null)
                {
                    Add(rule, $"passwords: a second rule without 'groups'; only one default rule is allowed (the first is at line {defaultRule.Line}); give this one 'groups: [...]'");
                }

                defaultRule ??= rule;
            }

            foreach (var groupNode in Items(rule.Get("groups")))
            {
                if (Str(groupNode) is not { } group)
                {
                    continue;
                }

                if (!groupIds.Contains(group))
                {
                    Add(groupNode, $"passwords rule refers to group '{group}', which is not defined in 'groups'{Suggest.Hint(group, groupIds)}");
                }
                else if (!seen.TryAdd(group, groupNode))
                {
                    Add(groupNode, $"passwords: group '{group}' is already in the rule at line {seen[group].Line}; a group may be in one rule only");
                }
            }

            CheckRule(rule);
        }
    }

    private void Add(YNode at, string message) => problems.Add(new YamlProblem(at.Line, at.Column, message));

    private void CheckRule(YNode rule)
    {
        if (rule.Get("remember") is { ScalarType: YScalarType.String } remember
            && !string.Equals(remember.Value.Trim(), PasswordsModelBuilder.RememberAll, StringComparison.Ordinal))
        {
            Add(remember, $"passwords 'remember' must be a number of earlier passwords or '{PasswordsModelBuilder.RememberAll}', not '{remember.Value}'{Suggest.Hint(remember.Value, [PasswordsModelBuilder.RememberAll])}");
        }

        PasswordMaxAge? maxAge = null;
        if (rule.Get("max_age") is { } maxAgeNode && Str(maxAgeNode) is { } text)
        {
            maxAge = PasswordsModelBuilder.ParseMaxAge(text);
            if (maxAge is null)
            {
                Add(maxAgeNode, $"passwords 'max_age' must be a number of days, half terms or terms, e.g. '90 days', '1 half term' or '1 term', not '{text}'");
            }
            else if (maxAge.Unit != PasswordAgeUnit.Days && calendarTerms == 0)
            {
                Add(maxAgeNode, $"passwords 'max_age: {text}' counts school {(maxAge.Unit == PasswordAgeUnit.Terms ? "terms" : "half terms")}, but school.calendar has no 'terms'; add the terms (name, start, end, half_term) or give the age in days (e.g. '42 days')");
            }
        }

        if (rule.Get("warn_before_days") is { } warnNode && Int(warnNode) is { } warn)
        {
            if (maxAge is null && rule.Get("max_age") is null)
            {
                Add(warnNode, "passwords 'warn_before_days' warns before a password expires, but this rule has no 'max_age'; add one or remove the warning");
            }
            else if (maxAge is { Unit: PasswordAgeUnit.Days } age && warn >= age.Count)
            {
                Add(warnNode, $"passwords 'warn_before_days' ({warn}) must be fewer than the {age.Count} days of 'max_age'");
            }
        }

        var requireSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Items(rule.Get("require")).Concat(Items(rule.Get("reject"))))
        {
            if (Str(item) is { } word && !requireSeen.Add(word))
            {
                Add(item, $"passwords: '{word}' is listed twice");
            }
        }
    }
}
