using Brightline.AccessChanges;
using Brightline.Access;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Filtering;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Sanctions;

/// <summary>
/// The sanctions a school's policy provides for: the kinds listed under its rules of kind
/// <c>sanction</c> (for example St Clement's C13: internet and system access withdrawn, a meeting with
/// parents), with the rule that provides each. A policy that lists none leaves every kind available.
/// </summary>
public sealed record ProvidedSanctions(IReadOnlyList<SanctionKind> Kinds, IReadOnlyDictionary<SanctionKind, string> RuleFor)
{
    public static ProvidedSanctions From(SchoolPolicy policy)
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
        return new ProvidedSanctions(kinds, ruleFor);
    }
}
