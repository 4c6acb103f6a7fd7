using System.Text;
using System.Text.RegularExpressions;

namespace Brightline.Policy.Model;

/// <summary>Whether a sanction kind's letter goes to the child's parents (issue 15 part 6; C13).</summary>
public enum TellParents
{
    /// <summary>Parents are never emailed about this kind (the default).</summary>
    Never,

    /// <summary>Staff imposing it are offered the letter, and send it with one button.</summary>
    Offer,

    /// <summary>The letter is emailed as the sanction is imposed.</summary>
    Always,
}

/// <summary>
/// The <c>sanctions:</c> section (docs/sanctions.md): per sanction kind its usual and longest length (as a school says
/// them: "2 weeks", "half a term", "1 term", measured with <see cref="CalendarDuration"/>) and whether parents are
/// told, and the letter to parents. Empty when the policy has no such section: no lengths, and parents never emailed.
/// </summary>
public sealed record SanctionsPolicy
{
    public IReadOnlyList<SanctionKindPolicy> Kinds { get; init; } = [];

    public ParentLetterTemplate? LetterToParents { get; init; }

    /// <summary>Named reasons with their consequence per group (O15: a disclosed password), in policy order.</summary>
    public IReadOnlyList<SanctionReasonPolicy> Reasons { get; init; } = [];

    public SanctionReasonPolicy? FindReason(string? key) => Reasons.FirstOrDefault(r => string.Equals(r.Key, key, StringComparison.Ordinal));

    /// <summary>The settings for a kind by its policy name (withdraw_internet …); null when the policy says nothing about it.</summary>
    public SanctionKindPolicy? Find(string kind) => Kinds.FirstOrDefault(k => string.Equals(k.Kind, kind, StringComparison.Ordinal));
}

/// <summary>The reasons a policy may name under <c>sanctions.reasons</c>: each is code that knows what it means.</summary>
public static class SanctionReasonKeys
{
    /// <summary>O15: someone disclosed their password (or let another use their login).</summary>
    public const string PasswordDisclosed = "password_disclosed";

    public static readonly IReadOnlyList<string> All = [PasswordDisclosed];

    /// <summary>The default label of a reason the policy does not relabel.</summary>
    public static string DefaultLabel(string key) => key switch
    {
        PasswordDisclosed => "Disclosed a password",
        _ => key,
    };
}

/// <summary>What a named reason leads to for one group: a disciplinary record, or a sanction kind that the gate enforces.</summary>
public static class SanctionConsequenceKeys
{
    /// <summary>Recorded as a disciplinary matter (an incident about the person) and whoever the policy names is told; no access is taken away.</summary>
    public const string Disciplinary = "disciplinary";
    public const string WithdrawInternet = "withdraw_internet";
    /// <summary>Login, network and internet refused (access revoked).</summary>
    public const string SuspendAccount = "suspend_account";

    public static readonly IReadOnlyList<string> All = [Disciplinary, WithdrawInternet, SuspendAccount];
}

/// <summary>
/// One named reason (<c>sanctions.reasons.&lt;key&gt;</c>): what it is called on the impose form, the requirements it
/// implements, what it leads to for each group (a group it does not name: staff choose the kind by hand), and the
/// policy roles told of a disciplinary record besides the incident register's own list.
/// </summary>
public sealed record SanctionReasonPolicy
{
    public required string Key { get; init; }
    public required string Label { get; init; }
    public IReadOnlyList<string> Requirements { get; init; } = [];
    /// <summary>Group ID → consequence (<see cref="SanctionConsequenceKeys"/>), in policy order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ByGroup { get; init; } = [];
    public IReadOnlyList<string> Notify { get; init; } = [];

    /// <summary>The consequence for the first of <paramref name="groups"/> (in the order the policy lists them here) that the reason names; null when none.</summary>
    public KeyValuePair<string, string>? For(IEnumerable<string> groups)
    {
        var set = groups.ToHashSet(StringComparer.Ordinal);
        foreach (var pair in ByGroup)
        {
            if (set.Contains(pair.Key))
            {
                return pair;
            }
        }

        return null;
    }
}

/// <summary>How one sanction kind is used at the school.</summary>
public sealed record SanctionKindPolicy
{
    /// <summary>The kind's policy name, e.g. withdraw_internet.</summary>
    public required string Kind { get; init; }
    /// <summary>Pre-filled on the impose form; null when the policy leaves it to staff.</summary>
    public CalendarDuration? DefaultLength { get; init; }
    /// <summary>The longest the sanction may run; null when the policy sets no limit.</summary>
    public CalendarDuration? MaxLength { get; init; }
    public TellParents TellParents { get; init; }
    public IReadOnlyList<string> Requirements { get; init; } = [];
}

/// <summary>
/// The letter to parents, with placeholders in braces (<see cref="Placeholders"/>). Checked at load so that every
/// placeholder is known: a misspelt one is an error with its position, never a literal "{chlid}" in a parent's inbox.
/// </summary>
public sealed partial record ParentLetterTemplate(string Subject, string Body)
{
    /// <summary>Every placeholder a letter may use, with what it becomes.</summary>
    public static readonly IReadOnlyDictionary<string, string> Placeholders = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["school"] = "the school's name",
        ["child"] = "the child's full name",
        ["child_first_name"] = "the child's first name",
        ["parent"] = "the parent's full name (each parent gets their own letter)",
        ["sanction"] = "what the sanction takes away, e.g. Internet withdrawn",
        ["length"] = "how long it lasts, e.g. until Wednesday 09/12/2026",
        ["starts"] = "the date it starts, e.g. 25/11/2026",
        ["ends"] = "the date it ends, or 'when it is lifted'",
        ["reason"] = "the reason staff gave",
    };

    /// <summary>The placeholder names used in <paramref name="text"/> that are not in <see cref="Placeholders"/>.</summary>
    public static IEnumerable<string> UnknownPlaceholders(string text) =>
        Placeholder().Matches(text).Select(m => m.Groups["name"].Value).Where(n => !Placeholders.ContainsKey(n)).Distinct(StringComparer.Ordinal);

    /// <summary>The text with each placeholder replaced by its value (a missing value leaves an empty string).</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> values)
    {
        var result = new StringBuilder();
        var last = 0;
        foreach (Match m in Placeholder().Matches(text))
        {
            result.Append(text, last, m.Index - last);
            result.Append(values.TryGetValue(m.Groups["name"].Value, out var v) ? v : "");
            last = m.Index + m.Length;
        }

        return result.Append(text, last, text.Length - last).ToString();
    }

    [GeneratedRegex("\\{(?<name>[a-z_]+)\\}")]
    private static partial Regex Placeholder();
}
