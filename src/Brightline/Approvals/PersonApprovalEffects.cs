namespace Brightline.Approvals;

/// <summary>What a person's approvals in force change for the DNS filter, with the earliest end so a cached answer never outlives it.</summary>
/// <param name="UnrestrictedUntil">C11: end of the person's unrestricted override, if one is in force.</param>
/// <param name="ExtraGroups">O14: groups whose rules apply to the person while an official-capacity approval is in force.</param>
/// <param name="ValidUntil">The earliest end among the approvals read; past it the answer must be read again.</param>
public sealed record PersonApprovalEffects(DateTimeOffset? UnrestrictedUntil, IReadOnlyList<string> ExtraGroups, DateTimeOffset? ValidUntil)
{
    public static PersonApprovalEffects None { get; } = new(null, [], null);

    /// <summary>O3, W4: exemptions in force, each relaxing exactly the category or deny rules it names.</summary>
    public IReadOnlyList<Brightline.Filtering.FilterExemption> Exemptions { get; init; } = [];
}
