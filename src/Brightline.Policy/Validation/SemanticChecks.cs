using System.Globalization;
using Brightline.Policy.Yaml;

namespace Brightline.Policy.Validation;

/// <summary>
/// Checks the schema cannot express: unique IDs, references between groups, rules, sections and
/// agreements, sane dates, and agreements whose signers and fields fit their audience. Works on the
/// YAML tree (not the model) so every error keeps its position, and skips anything the schema
/// check has already reported as the wrong shape.
/// </summary>
internal sealed class SemanticChecks(List<YamlProblem> problems, List<YamlProblem>? warnings = null, int importedTerms = 0)
{
    private readonly Dictionary<string, (YNode Node, string Kind)> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (YNode Node, HashSet<string> Audiences)> _rules = new(StringComparer.Ordinal);

    public void Run(YNode root)
    {
        if (root.Kind != YNodeKind.Mapping)
        {
            return;
        }

        CheckCalendar(root.Get("school")?.Get("calendar"));
        new CalendarChecks(problems, warnings ?? []).Run(root.Get("school")?.Get("calendar"));
        CheckPolicyDates(root.Get("policy"));
        CollectGroups(root.Get("groups"));
        CollectRules(root.Get("rules"));
        CheckRules(root.Get("rules"));
        CheckSections(root.Get("sections"));
        CheckAgreements(root.Get("agreements"));
        new FilteringChecks(problems, _groups.ToDictionary(g => g.Key, g => g.Value.Kind, StringComparer.Ordinal), _rules.Keys).Run(root.Get("filtering"));
        new MonitoringChecks(problems).Run(root.Get("monitoring"));
        new IncidentsChecks(problems).Run(root.Get("incidents"));
        var profileGroups = Items(root.Get("filtering")?.Get("profiles")).Select(p => Text(p.Get("group"))).OfType<string>().ToList();
        new NetworkChecks(problems, _groups.ToDictionary(g => g.Key, g => g.Value.Kind, StringComparer.Ordinal), profileGroups).Run(root.Get("network"));
        // The same default groups the model builder gives official_capacity and guest_wifi approvals.
        var staffGroup = FirstGroupOfKind(root.Get("groups"), "staff");
        var guestGroup = Text(root.Get("filtering")?.Get("fallback_group")) ?? FirstGroupOfKind(root.Get("groups"), "visitor");
        var personalDeviceRequests = Items(root.Get("devices")?.Get("requests")).Any(r => (Text(r.Get("kind")) ?? "personal_device") == "personal_device");
        // O3, W4: the rule IDs an exemption may relax are those the filtering section's deny entries cite.
        var denyRules = Items(root.Get("filtering")?.Get("profiles")).SelectMany(p => Items(p.Get("deny")))
            .Select(d => Text(d.Get("rule"))).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        new ApprovalsChecks(problems, _groups.Keys, staffGroup, guestGroup, personalDeviceRequests, denyRules).Run(root.Get("approvals"));
        var calendarTerms = Items(root.Get("school")?.Get("calendar")?.Get("terms")).Count() + importedTerms;
        var approvedDeviceNetworks = Items(root.Get("network")?.Get("networks")).Any(n => Text(n.Get("personal_devices")) == "approved");
        new DevicesChecks(problems, _groups.ToDictionary(g => g.Key, g => g.Value.Kind, StringComparer.Ordinal), calendarTerms, approvedDeviceNetworks)
            .Run(root.Get("devices"));
        new ConsentsChecks(problems, _groups.ToDictionary(g => g.Key, g => g.Value.Kind, StringComparer.Ordinal)).Run(root.Get("consents"));
        new PasswordsChecks(problems, _groups.Keys, calendarTerms).Run(root.Get("passwords"));
        var providedSanctions = Items(root.Get("rules")).Where(r => Text(r.Get("kind")) == "sanction")
            .SelectMany(r => Items(r.Get("sanctions"))).Select(Text).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        new SanctionsChecks(problems, providedSanctions, calendarTerms, _groups.Keys).Run(root.Get("sanctions"));
        new GroupsAgreementsChecks(problems, warnings ?? [], _groups.ToDictionary(g => g.Key, g => g.Value.Kind, StringComparer.Ordinal)).Run(root);
    }

    private void Add(YNode at, string message) => problems.Add(new YamlProblem(at.Line, at.Column, message));

    private static string? FirstGroupOfKind(YNode? groups, string kind) =>
        Items(groups).Where(g => string.Equals(Text(g.Get("kind")), kind, StringComparison.Ordinal)).Select(g => Text(g.Get("id"))).FirstOrDefault(id => id is not null);

    private static IEnumerable<YNode> Items(YNode? node) =>
        node is { Kind: YNodeKind.Sequence } ? node.Items : [];

    private static string? Text(YNode? node) =>
        node is { Kind: YNodeKind.Scalar } && !node.IsNull ? node.Value : null;

    private DateOnly? Date(YNode? node)
    {
        if (Text(node) is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        // The schema's pattern accepts 2025-02-30; only a calendar knows it is not a date.
        if (text.Length == 10)
        {
            Add(node!, $"'{text}' is not a real date");
        }

        return null;
    }

    private static string Uk(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));

    private void CheckCalendar(YNode? calendar)
    {
        if (calendar is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        if (calendar.Get("academic_year_start") is { } startNode && Text(startNode) is { Length: 5 } mmdd
            && int.TryParse(mmdd.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            && int.TryParse(mmdd.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            && month is >= 1 and <= 12 && day > DateTime.DaysInMonth(2024, month))
        {
            Add(startNode, $"'academic_year_start' {mmdd} is not a day of the year");
        }

        if (ParseTime(calendar.Get("day_starts")) is { } starts && calendar.Get("day_ends") is { } endsNode && ParseTime(endsNode) is { } ends && ends <= starts)
        {
            Add(endsNode, $"'day_ends' ({ends:HH\\:mm}) must be after 'day_starts' ({starts:HH\\:mm})");
        }

        DateOnly? previousEnd = null;
        string? previousName = null;
        foreach (var term in Items(calendar.Get("terms")))
        {
            var name = Text(term.Get("name")) ?? "term";
            var start = Date(term.Get("start"));
            var endNode = term.Get("end");
            var end = Date(endNode);
            if (start is { } s && end is { } e && e <= s)
            {
                Add(endNode!, $"term '{name}' ends ({Uk(e)}) before it starts ({Uk(s)})");
            }

            if (start is { } s2 && previousEnd is { } pe && s2 <= pe)
            {
                Add(term.Get("start")!, $"term '{name}' starts ({Uk(s2)}) before the previous term '{previousName}' ends ({Uk(pe)}); list terms in date order without overlaps");
            }

            if (term.Get("half_term") is { Kind: YNodeKind.Mapping } half)
            {
                var hs = Date(half.Get("start"));
                var he = Date(half.Get("end"));
                if (hs is { } a && he is { } b && b < a)
                {
                    Add(half.Get("end")!, $"half term of '{name}' ends ({Uk(b)}) before it starts ({Uk(a)})");
                }

                if (start is { } ts && end is { } te && ((hs is { } x && (x < ts || x > te)) || (he is { } y && (y < ts || y > te))))
                {
                    Add(half, $"half term of '{name}' must fall inside the term ({Uk(ts)} to {Uk(te)})");
                }
            }

            if (end is not null)
            {
                previousEnd = end;
                previousName = name;
            }
        }
    }

    private static TimeOnly? ParseTime(YNode? node) =>
        Text(node) is { } text && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    private void CheckPolicyDates(YNode? policy)
    {
        if (policy is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        var approved = Date(policy.Get("approved"));
        // Parsed only so an impossible adoption date is reported; no ordering rule applies to it.
        _ = Date(policy.Get("adopted"));
        var lastReviewed = Date(policy.Get("last_reviewed"));
        var nextNode = policy.Get("next_review");
        var next = Date(nextNode);
        if (next is not { } n)
        {
            return;
        }

        if (approved is { } a && n <= a)
        {
            Add(nextNode!, $"'next_review' ({Uk(n)}) must be after 'approved' ({Uk(a)})");
        }

        if (lastReviewed is { } l && n <= l)
        {
            Add(nextNode!, $"'next_review' ({Uk(n)}) must be after 'last_reviewed' ({Uk(l)})");
        }
    }

    private void CollectGroups(YNode? groups)
    {
        foreach (var group in Items(groups))
        {
            var idNode = group.Get("id");
            if (Text(idNode) is not { } id)
            {
                continue;
            }

            var kind = Text(group.Get("kind")) ?? "";
            if (_groups.TryGetValue(id, out var first))
            {
                Add(idNode!, $"duplicate group id '{id}' (first at line {first.Node.Line})");
                continue;
            }

            _groups.Add(id, (idNode!, kind));
            if (!string.Equals(kind, "pupil", StringComparison.Ordinal))
            {
                if (group.Get("year_groups") is { Kind: YNodeKind.Sequence, Items.Count: > 0 } years)
                {
                    Add(years, $"group '{id}' is not a pupil group, so it cannot have 'year_groups'");
                }

                if (group.Get("phase") is { } phase && Text(phase) is { } p && !string.Equals(p, "none", StringComparison.Ordinal))
                {
                    Add(phase, $"group '{id}' is not a pupil group, so it cannot have a 'phase'");
                }
            }
        }
    }

    private void CollectRules(YNode? rules)
    {
        foreach (var rule in Items(rules))
        {
            var idNode = rule.Get("id");
            if (Text(idNode) is not { } id)
            {
                continue;
            }

            if (_rules.TryGetValue(id, out var first))
            {
                Add(idNode!, $"duplicate rule id '{id}' (first at line {first.Node.Line})");
                continue;
            }

            var audiences = new HashSet<string>(Items(rule.Get("audiences")).Select(Text).OfType<string>(), StringComparer.Ordinal);
            _rules.Add(id, (idNode!, audiences));
        }
    }

    private void CheckGroupRef(YNode node, string owner)
    {
        if (Text(node) is { } id && !_groups.ContainsKey(id))
        {
            Add(node, $"{owner} refers to group '{id}', which is not defined{Suggest.Hint(id, _groups.Keys)}");
        }
    }

    private void CheckRuleRef(YNode node, string owner)
    {
        if (Text(node) is { } id && !_rules.ContainsKey(id))
        {
            Add(node, $"{owner} refers to rule '{id}', which is not defined{Suggest.Hint(id, _rules.Keys)}");
        }
    }

    private void CheckRules(YNode? rules)
    {
        foreach (var rule in Items(rules))
        {
            var id = Text(rule.Get("id")) ?? "?";
            var audiences = new HashSet<string>(StringComparer.Ordinal);
            foreach (var audience in Items(rule.Get("audiences")))
            {
                CheckGroupRef(audience, $"rule '{id}' audiences");
                if (Text(audience) is { } a && !audiences.Add(a))
                {
                    Add(audience, $"rule '{id}' lists audience '{a}' twice");
                }
            }

            if (rule.Get("sanctions") is { } sanctions && !string.Equals(Text(rule.Get("kind")), "sanction", StringComparison.Ordinal))
            {
                Add(sanctions, $"rule '{id}' lists sanctions but is not of kind 'sanction'; set kind: sanction or move the sanctions to the sanction rule");
            }

            if (rule.Get("wording") is { Kind: YNodeKind.Mapping } wording)
            {
                foreach (var (key, _) in wording.Pairs)
                {
                    if (!_groups.ContainsKey(key.Value))
                    {
                        Add(key, $"rule '{id}' has wording for group '{key.Value}', which is not defined{Suggest.Hint(key.Value, _groups.Keys)}");
                    }
                    else if (audiences.Count > 0 && !audiences.Contains(key.Value))
                    {
                        Add(key, $"rule '{id}' has wording for group '{key.Value}', but does not apply to it; add it to 'audiences' or remove the wording");
                    }
                }
            }
        }
    }

    private void CheckSections(YNode? sections)
    {
        var seen = new Dictionary<string, YNode>(StringComparer.Ordinal);
        foreach (var section in Items(sections))
        {
            var idNode = section.Get("id");
            var id = Text(idNode);
            if (id is not null)
            {
                if (seen.TryGetValue(id, out var first))
                {
                    Add(idNode!, $"duplicate section id '{id}' (first at line {first.Line})");
                }
                else
                {
                    seen.Add(id, idNode!);
                }
            }

            foreach (var rule in Items(section.Get("rules")))
            {
                CheckRuleRef(rule, $"section '{id ?? "?"}'");
            }
        }
    }

    private void CheckAgreements(YNode? agreements)
    {
        var seen = new Dictionary<string, YNode>(StringComparer.Ordinal);
        foreach (var agreement in Items(agreements))
        {
            var idNode = agreement.Get("id");
            var id = Text(idNode) ?? "?";
            if (idNode is not null && Text(idNode) is { } realId)
            {
                if (seen.TryGetValue(realId, out var first))
                {
                    Add(idNode, $"duplicate agreement id '{realId}' (first at line {first.Line})");
                }
                else
                {
                    seen.Add(realId, idNode);
                }
            }

            var owner = $"agreement '{id}'";
            var audience = new List<string>();
            foreach (var group in Items(agreement.Get("audience")))
            {
                CheckGroupRef(group, owner + " audience");
                if (Text(group) is { } g && _groups.ContainsKey(g))
                {
                    audience.Add(g);
                }
            }

            var nonPupils = audience.Where(g => !string.Equals(_groups[g].Kind, "pupil", StringComparison.Ordinal)).ToList();
            var pupils = audience.Where(g => string.Equals(_groups[g].Kind, "pupil", StringComparison.Ordinal)).ToList();

            if (agreement.Get("signers") is { } signersNode && Text(signersNode) is "parent" or "both" && nonPupils.Count > 0)
            {
                Add(signersNode, $"{owner} has signers '{signersNode.Value}', so its audience must be pupil groups; '{string.Join("', '", nonPupils)}' {(nonPupils.Count == 1 ? "is not" : "are not")}");
            }

            foreach (var field in Items(agreement.Get("fields")))
            {
                switch (Text(field))
                {
                    case "job_title" when pupils.Count > 0:
                        Add(field, $"{owner} asks for a job title, but its audience includes pupil group '{pupils[0]}'");
                        break;
                    case "teacher_present" or "class" when nonPupils.Count > 0 && pupils.Count == 0:
                        Add(field, $"{owner} asks for '{field.Value}', which only applies to pupils, but its audience has no pupil group");
                        break;
                    default:
                        break;
                }
            }

            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var rule in Items(agreement.Get("rules")))
            {
                CheckRuleRef(rule, owner);
                if (Text(rule) is not { } ruleId)
                {
                    continue;
                }

                if (!listed.Add(ruleId))
                {
                    Add(rule, $"{owner} lists rule '{ruleId}' twice");
                }
                else if (_rules.TryGetValue(ruleId, out var r) && r.Audiences.Count > 0 && audience.Count > 0 && !audience.Any(r.Audiences.Contains))
                {
                    Add(rule, $"{owner} lists rule '{ruleId}', which applies to none of its audience ({string.Join(", ", audience)})");
                }
            }
        }
    }
}
