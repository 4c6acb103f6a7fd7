using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>
/// Meaning checks for the <c>sanctions:</c> section (issue 15 part 6; C13, O4) that the schema cannot express: each kind
/// once, only kinds the policy's sanction rules provide, lengths the portal can count (terms and half terms need
/// <c>school.calendar.terms</c>), a usual length no longer than the longest, no length on a sanction that ends at a
/// meeting with parents, a letter whenever parents are told, and only known placeholders in it. Every problem has its
/// file:line:col; nothing is silently defaulted.
/// </summary>
internal sealed class SanctionsChecks(List<YamlProblem> problems, IReadOnlyCollection<string> providedKinds, int calendarTerms, IReadOnlyCollection<string>? groups = null)
{
    public void Run(YNode? sanctions)
    {
        if (sanctions is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        CheckReasons(sanctions.Get("reasons"));

        var letter = sanctions.Get("letter_to_parents");
        var seen = new Dictionary<string, YNode>(StringComparer.Ordinal);
        foreach (var entry in Items(sanctions.Get("kinds")))
        {
            if (entry.Kind != YNodeKind.Mapping || entry.Get("kind") is not { } kindNode || Str(kindNode) is not { } kind)
            {
                continue;
            }

            if (!seen.TryAdd(kind, kindNode))
            {
                Add(kindNode, $"sanctions: kind '{kind}' is already described at line {seen[kind].Line}; describe each kind once");
            }

            if (providedKinds.Count > 0 && !providedKinds.Contains(kind))
            {
                Add(kindNode, $"sanctions: kind '{kind}' is not provided by any rule of kind sanction (they provide: {string.Join(", ", providedKinds)}); add it to a rule's 'sanctions' list or remove this entry");
            }

            var usual = Length(entry, "default_length", kind);
            var longest = Length(entry, "max_length", kind);
            if (usual is { } u && longest is { } m && Longer(u, m))
            {
                Add(entry.Get("default_length")!, $"sanctions: the default_length of '{kind}' ({u}) is longer than its max_length ({m})");
            }

            var tell = Str(entry.Get("tell_parents"));
            if (tell is "always" or "offer" && letter is null)
            {
                Add(entry.Get("tell_parents")!, $"sanctions: '{kind}' tells parents ({tell}) but the section has no 'letter_to_parents' (subject and body) to send them");
            }
        }

        if (letter is { Kind: YNodeKind.Mapping })
        {
            CheckText(letter.Get("subject"), "subject");
            CheckText(letter.Get("body"), "body");
            if (letter.Get("subject") is { } subject && Str(subject) is { } s && s.Trim().Contains('\n', StringComparison.Ordinal))
            {
                Add(subject, "sanctions: the letter's 'subject' must be one line");
            }
        }
    }

    /// <summary>
    /// O15: a reason's groups must be the policy's groups, and a sanction kind it leads to must be one the policy's sanction
    /// rules provide (when they list any). Reason keys and consequences are checked by the schema.
    /// </summary>
    private void CheckReasons(YNode? reasons)
    {
        if (reasons is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        foreach (var (key, entry) in reasons.Pairs)
        {
            if (entry.Get("by_group") is not { Kind: YNodeKind.Mapping } byGroup)
            {
                continue;
            }

            foreach (var (group, consequence) in byGroup.Pairs)
            {
                if (groups is not null && !groups.Contains(group.Value))
                {
                    Add(group, $"sanctions: reason '{key.Value}' names group '{group.Value}', which is not a group of the policy{Suggest.Hint(group.Value, groups)}");
                }

                if (Str(consequence) is { } kind && kind != SanctionConsequenceKeys.Disciplinary && providedKinds.Count > 0 && !providedKinds.Contains(kind))
                {
                    Add(consequence, $"sanctions: reason '{key.Value}' leads to '{kind}' for '{group.Value}', but no rule of kind sanction provides it (they provide: {string.Join(", ", providedKinds)})");
                }
            }
        }
    }

    private void Add(YNode at, string message) => problems.Add(new YamlProblem(at.Line, at.Column, message));

    private CalendarDuration? Length(YNode entry, string key, string kind)
    {
        if (entry.Get(key) is not { } node || Str(node) is not { } text)
        {
            return null;
        }

        if (string.Equals(kind, "parent_meeting_required", StringComparison.Ordinal))
        {
            Add(node, $"sanctions: '{kind}' ends when the meeting with parents is recorded and the sanction lifted, so it has no '{key}'");
            return null;
        }

        if (!CalendarDuration.TryParse(text, out var length, out var error))
        {
            Add(node, $"sanctions: '{key}' of '{kind}': {error}");
            return null;
        }

        if (length.IsCalendarBased && calendarTerms == 0)
        {
            Add(node, $"sanctions: '{key}: {text}' of '{kind}' counts school terms, but school.calendar has no 'terms'; add the terms (name, start, end, half_term) or give the length in days or weeks");
            return null;
        }

        return length;
    }

    /// <summary>Whether <paramref name="a"/> is surely longer than <paramref name="b"/>: compared in days, or in the same calendar unit; a mix of days and terms is left to the impose form, which measures both from the day.</summary>
    private static bool Longer(CalendarDuration a, CalendarDuration b)
    {
        if (!a.IsCalendarBased && !b.IsCalendarBased)
        {
            return Days(a) > Days(b);
        }

        if (a.Unit == b.Unit)
        {
            return a.Count > b.Count;
        }

        // A term is at least two half terms.
        return a.Unit == CalendarUnit.Terms && b.Unit == CalendarUnit.HalfTerms && a.Count * 2 > b.Count;
    }

    private static int Days(CalendarDuration d) => d.Unit == CalendarUnit.Weeks ? d.Count * 7 : d.Count;

    private void CheckText(YNode? node, string key)
    {
        if (Str(node) is not { } text)
        {
            return;
        }

        foreach (var name in ParentLetterTemplate.UnknownPlaceholders(text))
        {
            Add(node!, $"sanctions: the letter's '{key}' uses '{{{name}}}', which is not a placeholder{Suggest.Hint(name, ParentLetterTemplate.Placeholders.Keys)}; use one of {string.Join(", ", ParentLetterTemplate.Placeholders.Keys.Select(k => "{" + k + "}"))}");
        }
    }
}
