using Brightline.Access;

namespace Brightline.WebFiltering;

/// <summary>Who is asking, as far as the portal can tell: a person (signed in, or bound by DNS sign-in), else the network's group.</summary>
public sealed record FilterClient(SchoolFilter School, Guid? PersonId, string[] Profiles, string? GroupId, BlockAudience Audience, AccessReason? Refused, string Address)
{
    /// <summary>O3, W4: the person's exemptions in force now, so the block page explains exactly what the filter decides for them.</summary>
    public IReadOnlyList<Brightline.Filtering.FilterExemption> Exemptions { get; init; } = [];
}
