using System.Globalization;
using System.Text.RegularExpressions;
using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>The <c>passwords:</c> section → <see cref="PasswordsPolicy"/> (issue 15; F3, C16, H13). Runs only on a checked tree.</summary>
internal static partial class PasswordsModelBuilder
{
    public const string RememberAll = "all";

    public static PasswordsPolicy Build(YNode? node)
    {
        if (node is not { Kind: YNodeKind.Mapping })
        {
            return new PasswordsPolicy();
        }

        return new PasswordsPolicy { Rules = Items(node.Get("rules")).Select(BuildRule).ToList() };
    }

    private static PasswordRule BuildRule(YNode node)
    {
        var remember = node.Get("remember");
        var compromised = node.Get("compromised");
        return new PasswordRule
        {
            Groups = Strings(node.Get("groups")),
            MinLength = Int(node.Get("min_length")) ?? 12,
            Require = Items(node.Get("require")).Select(n => PolicyNames.Parse<PasswordCharClass>(Str(n) ?? "")).OfType<PasswordCharClass>().Distinct().ToList(),
            Reject = Items(node.Get("reject")).Select(n => PolicyNames.Parse<PasswordRejection>(Str(n) ?? "")).OfType<PasswordRejection>().Distinct().ToList(),
            Remember = Int(remember) ?? 0,
            RememberAll = string.Equals(Str(remember)?.Trim(), RememberAll, StringComparison.Ordinal),
            MaxAge = ParseMaxAge(Str(node.Get("max_age"))),
            WarnBeforeDays = Int(node.Get("warn_before_days")) ?? 14,
            Compromised = compromised is { Kind: YNodeKind.Mapping }
                ? new PasswordCompromise
                {
                    Notify = Strings(compromised.Get("notify")),
                    Register = Str(compromised.Get("register")) ?? IncidentKindKeys.Security,
                }
                : null,
            Requirements = Strings(node.Get("requirements")),
        };
    }

    /// <summary>"90 days", "1 half term", "2 terms" (also "90d"); null when the text is none of these.</summary>
    internal static PasswordMaxAge? ParseMaxAge(string? text)
    {
        var m = text is null ? null : MaxAgePattern().Match(text.Trim());
        if (m is not { Success: true } || !int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return null;
        }

        var unit = m.Groups[2].Value switch
        {
            "d" or "day" or "days" => PasswordAgeUnit.Days,
            "half term" or "half terms" => PasswordAgeUnit.HalfTerms,
            _ => PasswordAgeUnit.Terms,
        };
        return new PasswordMaxAge(n, unit);
    }

    [GeneratedRegex("^([0-9]{1,4}) ?(d|days?|half terms?|terms?)$", RegexOptions.CultureInvariant)]
    private static partial Regex MaxAgePattern();
}
