namespace Brightline.Filtering;

/// <summary>
/// One approved exemption in force for the person asking (O3, W4): the categories and local-rule IDs it relaxes, and
/// the words that cite it in a trace ("P2P exception, approved by … until 25/12/2026"). The engine relaxes exactly
/// these — a blocked category stops blocking, a deny rule with that rule ID is skipped — and nothing else: the other
/// blocked categories, the other rules, schedules' block-all windows and the illegal lists still apply.
/// </summary>
/// <param name="Categories">Blocked categories that no longer block (never an illegal one: those are ignored).</param>
/// <param name="RuleIds">Policy rule IDs of local deny rules that no longer apply.</param>
/// <param name="Citation">How the trace and the block page's explanation name the approval.</param>
public sealed record FilterExemption(CategorySet Categories, IReadOnlyList<string> RuleIds, string Citation)
{
    /// <summary>Whether this exemption relaxes the deny rule <paramref name="rule"/>.</summary>
    public bool Relaxes(LocalRule rule) => rule.RuleId is { } id && RuleIds.Contains(id, StringComparer.Ordinal);
}
