using System.Globalization;
using System.Text.RegularExpressions;
using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>
/// Meaning checks for the <c>devices:</c> section (issue 14) that the schema cannot express: groups that exist, one
/// rule per group and kind, a refusal that says why (H3), no key that nothing reads, durations that fit, a hold in
/// terms only with a calendar that has terms (H15), school-device kinds the policy covers (H1), an incident register
/// that exists (F7), and an approved device's network access only where some network takes approved devices.
/// Kinds, roles and attestation keys are checked by the schema (with a "did you mean").
/// </summary>
internal sealed partial class DevicesChecks(
    List<YamlProblem> problems,
    IReadOnlyDictionary<string, string> groupKinds,
    int calendarTerms,
    bool someNetworkTakesApprovedDevices)
{
    /// <summary>The keys a refusal (<c>allowed: false</c>) reads; any other would be silently ignored.</summary>
    private static readonly string[] s_refusalKeys = ["kind", "groups", "allowed", "reason", "requirement"];

    public void Run(YNode? devices)
    {
        if (devices is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        var kinds = CheckKinds(devices.Get(DevicesPolicy.SectionKeys.Kinds));
        var covered = new Dictionary<(string Kind, string Group), YNode>();
        foreach (var rule in Items(devices.Get(DevicesPolicy.SectionKeys.Requests)))
        {
            if (rule.Kind == YNodeKind.Mapping)
            {
                CheckRequest(rule, covered);
            }
        }

        foreach (var rule in Items(devices.Get(DevicesPolicy.SectionKeys.SchoolDevices)))
        {
            if (rule.Kind != YNodeKind.Mapping)
            {
                continue;
            }

            foreach (var kind in Unique(rule.Get("kinds"), "school_devices kinds"))
            {
                if (Str(kind) is { } k && DeviceKindKeys.Contains(k) && !kinds.Contains(k))
                {
                    Add(kind, $"school_devices names kind '{k}', which is not in devices.kinds; add it there or remove it here");
                }
            }

            _ = Unique(rule.Get("attest"), "school_devices attest");
        }

        if (devices.Get(DevicesPolicy.SectionKeys.Loans) is { Kind: YNodeKind.Mapping } loans)
        {
            _ = Unique(loans.Get("overdue_notify"), "loans overdue_notify");
        }

        if (devices.Get(DevicesPolicy.SectionKeys.LostProperty) is { Kind: YNodeKind.Mapping } lost)
        {
            _ = Unique(lost.Get("remind"), "lost_property remind");
            if (lost.Get("hold") is { } hold && CalendarDuration.TryParse(Str(hold), out var held, out _) && held.IsCalendarBased && calendarTerms == 0)
            {
                Add(hold, $"lost_property 'hold: {hold.Value}' counts school terms, but school.calendar has no 'terms'; add the terms (name, start, end) or give the hold in days (e.g. hold: 90d)");
            }
        }

        if (devices.Get(DevicesPolicy.SectionKeys.LostOrStolen) is { Kind: YNodeKind.Mapping } stolen)
        {
            _ = Unique(stolen.Get("notify"), "lost_or_stolen notify");
            if (stolen.Get("incident_category") is { } category && Str(category) is { } c && !IncidentKindKeys.All.Contains(c, StringComparer.Ordinal))
            {
                Add(category, $"lost_or_stolen 'incident_category' '{c}' is not an incident register; use one of {string.Join(", ", IncidentKindKeys.All)}{Suggest.Hint(c, IncidentKindKeys.All)}");
            }
        }

        if (devices.Get(DevicesPolicy.SectionKeys.Leavers) is { Kind: YNodeKind.Mapping } leavers)
        {
            _ = Unique(leavers.Get("notify"), "leavers notify");
        }
    }

    private static readonly HashSet<string> DeviceKindKeys = new(new DevicesPolicy().Kinds, StringComparer.Ordinal);

    private void Add(YNode at, string message) => problems.Add(new YamlProblem(at.Line, at.Column, message));

    /// <summary>The key node of <paramref name="name"/>, where an error about the key itself (not its value) belongs.</summary>
    private static YNode? KeyOf(YNode entry, string name) =>
        entry.Pairs.FirstOrDefault(p => string.Equals(p.Key.Value, name, StringComparison.Ordinal))?.Key;

    /// <summary>The list's items, with an error at each repeat (a repeat is always a slip, and hides what was meant).</summary>
    private List<YNode> Unique(YNode? list, string owner)
    {
        var seen = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var items = new List<YNode>();
        foreach (var item in Items(list))
        {
            if (Str(item) is not { } value)
            {
                continue;
            }

            if (!seen.TryAdd(value, item))
            {
                Add(item, $"{owner} lists '{value}' twice (first at line {seen[value].Line}); remove one");
                continue;
            }

            items.Add(item);
        }

        return items;
    }

    /// <summary>The kinds the policy covers: the list given (each once), or every kind.</summary>
    private HashSet<string> CheckKinds(YNode? list) =>
        list is null ? [.. DeviceKindKeys] : [.. Unique(list, "devices kinds").Select(Str).OfType<string>()];

    private void CheckRequest(YNode rule, Dictionary<(string Kind, string Group), YNode> covered)
    {
        var kind = Str(rule.Get("kind"));
        var owner = kind is null ? "devices request" : $"devices request for {kind}";
        var groups = Unique(rule.Get("groups"), $"{owner}: groups");
        var anyPupils = false;
        foreach (var groupNode in groups)
        {
            var group = Str(groupNode)!;
            if (!groupKinds.TryGetValue(group, out var groupKind))
            {
                Add(groupNode, $"{owner} refers to group '{group}', which is not defined{Suggest.Hint(group, groupKinds.Keys)}");
                continue;
            }

            anyPupils |= groupKind == "pupil";
            if (kind is not null && !covered.TryAdd((kind, group), groupNode))
            {
                // The first rule would always win, so this one would silently never apply: an error, not a warning.
                Add(groupNode, $"{owner}: group '{group}' is already covered by the {kind} rule at line {covered[(kind, group)].Line}; a group may be in one rule per kind (the first would always apply)");
            }
        }

        var allowed = rule.Get("allowed") is not { ScalarType: YScalarType.Boolean } a || !bool.TryParse(a.Value, out var on) || on;
        if (!allowed)
        {
            CheckRefusal(rule, owner);
            return;
        }

        if (KeyOf(rule, "reason") is { } reasonKey)
        {
            Add(reasonKey, $"{owner}: 'reason' is shown only when a request is refused; remove it, or write 'allowed: false' if these groups may not ask");
        }

        if (rule.Get("approvers") is null)
        {
            Add(rule, $"{owner} does not say who approves; add e.g. 'approvers: [head]' (or 'allowed: false' with a reason if these groups may not ask)");
        }
        else
        {
            _ = Unique(rule.Get("approvers"), $"{owner}: approvers");
        }

        _ = Unique(rule.Get("attest"), $"{owner}: attest");
        foreach (var requester in Unique(rule.Get("requesters"), $"{owner}: requesters"))
        {
            if (Str(requester) is DeviceRequesterKeys.Parent or DeviceRequesterKeys.Teacher && !anyPupils && groups.Count > 0)
            {
                Add(requester, $"{owner}: requester '{requester.Value}' asks on a pupil's behalf, but none of this rule's groups is a pupil group; remove it or use 'self'");
            }
        }

        var duration = Duration(rule.Get("duration"), owner) ?? DeviceRequestRule.DefaultDuration;
        if (rule.Get("renew_within") is { } renewNode && Duration(renewNode, owner) is { } renew && renew >= duration)
        {
            Add(renewNode, $"{owner}: 'renew_within' ({renewNode.Value}) must be shorter than the approval's duration ({Str(rule.Get("duration")) ?? "365d, the default"})");
        }

        if (rule.Get("network") is { ScalarType: YScalarType.Boolean } network && bool.TryParse(network.Value, out var joins) && joins)
        {
            if (kind == DeviceRequestKindKeys.RemovableMedia)
            {
                Add(network, $"{owner}: removable media never joins a network; remove 'network'");
            }
            else if (!someNetworkTakesApprovedDevices)
            {
                Add(network, $"{owner} lets approved devices join a network, but no network in network.networks says 'personal_devices: approved'; add it to the school-devices network they join, or write 'network: false'");
            }
        }

        if (KeyOf(rule, "forbidden") is { } forbidden && kind == DeviceRequestKindKeys.PersonalDevice)
        {
            Add(forbidden, $"{owner}: 'forbidden' lists media the school never allows (C20: rewritable CDs), so it belongs on a removable_media rule");
        }

        foreach (var item in Items(rule.Get("forbidden")))
        {
            if (Str(item) is { } text && string.IsNullOrWhiteSpace(text))
            {
                Add(item, $"{owner}: a 'forbidden' entry is blank; name the media (e.g. rewritable CDs)");
            }
        }
    }

    /// <summary>H3: a refusal says why, and carries nothing that only an allowed request reads.</summary>
    private void CheckRefusal(YNode rule, string owner)
    {
        var reason = rule.Get("reason");
        if (reason is null)
        {
            Add(rule.Get("allowed")!, $"{owner}: 'allowed: false' needs a 'reason', shown to whoever tries to ask (e.g. reason: Personal devices are not allowed in the EYFS setting.)");
        }
        else if (Str(reason) is { } text && string.IsNullOrWhiteSpace(text))
        {
            Add(reason, $"{owner}: the 'reason' is blank; say why these groups may not ask");
        }

        foreach (var (key, _) in rule.Pairs.Where(p => !s_refusalKeys.Contains(p.Key.Value, StringComparer.Ordinal)))
        {
            Add(key, $"{owner} is refused (allowed: false), so nothing reads its '{key.Value}'; remove it, or allow the request");
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
            Add(node!, $"{owner}: duration '{text}' must be longer than zero and at most {ApprovalsPolicy.LongestDuration.Days} days");
            return null;
        }

        return duration;
    }

    [GeneratedRegex("^[0-9]{1,6}\\s*[mhd]$")]
    private static partial Regex DurationShape();
}
