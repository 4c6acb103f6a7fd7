namespace Brightline.Agreements;

/// <summary>The children chosen on a list ("chase the selected parents") and, when chosen from one agreement's list, that agreement.</summary>
public sealed record ChaseSelection(IReadOnlySet<Guid> Children, string? AgreementId);
