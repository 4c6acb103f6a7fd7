using System.Security.Cryptography;
using System.Text;
using Brightline.Policy.Model;

namespace Brightline.Policy;

/// <summary>
/// The canonical text of an agreement: what a signer is taken to have read. Its SHA-256 identifies the
/// agreement version, so a new policy version asks people to sign again only where this text changed
/// (a new review date or an edited section elsewhere does not).
/// </summary>
public static class AgreementText
{
    /// <summary>The rules an agreement lists, in order: its own list, or every rule for its audience.</summary>
    public static IReadOnlyList<Rule> RulesOf(SchoolPolicy policy, Agreement agreement)
    {
        if (agreement.Rules.Count > 0)
        {
            var rules = new List<Rule>(agreement.Rules.Count);
            foreach (var id in agreement.Rules)
            {
                if (policy.FindRule(id) is { } rule)
                {
                    rules.Add(rule);
                }
            }

            return rules;
        }

        return policy.Rules.Where(r => r.AppliesTo(agreement.Audience)).ToList();
    }

    /// <summary>
    /// Plain text, one line per element, with each rule's wording for every group in the audience.
    /// Line endings are normalised so a file saved on Windows hashes the same.
    /// </summary>
    public static string Canonical(SchoolPolicy policy, Agreement agreement)
    {
        var sb = new StringBuilder();
        sb.Append("agreement: ").Append(agreement.Id).Append('\n');
        sb.Append("title: ").Append(Normalise(agreement.Title)).Append('\n');
        sb.Append("signers: ").Append(agreement.Signers.ToString()).Append('\n');
        if (agreement.Intro.Length > 0)
        {
            sb.Append("intro: ").Append(Normalise(agreement.Intro)).Append('\n');
        }

        foreach (var rule in RulesOf(policy, agreement))
        {
            sb.Append("rule ").Append(rule.Id).Append(": ").Append(Normalise(rule.Text)).Append('\n');
            foreach (var group in agreement.Audience)
            {
                if (rule.Wording.TryGetValue(group, out var wording))
                {
                    sb.Append("rule ").Append(rule.Id).Append(" for ").Append(group).Append(": ").Append(Normalise(wording)).Append('\n');
                }
            }
        }

        sb.Append("affirmation: ").Append(Normalise(agreement.Affirmation)).Append('\n');
        if (agreement.ParentAffirmation is { Length: > 0 } parent)
        {
            sb.Append("parent affirmation: ").Append(Normalise(parent)).Append('\n');
        }

        // Issue 15 part 4: questions and who signs on whose behalf are part of what is signed, so changing them asks
        // again; an agreement without them keeps the hash it had before they existed.
        foreach (var question in agreement.Questions)
        {
            sb.Append("question ").Append(question.Id).Append(" (").Append(question.Type.ToString())
                .Append(question.Required ? ", required" : ", optional").Append("): ").Append(Normalise(question.Text)).Append('\n');
        }

        if (agreement.ParentSignsFor.Count > 0)
        {
            sb.Append("parent signs for: ").Append(string.Join(", ", agreement.ParentSignsFor)).Append('\n');
        }

        return sb.ToString();
    }

    public static string Hash(SchoolPolicy policy, Agreement agreement) => Sha256Hex(Canonical(policy, agreement));

    public static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Normalise(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}
