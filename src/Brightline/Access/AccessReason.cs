namespace Brightline.Access;

/// <summary>Why one kind of access is refused: an agreement missing since a date, or the person has left.</summary>
public sealed record AccessReason(string Code, string Message, string? AgreementId, DateOnly? Since)
{
    /// <summary>The missing agreement's title as the policy gives it, for pages that must not show its ID (issue 17, defect 3).</summary>
    public string? AgreementTitle { get; init; }

    /// <summary>The person's own signature is missing (so "sign your agreement" is right).</summary>
    public bool WaitsForSelf { get; init; }

    /// <summary>A parent's signature is missing: when it is the only one, the person has signed and waits for the parent.</summary>
    public bool WaitsForParent { get; init; }
}
