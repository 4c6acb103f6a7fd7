namespace Brightline.Agreements;

/// <summary>
/// One overdue person (not one row per agreement), so the list's total is the "overdue" count above it: their overdue
/// agreements' titles, the earliest date one was due, and whether every one of them now waits only for a parent.
/// </summary>
public sealed record OverduePerson(Guid PersonId, string Name, string? ClassName, string AgreementTitle, DateOnly DueBy, bool AwaitingParent);
