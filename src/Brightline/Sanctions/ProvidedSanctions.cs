using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Sanctions;

/// <summary>
/// The sanctions a school's policy provides for: the kinds listed under its rules of kind
/// <c>sanction</c> (for example St Clement's C13: internet and system access withdrawn, a meeting with
/// parents), with the rule that provides each. A policy that lists none leaves every kind available.
/// <see cref="Uses"/> adds how the <c>sanctions:</c> section says each is used (lengths, telling parents).
/// </summary>
public sealed record ProvidedSanctions(
    IReadOnlyList<SanctionKind> Kinds, IReadOnlyDictionary<SanctionKind, string> RuleFor, IReadOnlyDictionary<SanctionKind, SanctionUse>? Uses = null)
{
    /// <summary>How the policy says <paramref name="kind"/> is used; no lengths and parents not told when it says nothing.</summary>
    public SanctionUse UseOf(SanctionKind kind) => Uses is not null && Uses.TryGetValue(kind, out var use) ? use : SanctionUse.None(kind);

    public static ProvidedSanctions From(SchoolPolicy policy) => From(policy, null);

    /// <summary>The provided kinds, with their lengths measured from <paramref name="today"/> when given.</summary>
    public static ProvidedSanctions From(SchoolPolicy policy, DateOnly? today)
    {
        var ruleFor = new Dictionary<SanctionKind, string>();
        foreach (var rule in policy.Rules.Where(r => r.Kind == RuleKind.Sanction))
        {
            foreach (var name in rule.Sanctions)
            {
                if (SanctionKinds.TryParse(name, out var kind))
                {
                    ruleFor.TryAdd(kind, rule.Id);
                }
            }
        }

        var kinds = ruleFor.Count == 0 ? Enum.GetValues<SanctionKind>() : Enum.GetValues<SanctionKind>().Where(ruleFor.ContainsKey).ToArray();
        var uses = today is { } day
            ? kinds.ToDictionary(k => k, k => SanctionUse.From(policy.Sanctions.Find(SanctionKinds.NameOf(k)), k, policy.School.Calendar, day))
            : null;
        return new ProvidedSanctions(kinds, ruleFor, uses);
    }
}
