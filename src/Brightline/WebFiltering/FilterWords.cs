using Brightline.Access;
using Brightline.Filtering;

namespace Brightline.WebFiltering;

/// <summary>
/// The filter's stored codes in the words a school uses (issue 17, defect 3). The decision log and sanctions store the
/// filter's own spellings (<c>local_deny: example.com (rule W3)</c>, <c>social</c>) because the log is evidence and must
/// not change with the wording; every page turns them into words here, in one place, so that nobody reads
/// <c>you_tube_restricted</c> or a list bundle's joined name.
/// </summary>
public static class FilterWords
{
    /// <summary>A filter category's display name (<c>social</c> → "Social networking"); an unknown name is shown as stored.</summary>
    public static string Category(string? name) =>
        name is null ? "—" : Brightline.Filtering.Categories.TryParse(name, out var category) ? Brightline.Filtering.Categories.Get(category).DisplayName : name;

    /// <summary>Several categories' display names, comma-separated.</summary>
    public static string CategoryList(IEnumerable<string> names) => string.Join(", ", names.Select(Category));

    /// <summary>
    /// A decision log reason in words. The stored form is <c>code[: detail][ (rule R)][ (exemption: …)]</c>; the code is
    /// translated and the detail (a list, a pattern, a schedule, a rewrite target) kept, since staff need it to act.
    /// A code this method does not know is shown as stored rather than guessed at.
    /// </summary>
    public static string LogReason(string? reason)
    {
        if (string.IsNullOrEmpty(reason))
        {
            return "—";
        }

        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        var space = reason.IndexOf(' ', StringComparison.Ordinal);
        var end = colon >= 0 && (space < 0 || colon < space) ? colon : space >= 0 ? space : reason.Length;
        var code = reason[..end];
        var rest = reason[end..];
        var words = code switch
        {
            "default" => "Allowed",
            "invalid_host" => "Not a valid website name",
            "illegal_category" => "On an illegal-content list",
            "local_deny" => "On the school's block list",
            "local_allow" => "On the school's allow list",
            "category" => "In a blocked category, from list",
            "schedule_block_all" => "Everything not allowed is blocked by the timetable",
            "default_deny" => "Not on the allow list",
            "safe_search" => "Safe search enforced, sent to",
            "you_tube_restricted" => "YouTube Restricted Mode enforced, sent to",
            "sanction" => "Restricted by a sanction",
            AccessGate.UnsignedCode => "Agreement not signed yet",
            AccessGate.LeftCode => "Has left the school",
            SanctionRules.WithdrawnCode => "Internet withdrawn by a sanction",
            SanctionRules.SuspendedCode => "Account suspended by a sanction",
            SanctionRules.MeetingCode => "Paused until the school meets the parent or carer",
            _ => null,
        };
        if (words is null)
        {
            return reason;
        }

        if (code == "sanction")
        {
            // The detail is the sanction's kind (restrict_categories), which the words already say.
            return words;
        }

        rest = rest.StartsWith(':') ? rest[1..] : rest;
        rest = rest.Replace(" during ", ", during ", StringComparison.Ordinal);
        return rest.Length == 0 ? words : $"{words} {rest.TrimStart()}".TrimEnd();
    }
}
