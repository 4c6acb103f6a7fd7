using System.Text.RegularExpressions;
using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>
/// Meaning checks for the <c>approvals:</c> section that the schema cannot express: type IDs, a kind for every type
/// that is not built in, durations that fit, approvers where the kind needs them, the group a kind acts through,
/// and no key that the type's kind does not read. Roles, kinds and shapes are checked by the schema (with a "did
/// you mean"). Works out each type's effective values from the same defaults the model builder uses.
/// </summary>
/// <param name="personalDeviceRequests">Whether <c>devices.requests</c> has personal-device rules: then a personal_device
/// approval type is a second, unconnected way to ask for the same thing and is an error.</param>
/// <param name="filterRuleIds">Rule IDs the filtering section's deny entries cite: what an exemption's <c>relaxes.rules</c> may name.</param>
internal sealed partial class ApprovalsChecks(
    List<YamlProblem> problems, IReadOnlyCollection<string> groupIds, string? staffGroup, string? guestGroup, bool personalDeviceRequests,
    IReadOnlyCollection<string>? filterRuleIds = null)
{
    public void Run(YNode? approvals)
    {
        if (approvals?.Get("types") is not { Kind: YNodeKind.Mapping } types)
        {
            return;
        }

        foreach (var (key, entry) in types.Pairs)
        {
            if (!IdPattern().IsMatch(key.Value))
            {
                Add(key, $"approval type ID '{key.Value}' must be lower-case letters, digits and underscores, starting with a letter");
                continue;
            }

            if (entry.Kind == YNodeKind.Mapping)
            {
                CheckType(key, entry);
            }
        }
    }

    /// <summary>"an exemption", "a guest_wifi".</summary>
    private static string A(string kind) => ("aeiou".Contains(kind[0], StringComparison.Ordinal) ? "an " : "a ") + kind;

    private void Add(YNode at, string message) => problems.Add(new YamlProblem(at.Line, at.Column, message));

    private void CheckType(YNode key, YNode entry)
    {
        var id = key.Value;
        var owner = $"approval type '{id}'";
        if (entry.Get("enabled") is { ScalarType: YScalarType.Boolean } enabled && bool.TryParse(enabled.Value, out var on) && !on)
        {
            if (!ApprovalKindKeys.IsKnown(id))
            {
                Add(enabled, $"{owner} is not a built-in type, so 'enabled: false' has nothing to remove; delete the type instead");
            }

            foreach (var (other, _) in entry.Pairs.Where(p => !string.Equals(p.Key.Value, "enabled", StringComparison.Ordinal)))
            {
                Add(other, $"{owner} is disabled (enabled: false), so nothing reads its '{other.Value}'; remove it");
            }

            return;
        }

        var kindNode = entry.Get("kind");
        var kind = Str(kindNode) ?? (ApprovalKindKeys.IsKnown(id) ? id : null);
        if (kind is null)
        {
            Add(key, $"{owner} needs 'kind', because it is not a built-in type; use one of {string.Join(", ", ApprovalKindKeys.All)}");
            return;
        }

        if (!ApprovalKindKeys.IsKnown(kind))
        {
            return; // the schema's enum has reported it, with a "did you mean"
        }

        if (personalDeviceRequests && kind == ApprovalKindKeys.PersonalDevice)
        {
            // Issue 14: the device request registers the device, checks its attestations, lets it onto the network and
            // expires it; an approval of this kind records none of that, so the two together would split one decision.
            Add(key, $"{owner} asks for personal devices, which devices.requests already handles (it also registers the device and checks what must be attested); move its 'agreement' to the personal_device request rule and remove this type");
            return;
        }

        var basis = ApprovalsPolicy.AllDefaults(staffGroup, guestGroup).First(t => string.Equals(t.Kind, kind, StringComparison.Ordinal));
        if (entry.Get("title") is { } title && Str(title) is { } text && string.IsNullOrWhiteSpace(text))
        {
            Add(title, $"{owner} has a blank 'title'");
        }

        if (entry.Get("approvers") is { Kind: YNodeKind.Sequence, Items.Count: 0 } approvers && !ApprovalKindKeys.SelfAuthorisable.Contains(kind, StringComparer.Ordinal))
        {
            Add(approvers, $"{owner}: {A(kind)} approval needs at least one approver (only {string.Join(" and ", ApprovalKindKeys.SelfAuthorisable)} may take effect without one)");
        }

        var max = Duration(entry.Get("max_duration"), owner) ?? basis.MaxDuration;
        if (entry.Get("default_duration") is { } defaultNode && Duration(defaultNode, owner) is { } byDefault && byDefault > max)
        {
            Add(defaultNode, $"{owner} 'default_duration' ({defaultNode.Value}) is longer than its 'max_duration'{(entry.Get("max_duration") is { } m ? $" ({m.Value})" : "")}");
        }

        CheckGroup(key, entry, owner, kind, basis.Group);
        CheckRelaxes(entry, owner, kind);
        if (KeyOf(entry, "max_vouchers") is { } vouchers && !string.Equals(kind, ApprovalKindKeys.GuestWifi, StringComparison.Ordinal))
        {
            Add(vouchers, $"{owner} is {A(kind)} approval, which gives no vouchers; only guest_wifi types read 'max_vouchers'");
        }
    }

    /// <summary>The key node of <paramref name="name"/>, where an error about the key itself (not its value) belongs.</summary>
    private static YNode? KeyOf(YNode entry, string name) =>
        entry.Pairs.FirstOrDefault(p => string.Equals(p.Key.Value, name, StringComparison.Ordinal))?.Key;

    private void CheckGroup(YNode key, YNode entry, string owner, string kind, string? defaultGroup)
    {
        var usesGroup = ApprovalKindKeys.WithGroup.Contains(kind, StringComparer.Ordinal);
        var groupNode = entry.Get("group");
        if (KeyOf(entry, "group") is { } groupKey && !usesGroup)
        {
            Add(groupKey, $"{owner} is {A(kind)} approval, which acts through no group; only {string.Join(" and ", ApprovalKindKeys.WithGroup)} types read 'group'");
            return;
        }

        if (!usesGroup)
        {
            return;
        }

        if (Str(groupNode) is { } group)
        {
            if (!groupIds.Contains(group))
            {
                Add(groupNode!, $"{owner} refers to group '{group}', which is not defined{Suggest.Hint(group, groupIds)}");
            }
        }
        else if (groupNode is null && defaultGroup is null)
        {
            var which = string.Equals(kind, ApprovalKindKeys.OfficialCapacity, StringComparison.Ordinal)
                ? "whose rules apply (the policy has no staff group to default to)"
                : "whose filtering guests get (the policy has no filtering fallback_group or visitor group to default to)";
            Add(key, $"{owner} needs 'group': the group {which}");
        }
    }

    /// <summary>
    /// O3, W4: an exemption relaxes exactly what it names, so every name must be something the filter has: a category
    /// that is not illegal, or a rule ID one of the filtering section's deny entries cites. Anything else is an error here,
    /// never an exemption that silently relaxes nothing.
    /// </summary>
    private void CheckRelaxes(YNode entry, string owner, string kind)
    {
        if (entry.Get("relaxes") is not { } relaxes)
        {
            return;
        }

        if (!string.Equals(kind, ApprovalKindKeys.Exemption, StringComparison.Ordinal))
        {
            Add(KeyOf(entry, "relaxes")!, $"{owner} is {A(kind)} approval, which relaxes nothing in the filter; only exemption types read 'relaxes'");
            return;
        }

        foreach (var category in relaxes.Get("categories")?.Items ?? [])
        {
            if (Str(category) is { } name && FilterCategoryNames.IsIllegal(name))
            {
                Add(category, $"{owner} relaxes '{name}', an illegal-content category: nothing may allow it");
            }
        }

        var known = filterRuleIds ?? [];
        foreach (var rule in relaxes.Get("rules")?.Items ?? [])
        {
            if (Str(rule) is { } id && !known.Contains(id, StringComparer.Ordinal))
            {
                Add(rule, $"{owner} relaxes filter rule '{id}', which no deny entry of the filtering section cites{Suggest.Hint(id, known)}");
            }
        }
    }

    private TimeSpan? Duration(YNode? node, string owner)
    {
        if (Str(node) is not { } text || !DurationShape().IsMatch(text))
        {
            return null; // absent, or the schema's pattern has reported it
        }

        var duration = ApprovalsPolicy.ParseDuration(text);
        if (duration is null || duration > ApprovalsPolicy.LongestDuration)
        {
            Add(node!, $"{owner} duration '{text}' must be longer than zero and at most {ApprovalsPolicy.LongestDuration.Days} days");
            return null;
        }

        return duration;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[0-9]{1,6}\\s*[mhd]$")]
    private static partial Regex DurationShape();
}
