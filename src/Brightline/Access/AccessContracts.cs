using Brightline.Policy.Model;

namespace Brightline.Access;

/// <summary>Why one kind of access is refused: an agreement missing since a date, or the person has left.</summary>
public sealed record AccessReason(string Code, string Message, string? AgreementId, DateOnly? Since);

public sealed record AccessItem(AccessKind Access, bool Allowed, IReadOnlyList<AccessReason> Reasons);

public sealed record AccessDecision(Guid PersonId, string PersonName, DateTimeOffset EvaluatedAt, IReadOnlyList<AccessItem> Items)
{
    public bool IsAllowed(AccessKind kind) => Items.Any(i => i.Access == kind && i.Allowed);

    /// <summary>Filter categories blocked for this person on top of their profiles (restrict_categories sanctions).</summary>
    public IReadOnlyList<string> RestrictedCategories { get; init; } = [];
}
