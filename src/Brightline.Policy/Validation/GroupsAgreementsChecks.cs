using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>
/// Meaning checks for issue 15 part 4 that the schema cannot express: the <c>attributes:</c> the people import keeps,
/// groups defined by them (<c>where:</c>), agreement questions and <c>parent_signs_for:</c>. A group naming an
/// attribute that no import supplies is a warning (nobody can be in it yet); a value the attribute does not allow is
/// an error, as is a parent signing on behalf of a group that is not a pupil group of the agreement's audience.
/// </summary>
internal sealed class GroupsAgreementsChecks(List<YamlProblem> problems, List<YamlProblem> warnings, IReadOnlyDictionary<string, string> groupKinds)
{
    private static readonly HashSet<string> s_builtIn = new(["kind", "year_groups", "year", "class", "phase", "email", "name"], StringComparer.Ordinal);

    public void Run(YNode root)
    {
        var attributes = CheckAttributes(root.Get("attributes"));
        foreach (var group in Items(root.Get("groups")))
        {
            CheckWhere(group, attributes);
        }

        foreach (var agreement in Items(root.Get("agreements")))
        {
            CheckAgreement(agreement);
        }
    }

    private Dictionary<string, List<string>> CheckAttributes(YNode? node)
    {
        var attributes = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var attribute in Items(node))
        {
            if (Str(attribute.Get("id")) is not { } id)
            {
                continue;
            }

            if (s_builtIn.Contains(id))
            {
                Add(attribute.Get("id")!, $"attribute '{id}' has the name of a column the people import already reads; choose another ID (e.g. '{id}_code')");
            }

            var values = new List<string>();
            foreach (var value in Items(attribute.Get("values")))
            {
                if (Str(value) is not { } v)
                {
                    continue;
                }

                if (values.Contains(v, StringComparer.OrdinalIgnoreCase))
                {
                    Add(value, $"attribute '{id}' lists the value '{v}' twice (values are matched ignoring case)");
                }

                values.Add(v);
            }

            if (!attributes.TryAdd(id, values))
            {
                Add(attribute.Get("id")!, $"duplicate attribute id '{id}'");
            }
        }

        return attributes;
    }

    private void CheckWhere(YNode group, Dictionary<string, List<string>> attributes)
    {
        if (group.Get("where") is not { Kind: YNodeKind.Mapping } where)
        {
            return;
        }

        var groupId = Str(group.Get("id")) ?? "?";
        if (where.Pairs.Count == 0)
        {
            Add(where, $"group '{groupId}': 'where' is empty; name at least one attribute, e.g. where: {{ house: Red }}");
        }

        foreach (var (key, value) in where.Pairs)
        {
            if (!attributes.TryGetValue(key.Value, out var allowed))
            {
                // A warning, not an error: the school may map the column later; until then nobody is in the group.
                warnings.Add(new YamlProblem(key.Line, key.Column,
                    $"group '{groupId}' is defined by attribute '{key.Value}', which 'attributes:' does not declare, so the people import never supplies it and nobody is in the group{Suggest.Hint(key.Value, attributes.Keys)}"));
                continue;
            }

            if (allowed.Count == 0)
            {
                continue;
            }

            foreach (var item in value.Kind == YNodeKind.Sequence ? value.Items : [value])
            {
                if (Str(item) is { } v && !allowed.Contains(v, StringComparer.OrdinalIgnoreCase))
                {
                    Add(item, $"group '{groupId}': attribute '{key.Value}' has no value '{v}' (its values are {string.Join(", ", allowed)}){Suggest.Hint(v, allowed)}");
                }
            }
        }
    }

    private void CheckAgreement(YNode agreement)
    {
        var owner = $"agreement '{Str(agreement.Get("id")) ?? "?"}'";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var question in Items(agreement.Get("questions")))
        {
            if (Str(question.Get("id")) is { } id && !seen.Add(id))
            {
                Add(question.Get("id")!, $"{owner} has two questions with id '{id}'");
            }
        }

        var audience = Strings(agreement.Get("audience")).ToHashSet(StringComparer.Ordinal);
        var signers = Str(agreement.Get("signers")) ?? "self";
        foreach (var node in Items(agreement.Get("parent_signs_for")))
        {
            if (Str(node) is not { } g)
            {
                continue;
            }

            if (!groupKinds.TryGetValue(g, out var kind))
            {
                Add(node, $"{owner} parent_signs_for refers to group '{g}', which is not defined{Suggest.Hint(g, groupKinds.Keys)}");
            }
            else if (!string.Equals(kind, "pupil", StringComparison.Ordinal))
            {
                Add(node, $"{owner}: a parent can sign only on behalf of a pupil; group '{g}' is a {kind} group");
            }
            else if (!audience.Contains(g))
            {
                Add(node, $"{owner} parent_signs_for names group '{g}', which is not in its audience ({string.Join(", ", audience)})");
            }
            else if (signers == "parent")
            {
                Add(node, $"{owner} already has signers 'parent', so a parent signs for every pupil; parent_signs_for is only for signers 'self' or 'both'");
            }
        }

        foreach (var field in Items(agreement.Get("fields")))
        {
            if (Str(field) == "child_name" && !audience.Any(g => groupKinds.TryGetValue(g, out var k) && string.Equals(k, "parent", StringComparison.Ordinal)))
            {
                Add(field, $"{owner} asks for 'child_name', which only a parent can give, but its audience has no parent group");
            }
        }
    }

    private void Add(YNode at, string message) => problems.Add(new YamlProblem(at.Line, at.Column, message));
}
