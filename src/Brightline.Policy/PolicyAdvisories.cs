using System.Globalization;
using Brightline.Policy.Yaml;

namespace Brightline.Policy;

/// <summary>
/// Warnings about a valid policy that depend on today's date: the file still loads and the school still runs on it,
/// but someone has to act. They are not errors because a school whose review is late must not lose its filtering.
/// Kept apart from <see cref="PolicyLoader"/> so loading stays a pure function of the text (the cache relies on it).
/// </summary>
public static class PolicyAdvisories
{
    /// <summary>How far ahead of <c>next_review</c> the policy's owner is told it is coming (W12, O23, C22).</summary>
    public const int ReviewSoonDays = 30;

    /// <summary>The warnings for the policy text <paramref name="yaml"/> on <paramref name="today"/> (school date), by position.</summary>
    public static IReadOnlyList<PolicyDiagnostic> For(string yaml, string fileName, DateOnly today)
    {
        var found = new List<PolicyDiagnostic>();
        var root = YamlTree.Parse(yaml, []);
        if (root is not { Kind: YNodeKind.Mapping })
        {
            return found;
        }

        var next = root.Get("policy")?.Get("next_review");
        if (next is { Kind: YNodeKind.Scalar } && DateOnly.TryParseExact(next.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due))
        {
            if (due < today)
            {
                found.Add(new PolicyDiagnostic(fileName, next.Line, next.Column,
                    $"warning: the policy's review was due on {Uk(due)} and has not been recorded: review it, record the approval, then set 'next_review' (W12, O23, C22)"));
            }
            else if (due.DayNumber - today.DayNumber <= ReviewSoonDays)
            {
                found.Add(new PolicyDiagnostic(fileName, next.Line, next.Column,
                    $"warning: the policy is due for review on {Uk(due)}, in {due.DayNumber - today.DayNumber} day(s)"));
            }
        }

        return found;
    }

    private static string Uk(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));
}
