using Brightline.Policy.Model;

namespace Brightline.Passwords;

/// <summary>The rules an account meets, in plain UK English for the change-password page ("At least 8 characters, with a number and a symbol …").</summary>
public static class PasswordRuleText
{
    public static string Describe(IReadOnlyList<PasswordRule> rules)
    {
        var length = rules.Max(r => r.MinLength);
        var parts = new List<string> { $"At least {length} characters" };
        var require = rules.SelectMany(r => r.Require).Distinct().Select(c => c switch
        {
            PasswordCharClass.Lower => "a lower-case letter",
            PasswordCharClass.Upper => "a capital letter",
            PasswordCharClass.Digit => "a number",
            PasswordCharClass.Symbol => "a symbol",
            _ => c.ToString(),
        }).ToList();
        if (require.Count > 0)
        {
            parts[0] += ", with " + Join(require);
        }

        var not = new List<string>();
        var rejects = rules.SelectMany(r => r.Reject).Distinct().ToList();
        if (rejects.Contains(PasswordRejection.Common)) { not.Add("a common password"); }
        if (rejects.Contains(PasswordRejection.SchoolName)) { not.Add("the school's name"); }
        if (rejects.Contains(PasswordRejection.OwnName)) { not.Add("your own name"); }
        if (rejects.Contains(PasswordRejection.StaffNames)) { not.Add("a member of staff's name"); }
        if (not.Count > 0)
        {
            parts.Add("not " + Join(not, "or"));
        }

        if (rules.Any(r => r.RememberAll))
        {
            parts.Add("never one you have used before");
        }
        else if (rules.Max(r => r.Remember) is > 0 and var n)
        {
            parts.Add($"not one of your last {n} passwords");
        }

        return string.Join("; ", parts) + ". Three random words work well.";
    }

    private static string Join(List<string> items, string last = "and") =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + $" {last} " + items[^1];
}
