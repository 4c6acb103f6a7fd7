using Brightline.Policy.Model;

namespace Brightline.Access;

public sealed record AccessDecision(Guid PersonId, string PersonName, DateTimeOffset EvaluatedAt, IReadOnlyList<AccessItem> Items)
{
    public bool IsAllowed(AccessKind kind) => Items.Any(i => i.Access == kind && i.Allowed);

    /// <summary>Filter categories blocked for this person on top of their profiles (restrict_categories sanctions).</summary>
    public IReadOnlyList<string> RestrictedCategories { get; init; } = [];
}
