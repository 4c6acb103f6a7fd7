using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Sanctions;

/// <summary>What a named reason means for one person: the reason, the group that decided, and its consequence.</summary>
public sealed record ReasonConsequence(SanctionReasonPolicy Reason, string? GroupId, string? GroupName, string? Consequence)
{
    /// <summary>The consequence in words, e.g. "Account suspended" or "A disciplinary record"; null when the policy does not say for this person.</summary>
    public string? Describe() => Consequence switch
    {
        SanctionConsequenceKeys.Disciplinary => "a disciplinary record (an incident about them); no access is taken away",
        { } kind when SanctionKinds.TryParse(kind, out var k) => $"{SanctionText.Title(k)}",
        _ => null,
    };
}
